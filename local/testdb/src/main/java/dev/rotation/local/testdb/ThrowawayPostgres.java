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
    private final int major;
    private final java.util.Set<String> trusted = new java.util.LinkedHashSet<>();

    private ThrowawayPostgres(ServerProcess process, TlsMaterial tls, Path binDir, int major) {
        super(process, tls);
        this.binDir = binDir;
        this.major = major;
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
        return start(bin, majorVersion(bin), tls);
    }

    /** A server of {@code major} from the installed packages, or a failure naming the package to install. */
    static ThrowawayPostgres startInstalled(int major, TlsMaterial tls) {
        Path bin = DEBIAN_ROOT.resolve(Integer.toString(major)).resolve("bin");
        if (!hasBinaries(bin)) {
            throw new TestDatabaseUnavailableException("Cannot start PostgreSQL " + major + ": no " + bin
                    + "/{initdb,postgres}. Install it with `apt-get install postgresql-" + major + "`.");
        }
        return start(bin, major, tls);
    }

    /** A server from {@code bin} (initdb and postgres of PostgreSQL {@code major}; -1 if unknown). */
    static ThrowawayPostgres start(Path bin, int major, TlsMaterial tls) {
        // SIGINT is PostgreSQL's "fast" shutdown: it ends open sessions instead of waiting for them.
        ThrowawayPostgres db = new ThrowawayPostgres(ServerProcess.inNewDirectory("postgres", "INT"), tls, bin, major);
        db.startFirstTime();
        return db;
    }

    @Override
    void initialise() {
        Path dir = process.dir();
        Path pwFile = process.writePrivateFile("initdb.pw", adminPassword);
        List<String> initdb = new ArrayList<>(List.of(binDir.resolve("initdb").toString(), "-D",
                dir.resolve("data").toString(), "-U", adminUser(), "--pwfile=" + pwFile, "--auth=scram-sha-256",
                "-E", "UTF8", "--no-locale", "--no-sync"));
        if (major < 0 || major >= 14) {
            initdb.add("--no-instructions"); // new in 14; older versions print the hint, which does no harm
        }
        process.runSetupTool(initdb, Duration.ofSeconds(60));
        try {
            Files.delete(pwFile);
        } catch (IOException e) {
            // The directory is private and deleted at the end anyway.
        }
        writeHba();
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

    /** Password authentication for every connection; nothing is trusted but what {@link #trust} added. */
    private void writeHba() {
        List<String> lines = new ArrayList<>(List.of("# Password authentication for every connection; nothing is"
                + " trusted but the users a test trusts on purpose."));
        for (String user : trusted) {
            lines.add("host all \"" + user.replace("\"", "\"\"") + "\" 127.0.0.1/32 trust");
        }
        lines.add("local all all scram-sha-256");
        lines.add("host all all 127.0.0.1/32 scram-sha-256");
        lines.add("");
        process.writePrivateFile("data/pg_hba.conf", String.join("\n", lines));
    }

    /** Makes the server accept any password for {@code username} over TCP ({@code trust}); reloads the server. */
    @Override
    public synchronized void trust(String username) {
        if (username.isEmpty() || username.contains("\n") || username.contains("\"")) {
            throw new IllegalArgumentException("cannot trust this user name in pg_hba.conf");
        }
        trusted.add(username);
        writeHba();
        try (java.sql.Connection c = Jdbc.openAdmin(this, null); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rows = s.executeQuery("SELECT pg_reload_conf()")) {
            rows.next();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reload " + origin() + ": " + e.getMessage(), e);
        }
        // The reload is asynchronous: wait until a login with a password nobody set gets in.
        String nobodysPassword = Passwords.random(24);
        process.awaitReady(() -> Jdbc.open(this, adminDatabase(), username, nobodysPassword).close(),
                Duration.ofSeconds(30));
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
