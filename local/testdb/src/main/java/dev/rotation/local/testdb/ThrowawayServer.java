package dev.rotation.local.testdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A server started by this JVM from locally installed binaries, in a private temporary directory, on an
 * ephemeral port of 127.0.0.1, with password authentication. Stopped and deleted by {@link #destroy()} or,
 * at the latest, when the JVM exits.
 */
abstract class ThrowawayServer implements DatabaseServer {
    static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int PORT_ATTEMPTS = 3;

    final ServerProcess process;
    final String adminPassword = Passwords.random(32);
    final TlsMaterial tls;
    private final Thread shutdownHook;
    private volatile int port;
    private volatile String version = "?";
    private volatile Duration startupTime = Duration.ZERO;
    private volatile boolean stopped;

    ThrowawayServer(ServerProcess process, TlsMaterial tls) {
        this.process = process;
        this.tls = tls;
        this.shutdownHook = new Thread(this::stopAndDelete, "stop " + process);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates the data directory and configuration (initdb, install-db); runs once. */
    abstract void initialise();

    /** The server command for {@code port}; {@code firstStart} is true the first time only. */
    abstract List<String> serverCommand(int port, boolean firstStart);

    /** Text the server logs when its port is taken. */
    abstract String addressInUseMessage();

    /** Called once the first start succeeded, e.g. to delete one-time files. */
    void afterFirstStart() {
    }

    /** Initialises and starts the server; on failure stops it and deletes its files before rethrowing. */
    final void startFirstTime() {
        long started = System.nanoTime();
        try {
            initialise();
            for (int attempt = 1; ; attempt++) {
                port = Ports.free();
                process.start(serverCommand(port, true));
                try {
                    awaitReady();
                    break;
                } catch (TestDatabaseUnavailableException e) {
                    process.stop();
                    if (attempt >= PORT_ATTEMPTS || !process.logContains(addressInUseMessage())) {
                        throw e;
                    }
                }
            }
            afterFirstStart();
            startupTime = Duration.ofNanos(System.nanoTime() - started);
        } catch (RuntimeException e) {
            destroy();
            throw e;
        }
    }

    private void awaitReady() {
        process.awaitReady(() -> {
            try (Connection c = Jdbc.openAdmin(this, null); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT version()")) {
                rs.next();
                version = rs.getString(1);
            }
        }, READY_TIMEOUT);
    }

    @Override
    public synchronized void restart() {
        pause();
        resume();
    }

    @Override
    public synchronized void pause() {
        requireNotStopped();
        process.stop();
    }

    @Override
    public synchronized void resume() {
        requireNotStopped();
        if (!process.isAlive()) {
            process.start(serverCommand(port, false));
            awaitReady();
        }
    }

    private void requireNotStopped() {
        if (stopped) {
            throw new IllegalStateException("the server has been closed: " + origin());
        }
    }

    @Override
    public void destroy() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs (or ran) anyway.
        }
        stopAndDelete();
    }

    private synchronized void stopAndDelete() {
        stopped = true;
        process.stop();
        process.deleteDirectory();
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String adminPassword() {
        return adminPassword;
    }

    @Override
    public boolean tlsEnabled() {
        return tls != null;
    }

    @Override
    public Optional<Path> log() {
        return Optional.of(process.log());
    }

    String version() {
        return version;
    }

    Duration startupTime() {
        return startupTime;
    }

    @Override
    public String toString() {
        return origin();
    }
}
