package dev.rotation.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The packaged jar's {@code serve} command: prints its endpoint, serves, persists, stops on SIGTERM. */
class ServeCommandIT {
    private static final Path JAR = Path.of("..", "target", "rotation-local.jar");

    @TempDir
    Path dataDir;

    private static SecretsManagerClient client(URI endpoint) {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private Process serve() throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-jar", JAR.toString(), "serve", "--port", "0", "--data-dir",
                dataDir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static URI endpointOf(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).startsWith("Secrets Manager listening on http://127.0.0.1:");
        return URI.create(line.substring(line.indexOf("http://")));
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
    }

    @Test
    void serve_printsEndpointServesAndKeepsDataAcrossRestart() throws Exception {
        Process first = serve();
        try (SecretsManagerClient sm = client(endpointOf(first))) {
            sm.createSecret(r -> r.name("jar/secret").secretString("kept-across-restart"));
        } finally {
            stop(first);
        }
        assertThat(Files.exists(dataDir.resolve("master.key"))).isTrue();

        Process second = serve();
        try (SecretsManagerClient sm = client(endpointOf(second))) {
            assertThat(sm.getSecretValue(r -> r.secretId("jar/secret")).secretString())
                    .isEqualTo("kept-across-restart");
        } finally {
            stop(second);
        }
    }

    private static Process serveWith(Path stderr, String... args) throws Exception {
        assertThat(JAR).as("run `mvn package` first").exists();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-jar", JAR.toString(), "serve",
                "--no-template"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }

    @Test
    void serve_withNonLoopbackHostWithoutAllowRemote_exitsWithOneLineError() throws Exception {
        for (String host : List.of("0.0.0.0", "192.0.2.10")) {
            Path stderr = dataDir.resolve("stderr-" + host + ".txt");
            Process p = serveWith(stderr, "--host", host, "--port", "0");
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("serve refuses instead of serving").isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(stdout).doesNotContain("listening");
            assertThat(Files.readAllLines(stderr)).singleElement().asString()
                    .startsWith("serve: ").contains(host, "not a loopback address", "unauthenticated", "--allow-remote");
        }
    }

    @Test
    void serve_withAllowRemote_warnsThatEverySecretIsServedToTheNetwork() throws Exception {
        Path stderr = dataDir.resolve("stderr.txt");
        Process p = serveWith(stderr, "--host", "0.0.0.0", "--allow-remote", "--port", "0");
        try (SecretsManagerClient sm = client(endpointOf(p))) {
            sm.createSecret(r -> r.name("remote/secret").secretString("served-to-the-network"));
            assertThat(sm.getSecretValue(r -> r.secretId("remote/secret")).secretString())
                    .isEqualTo("served-to-the-network");
        } finally {
            stop(p);
        }
        assertThat(Files.readString(stderr)).contains("WARNING", "0.0.0.0", "not a loopback address",
                "every secret is served, unauthenticated").doesNotContain("served-to-the-network");
    }

    @Test
    void serve_withBadAllowedHost_exitsWithUsageError() throws Exception {
        Path stderr = dataDir.resolve("stderr.txt");
        Process p = serveWith(stderr, "--allowed-host", "*.example", "--port", "0");
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(stderr)).contains("serve: ", "DNS name", "*.example");
    }

    @Test
    void serve_withUnknownOption_exitsWithUsageError() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-jar", JAR.toString(), "serve", "--colour", "blue")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("unknown option --colour");
    }
}
