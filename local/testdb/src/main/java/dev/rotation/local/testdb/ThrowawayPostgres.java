package dev.rotation.local.testdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from the local installation ({@code /usr/lib/postgresql/<newest>/bin}, or
 * {@code TEST_POSTGRES_BIN_DIR}).
 *
 * <p>{@code initdb} creates the cluster with a random superuser password; {@code pg_hba.conf} is replaced by
 * one that demands SCRAM-SHA-256 for every connection (nothing is trusted), and the server listens on
 * 127.0.0.1 only with its unix socket in the private directory. Every statement is logged to the server log
 * so that tests can prove no plaintext password reaches it.
 */
final class ThrowawayPostgres extends ThrowawayServer {
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    private final Path binDir;

    private ThrowawayPostgres(ServerProcess process, TlsMaterial tls, Path binDir) {
        super(process, tls);
        this.binDir = binDir;
    }

    /** The directory holding initdb and postgres, if any. */
    static Optional<Path> binDir() {
        String configured = System.getenv("TEST_POSTGRES_BIN_DIR");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(ThrowawayPostgres::hasBinaries);
        }
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(ThrowawayPostgres::hasBinaries)
                    .max(Comparator.comparingInt(ThrowawayPostgres::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres"));
    }

    private static int majorVersion(Path binDir) {
        try {
            return Integer.parseInt(binDir.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Optional<String> missingBinaries() {
        return binDir().isPresent() ? Optional.empty()
                : Optional.of("no PostgreSQL server binaries (looked for " + DEBIAN_ROOT + "/*/bin/{initdb,postgres} "
                        + "and TEST_POSTGRES_BIN_DIR)");
    }

    static ThrowawayPostgres start(TlsMaterial tls) {
        Path bin = binDir().orElseThrow(() -> new TestDatabaseUnavailableException("Cannot start a throwaway "
                + "PostgreSQL: " + missingBinaries().orElse("") + ". Install it with `apt-get install postgresql`."));
        // SIGINT is PostgreSQL's "fast" shutdown: it ends open sessions instead of waiting for them.
        ThrowawayPostgres db = new ThrowawayPostgres(ServerProcess.inNewDirectory("postgres", "INT"), tls, bin);
        db.startFirstTime();
        return db;
    }

    @Override
    void initialise() {
        Path dir = process.dir();
        Path pwFile = process.writePrivateFile("initdb.pw", adminPassword);
        process.runSetupTool(List.of(binDir.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                "-U", adminUser(), "--pwfile=" + pwFile, "--auth=scram-sha-256", "-E", "UTF8", "--no-locale",
                "--no-sync", "--no-instructions"), Duration.ofSeconds(60));
        try {
            Files.delete(pwFile);
        } catch (IOException e) {
            // The directory is private and deleted at the end anyway.
        }
        process.writePrivateFile("data/pg_hba.conf", String.join("\n",
                "# Password authentication for every connection; nothing is trusted.",
                "local all all scram-sha-256",
                "host all all 127.0.0.1/32 scram-sha-256",
                ""));
        List<String> conf = new ArrayList<>(List.of(
                "",
                "# Added by the rotation test databases.",
                "listen_addresses = '" + HOST + "'",
                "unix_socket_directories = '" + dir + "'",
                "password_encryption = 'scram-sha-256'",
                "max_connections = 300",
                "shared_buffers = 32MB",
                "log_statement = 'all'",
                "log_line_prefix = '%m [%p] %u@%d '",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off"));
        if (tls != null) {
            process.copyPrivateFile(tls.serverCertificate(), "data/server.crt");
            process.copyPrivateFile(tls.serverKey(), "data/server.key");
            conf.add("ssl = on");
            conf.add("ssl_cert_file = 'server.crt'");
            conf.add("ssl_key_file = 'server.key'");
        }
        Path postgresqlConf = dir.resolve("data/postgresql.conf");
        try {
            Files.writeString(postgresqlConf, String.join("\n", conf) + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new TestDatabaseUnavailableException("cannot configure " + postgresqlConf, e);
        }
    }

    @Override
    List<String> serverCommand(int port, boolean firstStart) {
        return List.of(binDir.resolve("postgres").toString(), "-D", process.dir().resolve("data").toString(),
                "-p", Integer.toString(port));
    }

    @Override
    String addressInUseMessage() {
        return "Address already in use";
    }

    @Override
    public Kind kind() {
        return Kind.POSTGRES;
    }

    @Override
    public String adminUser() {
        return "postgres";
    }

    @Override
    public String adminDatabase() {
        return "postgres";
    }

    @Override
    public String origin() {
        String v = version();
        String shortVersion = v.startsWith("PostgreSQL ") ? v.split(" ")[1] : v;
        return "throwaway PostgreSQL " + shortVersion + " from " + binDir + (tls != null ? " with TLS" : "")
                + " on " + HOST + ":" + port() + " (started in " + startupTime().toMillis() + " ms)";
    }
}
