package dev.rotation.local.testdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Database servers for tests and the local demo: a MySQL-compatible one and a PostgreSQL one, with
 * password authentication that really checks passwords.
 *
 * <p>{@link #mysql()} and {@link #postgres()} return one shared server per JVM, started on first use
 * (thread-safe) and stopped when the JVM exits. Each comes from the first source that works:
 * <ol>
 *   <li>Environment variables naming an existing server (never stopped or restarted by us):
 *     <ul>
 *       <li>{@code TEST_MYSQL_URL} — e.g. {@code jdbc:mysql://db.example:3306/} (MySQL or MariaDB),
 *           {@code TEST_MYSQL_ADMIN_USER} (default {@code root}), {@code TEST_MYSQL_ADMIN_PASSWORD};</li>
 *       <li>{@code TEST_POSTGRES_URL} — e.g. {@code jdbc:postgresql://db.example:5432/postgres},
 *           {@code TEST_POSTGRES_ADMIN_USER} (default {@code postgres}), {@code TEST_POSTGRES_ADMIN_PASSWORD}.</li>
 *     </ul>
 *     The admin user must be able to create databases and users. Credentials never go in the URL.</li>
 *   <li>Testcontainers ({@code mysql:8.4}, {@code postgres:16}) when a Docker engine answers.
 *       {@code TEST_DB_DOCKER=never} skips the Docker check.</li>
 *   <li>Throwaway servers started from locally installed binaries — MariaDB ({@code mariadbd},
 *       {@code mariadb-install-db}) and PostgreSQL ({@code /usr/lib/postgresql/<version>/bin}, or
 *       {@code TEST_POSTGRES_BIN_DIR}) — each in a private temporary directory (under {@code TEST_DB_TMPDIR}
 *       if set), on an ephemeral port of 127.0.0.1, as user {@code nobody} when the JVM runs as root.</li>
 * </ol>
 * If none works, a {@link TestDatabaseUnavailableException} says what to install or set. Tests never skip.
 *
 * <p>The {@code start...} methods return a separate server the caller closes — for tests that restart
 * the server or need TLS, so that they disturb no other test.
 */
public final class TestDatabases {
    private static final Shared MYSQL = new Shared(Kind.MYSQL);
    private static final Shared POSTGRES = new Shared(Kind.POSTGRES);

    private TestDatabases() {
    }

    /** The JVM's shared MySQL-compatible server. {@code close()} on it does nothing. */
    public static TestDatabase mysql() {
        return MYSQL.get();
    }

    /** The JVM's shared PostgreSQL server. {@code close()} on it does nothing. */
    public static TestDatabase postgres() {
        return POSTGRES.get();
    }

    /**
     * A new MySQL-compatible server of its own; the caller closes it. A throwaway server from local binaries
     * when they are installed (it supports {@link TestDatabase#restart()}), else a container.
     */
    public static TestDatabase startMysql() {
        return AbstractTestDatabase.of(startOwn(Kind.MYSQL, true), false);
    }

    /**
     * A new PostgreSQL server of its own; the caller closes it. A throwaway server from local binaries when
     * they are installed (it supports {@link TestDatabase#restart()}), else a container.
     */
    public static TestDatabase startPostgres() {
        return AbstractTestDatabase.of(startOwn(Kind.POSTGRES, true), false);
    }

    /**
     * A new throwaway MariaDB server from local binaries offering TLS with {@code tls}'s server certificate
     * (plaintext connections are still accepted; clients choose). The caller closes it.
     */
    public static TestDatabase startMysqlWithTls(TlsMaterial tls) {
        return AbstractTestDatabase.of(ThrowawayMariaDb.start(requireTls(tls)), false);
    }

    /**
     * A new throwaway PostgreSQL server from local binaries with {@code ssl=on} and {@code tls}'s server
     * certificate (plaintext connections are still accepted; clients choose). The caller closes it.
     */
    public static TestDatabase startPostgresWithTls(TlsMaterial tls) {
        return AbstractTestDatabase.of(ThrowawayPostgres.start(requireTls(tls)), false);
    }

    /**
     * A new throwaway server of {@code version}, from the installed packages or its Maven artifact (see
     * {@link ServerVersion}), with TLS when {@code tls} is given (plaintext is still accepted; clients
     * choose). Fails loudly if the binaries are missing or report another version. The caller closes it.
     */
    public static TestDatabase start(ServerVersion version, TlsMaterial tls) {
        ThrowawayServer server;
        if (version.kind() == Kind.POSTGRES) {
            int major = Integer.parseInt(version.major());
            server = version.artifact()
                    .map(a -> ThrowawayPostgres.start(ServerArtifacts.installation(a).resolve("bin"), major, tls))
                    .orElseGet(() -> ThrowawayPostgres.startInstalled(major, tls));
        } else {
            server = version.artifact()
                    .map(a -> ThrowawayMariaDb.startFromTree(ServerArtifacts.installation(a), tls))
                    .orElseGet(() -> ThrowawayMariaDb.start(tls));
        }
        String reported = server.version();
        String expected = (version.kind() == Kind.POSTGRES ? "PostgreSQL " : "") + version.major() + ".";
        if (!reported.startsWith(expected)) {
            server.destroy();
            throw new TestDatabaseUnavailableException("Asked for " + version + " from " + version.source()
                    + ", but the server reports version " + reported);
        }
        return AbstractTestDatabase.of(server, false);
    }

    private static TlsMaterial requireTls(TlsMaterial tls) {
        if (tls == null) {
            throw new IllegalArgumentException("TLS material is required; see TlsMaterial.generate");
        }
        return tls;
    }

    static DatabaseServer resolve(Kind kind, Map<String, String> env) {
        Optional<EnvironmentServer> fromEnv = EnvironmentServer.fromEnvironment(kind, env);
        if (fromEnv.isPresent()) {
            return fromEnv.get();
        }
        return startOwn(kind, false);
    }

    private static DatabaseServer startOwn(Kind kind, boolean preferLocal) {
        Optional<String> missing = kind == Kind.MYSQL ? ThrowawayMariaDb.missingBinaries()
                : ThrowawayPostgres.missingBinaries();
        if (preferLocal && missing.isEmpty()) {
            return startThrowaway(kind);
        }
        List<String> tried = new ArrayList<>();
        RuntimeException containerFailure = null;
        if (ContainerServer.dockerAvailable()) {
            try {
                return ContainerServer.start(kind);
            } catch (RuntimeException e) {
                containerFailure = e;
                tried.add("Docker answered but " + e.getMessage());
            }
        } else {
            tried.add("no Docker engine answered");
        }
        if (missing.isEmpty()) {
            return startThrowaway(kind);
        }
        tried.add(missing.get());
        String install = kind == Kind.MYSQL ? "mariadb-server" : "postgresql";
        throw new TestDatabaseUnavailableException("No " + kind.displayName + " server for the tests: "
                + kind.envPrefix() + "_URL is not set, " + String.join(", ", tried) + ". Install the server with "
                + "`apt-get install " + install + "`, start Docker, or set " + kind.envPrefix() + "_URL, "
                + kind.envPrefix() + "_ADMIN_USER and " + kind.envPrefix() + "_ADMIN_PASSWORD.", containerFailure);
    }

    private static DatabaseServer startThrowaway(Kind kind) {
        return kind == Kind.MYSQL ? ThrowawayMariaDb.start(null) : ThrowawayPostgres.start(null);
    }

    /** One lazily started server per kind; a failed start is remembered so every test fails fast and alike. */
    private static final class Shared {
        private final Kind kind;
        private TestDatabase database;
        private RuntimeException failure;

        Shared(Kind kind) {
            this.kind = kind;
        }

        synchronized TestDatabase get() {
            if (database != null) {
                return database;
            }
            if (failure != null) {
                throw new TestDatabaseUnavailableException(failure.getMessage(), failure);
            }
            try {
                database = AbstractTestDatabase.of(resolve(kind, System.getenv()), true);
                return database;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
    }
}
