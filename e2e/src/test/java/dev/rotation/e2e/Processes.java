package dev.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The project's packaged jars, found from this module's directory, and running them as a user does. */
final class Processes {
    /** The project root: failsafe runs in e2e/. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path LOCAL_JAR = ROOT.resolve("local/target/rotation-local.jar");
    static final Path TEMPLATE = ROOT.resolve("template.yaml");
    static final Path EVENTS = ROOT.resolve("events");
    static final Path AWS = Path.of("/usr/bin/aws");

    record Result(int exit, String out, String err) {
    }

    private Processes() {
    }

    /** Fails with what to build when a packaged jar is missing. */
    static void requireJars() {
        for (Path jar : List.of(LOCAL_JAR, ROOT.resolve("rotation-mysql/target/rotation-mysql.jar"),
                ROOT.resolve("rotation-postgres/target/rotation-postgres.jar"))) {
            assertThat(jar).as("%s is missing: run ./mvnw -B package -DskipTests (or the whole reactor's verify)", jar)
                    .exists();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs rotation-local.jar with the arguments in {@code dir}, waiting at most {@code seconds}. */
    static Result rotationLocal(Path dir, int seconds, Map<String, String> env, String... args) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", LOCAL_JAR.toString()));
        command.addAll(List.of(args));
        return run(command, dir, env, seconds);
    }

    static Result run(List<String> command, Path dir, Map<String, String> env, int seconds) throws IOException,
            InterruptedException {
        Path out = Files.createTempFile("e2e-out", ".txt");
        Path err = Files.createTempFile("e2e-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + seconds + " s; stderr:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The AWS CLI v2 against an endpoint, with dummy credentials and no user configuration. */
    static Result aws(String endpoint, Path home, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(AWS)) {
            fail("/usr/bin/aws is missing: install the AWS CLI v2 with `apt-get install -y awscli` "
                    + "(.ci/run does this in CI)");
        }
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", endpoint, "--output", "json",
                "secretsmanager"));
        command.addAll(List.of(args));
        return run(command, home, Map.of(
                "AWS_ACCESS_KEY_ID", "AKIDLOCAL",
                "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_REGION", "us-east-1",
                "AWS_PAGER", "",
                "AWS_CONFIG_FILE", home.resolve("config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString(),
                "AWS_EC2_METADATA_DISABLED", "true",
                "HOME", home.toString()), 120);
    }
}
