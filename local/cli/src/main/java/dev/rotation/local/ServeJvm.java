package dev.rotation.local;

import dev.rotation.local.secretsmanager.LocalSecretsManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@code serve} small. A JVM started without heap options may grow its heap to a quarter of the
 * machine (6 GB here), and the server, kept running all day, would hold hundreds of MB it does not need;
 * a jar cannot set its own heap. So {@code java -jar rotation-local.jar serve} without JVM options starts
 * itself again in a child JVM with {@link #OPTIONS} and waits for it, passing on its exit status and
 * SIGTERM/Ctrl-C; the child exits when the parent does, even if the parent is killed. Any JVM option
 * given on the command line ({@code java -Xmx512m -jar ...}), or {@code ROTATION_LOCAL_JVM=keep},
 * keeps the JVM as started.
 */
final class ServeJvm {
    /** A bounded heap and the collector with the least overhead for a small heap (the benchmark's too). */
    static final List<String> OPTIONS = LocalSecretsManager.BOUNDED_JVM_OPTIONS;
    private static final String PARENT = "rotation.local.parent";

    private ServeJvm() {
    }

    /** Runs serve in a bounded child JVM when this one was started without options; returns its exit status. */
    static Optional<Integer> relaunchIfUnbounded(String[] args) {
        if (System.getProperty(PARENT) != null || "keep".equals(System.getenv("ROTATION_LOCAL_JVM"))
                || !ManagementFactory.getRuntimeMXBean().getInputArguments().isEmpty()) {
            return Optional.empty();
        }
        String classPath = System.getProperty("java.class.path");
        if (classPath == null || !classPath.endsWith(".jar") || classPath.contains(java.io.File.pathSeparator)) {
            return Optional.empty(); // not started as java -jar
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(OPTIONS);
        command.add("-D" + PARENT + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Process child;
        try {
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
            pb.environment().putAll(LocalSecretsManager.BOUNDED_JVM_ENVIRONMENT);
            child = pb.start();
        } catch (IOException e) {
            return Optional.empty(); // serve in this JVM rather than not at all
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            child.destroy(); // SIGTERM: the child closes the server as it would itself
            try {
                child.waitFor(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "serve-child-stop"));
        try {
            return Optional.of(child.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Main.FAILED);
        }
    }

    /** In the child: exits when the parent JVM does, however it ended. */
    static void exitWithParent() {
        String parent = System.getProperty(PARENT);
        if (parent == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(0));
    }
}
