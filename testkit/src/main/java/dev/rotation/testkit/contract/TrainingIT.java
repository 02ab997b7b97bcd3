package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.shared.Training;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.EngineTargets;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image's training run, as its Dockerfile runs it ({@code image/lambda-java train}):
 * with the deployment jar and a JDK 25 (the image's major version), in a network namespace of its
 * own that has only a loopback interface, so it must complete with no network at all; and the AOT
 * cache it writes must hold none of the rotation's canned values (user, host, both passwords), in
 * any of the encodings the JVM keeps strings in.
 */
public class TrainingIT {
    private static final List<Charset> ENCODINGS = List.of(StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16LE,
            StandardCharsets.UTF_16BE);

    private final EngineTarget target = EngineTargets.current();
    private final EngineTarget.DeploymentJar jar = target.deploymentJar();

    @Test
    void training_completesWithoutNetwork_andLeavesNoCannedValueInTheCache(@TempDir Path dir) throws Exception {
        Path java = aotJava();
        Path task = dir.resolve("task");
        Files.createDirectories(task.resolve("lib"));
        Files.createDirectories(dir.resolve("runtime/lib"));
        Files.copy(jar.path(), task.resolve("lib").resolve(jar.path().getFileName()));
        String handler = jar.handlers().stream().filter(h -> !h.contains("Alternating")).findFirst().orElseThrow();

        List<String> command = new ArrayList<>();
        boolean isolated = networkNamespaceWorks();
        if (!isolated && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must prove the training needs no network, and unshare --net fails here");
        }
        if (isolated) {
            command.addAll(List.of("unshare", "--map-root-user", "--net", "sh", "-c", "ip link set lo up && exec \"$@\"",
                    "sh"));
        }
        command.addAll(List.of("sh", repositoryRoot().resolve("image/lambda-java").toString(), "train", handler));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LAMBDA_JAVA", java.toString());
        builder.environment().put("LAMBDA_RUNTIME_DIR", dir.resolve("runtime").toString());
        builder.environment().put("LAMBDA_TASK_ROOT", task.toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

        List<String> canned = Training.cannedValues();
        assertThat(canned).hasSize(4);
        for (String value : canned) {
            assertThat(output).as("the training's output").doesNotContain(value);
        }
        assertThat(process.exitValue()).as("training exit status; output:%n%s", output).isZero();
        assertThat(output).contains("training: a whole rotation of " + handler);
        if (!isolated) {
            System.out.println("INFO TrainingIT: no network namespace here (unshare --net failed); the training"
                    + " ran with the machine's network");
        }

        Path cache = task.resolve("function.aot");
        assertThat(cache).isRegularFile();
        byte[] bytes = Files.readAllBytes(cache);
        assertThat(bytes.length).as("cache size").isGreaterThan(1_000_000);
        String asLatin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        // Proof that the scan sees the cache's strings: the handler's class name is in it.
        assertThat(asLatin1).contains(handler.replace('.', '/'));
        for (String value : canned) {
            for (Charset encoding : ENCODINGS) {
                String needle = new String(value.getBytes(encoding), StandardCharsets.ISO_8859_1);
                assertThat(asLatin1.contains(needle)).as("the cache holds the canned value %s in %s", value.substring(0, 3)
                        + "…", encoding).isFalse();
            }
        }
    }

    /** A JDK of at least the image's major version (25): this JVM's, or one under /usr/lib/jvm. */
    static Path aotJava() throws IOException {
        if (Runtime.version().feature() >= 25) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        Optional<Path> found = Optional.empty();
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                found = homes.filter(home -> feature(home) >= 25).sorted().map(home -> home.resolve("bin/java"))
                        .filter(Files::isExecutable).findFirst();
            }
        }
        if (found.isEmpty()) {
            String message = "no JDK 25 or later (this JVM is " + Runtime.version() + ", none under /usr/lib/jvm)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        return found.get();
    }

    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static boolean networkNamespaceWorks() {
        try {
            Process probe = new ProcessBuilder("unshare", "--map-root-user", "--net", "ip", "link", "set", "lo", "up")
                    .redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The engine module's parent: failsafe runs in the module's directory. */
    static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("image/lambda-java")).as("the image's java command").isRegularFile();
        return root;
    }
}
