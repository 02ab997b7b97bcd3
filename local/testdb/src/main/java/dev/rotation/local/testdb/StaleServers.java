package dev.rotation.local.testdb;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Cleans up after JVMs that died without running their shutdown hooks (SIGKILL, a build timeout): their
 * servers would otherwise run, and their directories stay, forever.
 *
 * <p>Every directory this package creates holds an {@code owner} file naming the JVM (pid and start time,
 * so that a reused pid is not mistaken for the owner) and, while a server runs, a {@code server.pid} file.
 * A directory whose owner is gone is stale: its server is killed — only if that process's command line
 * names the directory, so an unrelated process that reused the pid is never touched — and it is deleted.
 */
final class StaleServers {
    static final String PREFIX = "rotation-testdb-";
    private static final String OWNER_FILE = "owner";
    private static final String SERVER_PID_FILE = "server.pid";
    private static final AtomicBoolean REAPED = new AtomicBoolean();

    private StaleServers() {
    }

    /** Marks {@code dir} as belonging to this JVM. */
    static void claim(Path dir) {
        ProcessHandle me = ProcessHandle.current();
        String start = me.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("?");
        write(dir.resolve(OWNER_FILE), me.pid() + " " + start);
    }

    static void recordServerPid(Path dir, long pid) {
        write(dir.resolve(SERVER_PID_FILE), Long.toString(pid));
    }

    /** Reaps stale directories in {@code base}, once per JVM. */
    static void reapOnce(Path base) {
        if (REAPED.compareAndSet(false, true)) {
            reap(base);
        }
    }

    static void reap(Path base) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && isStale(dir)) {
                    killServer(dir);
                    delete(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: reaping must never stop a test run.
        }
    }

    private static boolean isStale(Path dir) {
        Optional<String> owner = read(dir.resolve(OWNER_FILE));
        if (owner.isEmpty()) {
            return false; // not ours, or being created right now
        }
        String[] parts = owner.get().split(" ");
        try {
            long pid = Long.parseLong(parts[0]);
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                return true;
            }
            Optional<Instant> started = handle.get().info().startInstant();
            return parts.length > 1 && !parts[1].equals("?") && started.isPresent()
                    && started.get().toEpochMilli() != Long.parseLong(parts[1]);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void killServer(Path dir) {
        read(dir.resolve(SERVER_PID_FILE)).ifPresent(pidText -> {
            try {
                ProcessHandle.of(Long.parseLong(pidText.trim()))
                        .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(dir.toString())).orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
            } catch (RuntimeException e) {
                // Best effort.
            }
        });
    }

    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | RuntimeException e) {
            // Best effort: a left-over directory in the temp dir is harmless.
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Without it the directory is merely not reaped after a crash.
        }
    }
}
