package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine's container image (its Dockerfile, FROM the Lambda Java 25 base image): built, with its
 * training run, and invoked once through the base image's runtime interface emulator. The step
 * fails (there is no Secrets Manager behind the endpoint), but as the function's own error: the
 * image starts, the runtime client loads the handler, and the JVM takes the AOT cache without a
 * warning. Needs a Docker engine that can pull the base image, so it runs only in the
 * {@code container-image} profile ({@code ./mvnw -B verify -P container-image}), and there it fails
 * when no engine answers: the default build (and CI, whose machines have no Docker engine) leaves it
 * out rather than skipping it.
 */
@Tag("container-image")
public class ContainerImageIT {
    @Test
    void image_buildsWithItsTrainingRun_andAnswersThroughTheRuntimeInterfaceEmulator() throws Exception {
        assertThat(dockerAnswers()).as("a Docker engine answering 'docker version' (the container-image profile"
                + " builds and runs the functions' images)").isTrue();
        Path module = Path.of("").toAbsolutePath();
        Path root = TrainingIT.repositoryRoot();
        String tag = "rotation-" + module.getFileName().toString().replace("rotation-", "") + "-it:"
                + Long.toString(System.nanoTime(), 36);
        run(List.of("docker", "build", "-f", module.resolve("Dockerfile").toString(), "-t", tag, root.toString()), 900);
        String container = run(List.of("docker", "run", "-d", "-p", "127.0.0.1::8080", "-e", "AWS_REGION=us-east-1",
                "-e", "SECRETS_MANAGER_ENDPOINT=http://127.0.0.1:9", "-e", "AWS_ACCESS_KEY_ID=AKIDIMAGETEST",
                "-e", "AWS_SECRET_ACCESS_KEY=image-test", tag), 120).strip();
        try {
            String port = run(List.of("docker", "port", container, "8080/tcp"), 60).strip().replaceAll("^.*:", "");
            String event = "{\"Step\":\"createSecret\",\"SecretId\":\"arn:aws:secretsmanager:us-east-1:123456789012:"
                    + "secret:image-test-AbCdEf\",\"ClientRequestToken\":\"00000000-0000-4000-8000-000000000001\"}";
            HttpResponse<String> answer = invoke(port, event);
            assertThat(answer.body()).contains("errorMessage").containsIgnoringCase("secrets manager");
            String logs = run(List.of("docker", "logs", container), 60);
            assertThat(logs.toLowerCase(Locale.ROOT)).doesNotContain("[aot]").doesNotContain("[cds]");
        } finally {
            run(List.of("docker", "rm", "-f", container), 60);
            run(List.of("docker", "rmi", "-f", tag), 120);
        }
    }

    private static HttpResponse<String> invoke(String port, String event) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/2015-03-31/functions/function/invocations")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(event)).build();
        // The emulator listens once the container runs; until then the connection is refused.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static boolean dockerAnswers() {
        try {
            Process p = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("%s finished", command.get(1)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command.subList(0, 2)), output).isZero();
        return output;
    }
}
