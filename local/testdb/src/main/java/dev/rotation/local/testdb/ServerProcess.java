package dev.rotation.local.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One throwaway server process and its private directory: runs the set-up tools and the server as the
 * unprivileged user, waits for readiness, stops the server and deletes the directory.
 */
final class ServerProcess {
    /** How often readiness is probed. This only paces start-up polling; it synchronises no test. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    /** Readiness check: returns normally once the server accepts a real login. */
    interface Probe {
        void check() throws Exception;
    }

    private final String name;
    private final Path dir;
    private final Path log;
    private final String stopSignal;
    private final OsUser user = OsUser.forServers();
    private List<String> command;
    private volatile Process process;

    private ServerProcess(String name, Path dir, String stopSignal) {
        this.name = name;
        this.dir = dir;
        this.log = dir.resolve("server.log");
        this.stopSignal = stopSignal;
    }

    /**
     * A fresh private directory (mode 700, owned by the server user) for a server called {@code name}.
     *
     * @param stopSignal the signal that stops the server quickly but cleanly ({@code TERM}, {@code INT}, ...)
     */
    static ServerProcess inNewDirectory(String name, String stopSignal) {
        Path base = baseDirectory();
        user().checkTraversable(base.resolve("x"));
        StaleServers.reapOnce(base);
        try {
            Path dir = Files.createTempDirectory(base, StaleServers.PREFIX + name + "-");
            Files.setPosixFilePermissions(dir, java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            StaleServers.claim(dir);
            user().takeOwnership(dir);
            return new ServerProcess(name, dir, stopSignal);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for " + name + " in " + base, e);
        }
    }

    private static OsUser user() {
        return OsUser.forServers();
    }

    private static Path baseDirectory() {
        String configured = System.getenv("TEST_DB_TMPDIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path javaTmp = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            user().checkTraversable(javaTmp.resolve("x"));
            return javaTmp;
        } catch (TestDatabaseUnavailableException e) {
            return Path.of("/tmp");
        }
    }

    Path dir() {
        return dir;
    }

    Path log() {
        return log;
    }

    /** Writes a file the server user owns and only it can read (configuration, keys, one-time scripts). */
    Path writePrivateFile(String fileName, String content) {
        Path file = dir.resolve(fileName);
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE));
            user.takeOwnership(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Creates a subdirectory (mode 700) the server user owns. */
    Path createPrivateDirectory(String name) {
        Path sub = dir.resolve(name);
        try {
            Files.createDirectory(sub);
            Files.setPosixFilePermissions(sub, java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            user.takeOwnership(sub);
            return sub;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + sub, e);
        }
    }

    /** Copies a file into the directory, owned by the server user, mode 600 (PostgreSQL insists for keys). */
    Path copyPrivateFile(Path source, String fileName) {
        try {
            return writePrivateFile(fileName, Files.readString(source, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }

    /** Runs a set-up tool (initdb, install-db) as the server user; throws with its output if it fails. */
    void runSetupTool(List<String> toolCommand, Duration timeout) {
        runSetupTool(toolCommand, null, timeout);
    }

    /** Same, feeding the tool {@code stdin} (a file the JVM reads; the tool needs no access to it). */
    void runSetupTool(List<String> toolCommand, Path stdin, Duration timeout) {
        Path toolLog = dir.resolve("setup.log");
        try {
            ProcessBuilder pb = builder(toolCommand).redirectOutput(ProcessBuilder.Redirect.appendTo(toolLog.toFile()));
            if (stdin != null) {
                pb.redirectInput(stdin.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new TestDatabaseUnavailableException(toolCommand.get(0) + " did not finish within " + timeout
                        + "; output:\n" + tail(toolLog, 30));
            }
            if (p.exitValue() != 0) {
                throw new TestDatabaseUnavailableException(toolCommand.get(0) + " failed with exit code "
                        + p.exitValue() + "; output:\n" + tail(toolLog, 30));
            }
        } catch (IOException e) {
            throw new TestDatabaseUnavailableException("cannot run " + toolCommand.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestDatabaseUnavailableException("interrupted while running " + toolCommand.get(0), e);
        }
    }

    /** Starts the server; {@link #start()} later starts the same command again. */
    void start(List<String> serverCommand) {
        this.command = List.copyOf(serverCommand);
        start();
    }

    void start() {
        try {
            process = builder(command).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            StaleServers.recordServerPid(dir, process.pid());
        } catch (IOException e) {
            throw new TestDatabaseUnavailableException("cannot start " + command.get(0), e);
        }
    }

    /** Polls {@code probe} until it succeeds; fails early if the server exits, and after {@code timeout}. */
    void awaitReady(Probe probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new TestDatabaseUnavailableException(name + " exited during start-up"
                        + (p == null ? "" : " with code " + p.exitValue()) + "; log:\n" + tail(log, 40));
            }
            try {
                probe.check();
                return;
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestDatabaseUnavailableException("interrupted while waiting for " + name, e);
            }
        }
        throw new TestDatabaseUnavailableException(name + " did not accept a login within " + timeout
                + " (last error: " + (last == null ? "none" : last.getMessage()) + "); log:\n" + tail(log, 40), last);
    }

    boolean logContains(String text) {
        try {
            return Files.exists(log) && new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server: its clean-and-quick signal first, SIGKILL if it lingers. Idempotent. */
    void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-s", stopSignal, Long.toString(p.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    void deleteDirectory() {
        if (Files.exists(dir)) {
            StaleServers.delete(dir);
        }
    }

    private ProcessBuilder builder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(user.wrap(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        // A clean environment: nothing of this JVM's (PGPASSWORD, MYSQL_PWD, ...) leaks into the server.
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C");
        env.put("LC_ALL", "C");
        env.put("TZ", "UTC");
        env.put("HOME", dir.toString());
        return pb;
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no output)";
            }
            // Lenient decoding: server logs may hold bytes that are not UTF-8.
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " in " + dir;
    }
}
