package dev.rotation.local.testdb;

import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** A server in a Testcontainers-managed container ({@code mysql:8.4} or {@code postgres:16}). */
final class ContainerServer implements DatabaseServer {
    private static volatile Boolean dockerAvailable;

    private final Kind kind;
    private final GenericContainer<?> container;
    private final String password;

    private ContainerServer(Kind kind, GenericContainer<?> container, String password) {
        this.kind = kind;
        this.container = container;
        this.password = password;
    }

    /**
     * Whether a Docker engine answers. Asked once per JVM; without an engine Testcontainers finds no
     * socket or host to try and answers quickly. {@code TEST_DB_DOCKER=never} skips the question.
     */
    static boolean dockerAvailable() {
        Boolean known = dockerAvailable;
        if (known == null) {
            synchronized (ContainerServer.class) {
                known = dockerAvailable;
                if (known == null) {
                    known = !"never".equalsIgnoreCase(System.getenv("TEST_DB_DOCKER")) && askDocker();
                    dockerAvailable = known;
                }
            }
        }
        return known;
    }

    private static boolean askDocker() {
        if (!dockerEndpointConfigured()) {
            // Asked without an endpoint, Testcontainers logs an ERROR block per strategy it tries.
            System.getLogger(ContainerServer.class.getName()).log(System.Logger.Level.INFO,
                    "no Docker engine (no DOCKER_HOST, no Docker socket): test servers come from installed binaries");
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Whether anything names a Docker engine to ask: DOCKER_HOST, a socket, or Testcontainers' own settings. */
    private static boolean dockerEndpointConfigured() {
        String home = System.getProperty("user.home", "");
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        return System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".docker", "run", "docker.sock"))
                || (runtimeDir != null && java.nio.file.Files.exists(java.nio.file.Path.of(runtimeDir, "docker.sock")))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".testcontainers.properties"));
    }

    static ContainerServer start(Kind kind) {
        String password = Passwords.random(32);
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(kind.image()))
                .withExposedPorts(kind.defaultPort)
                .withStartupTimeout(Duration.ofMinutes(3));
        if (kind == Kind.MYSQL) {
            container.withEnv("MYSQL_ROOT_PASSWORD", password)
                    .waitingFor(Wait.forLogMessage(".*ready for connections.*port: 3306.*", 1));
        } else {
            container.withEnv("POSTGRES_PASSWORD", password)
                    .withEnv("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
                    .withEnv("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256")
                    // The image starts the server twice: once to initialise, then for real.
                    .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2));
        }
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            throw new TestDatabaseUnavailableException("cannot start the " + kind.image() + " container: "
                    + e.getMessage(), e);
        }
        return new ContainerServer(kind, container, password);
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(kind.defaultPort);
    }

    @Override
    public String adminUser() {
        return kind == Kind.MYSQL ? "root" : "postgres";
    }

    @Override
    public String adminPassword() {
        return password;
    }

    @Override
    public String adminDatabase() {
        return kind == Kind.MYSQL ? "" : "postgres";
    }

    @Override
    public String origin() {
        return "Testcontainers " + kind.image() + " on " + host() + ":" + port();
    }

    @Override
    public boolean tlsEnabled() {
        return kind == Kind.MYSQL; // the mysql image makes itself a self-signed certificate
    }

    @Override
    public void restart() {
        // A restarted container gets a new mapped port; tests that restart need a local throwaway server.
        throw new UnsupportedOperationException("cannot restart a Testcontainers server in place; install "
                + "mariadb-server/postgresql so that throwaway servers can be used");
    }

    @Override
    public void pause() {
        restart();
    }

    @Override
    public void resume() {
        restart();
    }

    @Override
    public void destroy() {
        container.stop();
    }

    @Override
    public String toString() {
        return origin();
    }
}
