package dev.rotation.local.testdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A throwaway MariaDB server from the local installation.
 *
 * <p>The system tables are created as {@code mariadb-install-db} would, minus the help tables. The first
 * start runs a one-time init file that removes every account but {@code root@localhost} (no anonymous
 * users, no {@code root@<hostname>}), gives root a random password and adds {@code root@127.0.0.1} with
 * the same password. The unix socket lives in the private directory; TCP listens on 127.0.0.1 only.
 */
final class ThrowawayMariaDb extends ThrowawayServer {
    private static final List<Path> SERVER_CANDIDATES = List.of(Path.of("/usr/sbin/mariadbd"), Path.of("/usr/bin/mariadbd"));
    private static final List<Path> SQL_DIR_CANDIDATES = List.of(Path.of("/usr/share/mariadb"), Path.of("/usr/share/mysql"));
    /** What mariadb-install-db feeds the bootstrap, minus the 3 MB of help texts and the sys schema. */
    private static final List<String> BOOTSTRAP_SQL = List.of("system_tables.sql", "performance_tables.sql",
            "system_tables_data.sql");
    /** The bootstrap files' prefix: {@code mysql_} up to 10.x, {@code mariadb_} from 11.0 on. */
    private static final List<String> BOOTSTRAP_PREFIXES = List.of("mysql_", "mariadb_");
    private static final String OPTIONAL_BOOTSTRAP_SQL = "maria_add_gis_sp_bootstrap.sql";

    private static final List<Path> INSTALL_CANDIDATES = List.of(Path.of("/usr/bin/mariadb-install-db"),
            Path.of("/usr/bin/mysql_install_db"), Path.of("/usr/scripts/mariadb-install-db"));

    /** Small and unsafe-on-crash settings: the data is thrown away, start-up and tests should be quick. */
    private static final List<String> TUNING = List.of(
            "--innodb-buffer-pool-size=16M",
            "--innodb-log-file-size=8M",
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
            "--innodb-buffer-pool-dump-at-shutdown=0",
            "--innodb-buffer-pool-load-at-startup=0",
            "--skip-log-bin",
            "--innodb-temp-data-file-path=ibtmp1:1M:autoextend",
            "--performance-schema=OFF");

    private final Path server;
    private final Path installDb;
    private final boolean useInstallDb;
    private final List<Path> sqlDirs;
    /** The server tree's {@code share/} when it is not installed where the server was built to look (an artifact). */
    private final Path shareDir;
    private Path initFile;

    private ThrowawayMariaDb(ServerProcess process, TlsMaterial tls, Path server, Path installDb, boolean useInstallDb,
            List<Path> sqlDirs, Path shareDir) {
        super(process, tls);
        this.server = server;
        this.installDb = installDb;
        this.useInstallDb = useInstallDb;
        this.sqlDirs = sqlDirs;
        this.shareDir = shareDir;
    }

    /** A server from an unpacked server tree ({@code bin/mariadbd}, {@code scripts/}, {@code share/}). */
    static ThrowawayMariaDb startFromTree(Path root, TlsMaterial tls) {
        Path share = root.resolve("share");
        ThrowawayMariaDb db = new ThrowawayMariaDb(ServerProcess.inNewDirectory("mariadb", "TERM"), tls,
                root.resolve("bin/mariadbd"), root.resolve("scripts/mariadb-install-db"), false, List.of(share), share);
        db.startFirstTime();
        return db;
    }

    /** Whether the binaries are installed; empty if so, else what is missing. */
    static Optional<String> missingBinaries() {
        if (find(SERVER_CANDIDATES).isEmpty()) {
            return Optional.of("no MariaDB server binary (looked for " + SERVER_CANDIDATES + ")");
        }
        if (find(INSTALL_CANDIDATES).isEmpty()) {
            return Optional.of("no mariadb-install-db (looked for " + INSTALL_CANDIDATES + ")");
        }
        return Optional.empty();
    }

    static ThrowawayMariaDb start(TlsMaterial tls) {
        return start(tls, false);
    }

    /** {@code useInstallDb} forces the slower mariadb-install-db, the fallback when the bootstrap SQL is elsewhere. */
    static ThrowawayMariaDb start(TlsMaterial tls, boolean useInstallDb) {
        missingBinaries().ifPresent(m -> {
            throw new TestDatabaseUnavailableException("Cannot start a throwaway MariaDB: " + m
                    + ". Install it with `apt-get install mariadb-server`.");
        });
        ThrowawayMariaDb db = new ThrowawayMariaDb(ServerProcess.inNewDirectory("mariadb", "TERM"), tls,
                find(SERVER_CANDIDATES).orElseThrow(), find(INSTALL_CANDIDATES).orElseThrow(), useInstallDb,
                SQL_DIR_CANDIDATES, null);
        db.startFirstTime();
        return db;
    }

    private static Optional<Path> find(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    @Override
    void initialise() {
        Optional<Path> sqlDir = Optional.empty();
        String prefix = null;
        for (Path d : useInstallDb ? List.<Path>of() : sqlDirs) {
            for (String p : BOOTSTRAP_PREFIXES) {
                if (sqlDir.isEmpty() && BOOTSTRAP_SQL.stream().allMatch(f -> Files.isReadable(d.resolve(p + f)))) {
                    sqlDir = Optional.of(d);
                    prefix = p;
                }
            }
        }
        if (sqlDir.isPresent()) {
            bootstrap(sqlDir.get(), prefix);
        } else {
            installDb();
        }
        if (tls != null) {
            process.copyPrivateFile(tls.caCertificate(), "ca.pem");
            process.copyPrivateFile(tls.serverCertificate(), "server-cert.pem");
            process.copyPrivateFile(tls.serverKey(), "server-key.pem");
        }
        // One statement per line: that is how the server reads an init file. The password is letters and digits.
        initFile = process.writePrivateFile("init.sql", String.join("\n",
                "DELETE FROM mysql.global_priv WHERE NOT (Host = 'localhost' AND User IN ('root', 'mariadb.sys'));",
                "DELETE FROM mysql.proxies_priv WHERE NOT (Host = 'localhost' AND User = 'root');",
                "FLUSH PRIVILEGES;",
                "ALTER USER 'root'@'localhost' IDENTIFIED BY '" + adminPassword + "';",
                "CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY '" + adminPassword + "';",
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
                "GRANT PROXY ON ''@'%' TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
                ""));
    }

    /**
     * Creates the system tables the way mariadb-install-db does (its SQL piped into {@code mariadbd
     * --bootstrap}) but without the help tables and the sys schema, which take most of its time.
     */
    private void bootstrap(Path sqlDir, String prefix) {
        Path dir = process.dir();
        StringBuilder sql = new StringBuilder("CREATE DATABASE IF NOT EXISTS mysql;\nUSE mysql;\n"
                + "SET @auth_root_socket=NULL;\n");
        try {
            for (String file : BOOTSTRAP_SQL) {
                sql.append(Files.readString(sqlDir.resolve(prefix + file), StandardCharsets.UTF_8)).append('\n');
            }
            if (Files.isReadable(sqlDir.resolve(OPTIONAL_BOOTSTRAP_SQL))) {
                sql.append(Files.readString(sqlDir.resolve(OPTIONAL_BOOTSTRAP_SQL), StandardCharsets.UTF_8));
            }
            process.createPrivateDirectory("data");
            Path script = dir.resolve("bootstrap.sql");
            Files.writeString(script, sql, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(server.toString(), "--no-defaults", "--bootstrap",
                    "--datadir=" + dir.resolve("data"), "--log-warnings=0", "--enforce-storage-engine=",
                    "--max-allowed-packet=8M", "--net-buffer-length=16K"));
            cmd.addAll(treeOptions());
            cmd.addAll(TUNING);
            process.runSetupTool(cmd, script, Duration.ofSeconds(60));
            Files.delete(script);
        } catch (IOException e) {
            throw new TestDatabaseUnavailableException("cannot prepare the MariaDB bootstrap from " + sqlDir, e);
        }
    }

    private void installDb() {
        List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults",
                "--datadir=" + process.dir().resolve("data"),
                "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"));
        install.addAll(TUNING);
        process.runSetupTool(install, Duration.ofSeconds(60));
    }

    @Override
    List<String> serverCommand(int port, boolean firstStart) {
        Path dir = process.dir();
        List<String> cmd = new ArrayList<>(List.of(server.toString(), "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--tmpdir=" + dir,
                "--log-error=" + process.log(),
                "--port=" + port,
                "--bind-address=" + HOST,
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci",
                "--max-connections=500"));
        cmd.addAll(treeOptions());
        cmd.addAll(TUNING);
        if (tls != null) {
            cmd.add("--ssl-ca=" + dir.resolve("ca.pem"));
            cmd.add("--ssl-cert=" + dir.resolve("server-cert.pem"));
            cmd.add("--ssl-key=" + dir.resolve("server-key.pem"));
        }
        if (firstStart) {
            cmd.add("--init-file=" + initFile);
        }
        return cmd;
    }

    /** Where an unpacked server finds its error messages and character sets (it was built for another prefix). */
    private List<String> treeOptions() {
        return shareDir == null ? List.of() : List.of("--basedir=" + shareDir.getParent(),
                "--lc-messages-dir=" + shareDir, "--character-sets-dir=" + shareDir.resolve("charsets"));
    }

    @Override
    void afterFirstStart() {
        try {
            Files.deleteIfExists(initFile); // it holds the admin password
        } catch (IOException e) {
            // The directory is private and deleted at the end anyway.
        }
    }

    @Override
    String addressInUseMessage() {
        return "already in use";
    }

    @Override
    public Kind kind() {
        return Kind.MYSQL;
    }

    @Override
    public String adminUser() {
        return "root";
    }

    @Override
    public String adminDatabase() {
        return "";
    }

    @Override
    public String origin() {
        return "throwaway MariaDB " + shortVersion() + " from " + server + (tls != null ? " with TLS" : "")
                + " on " + HOST + ":" + port() + " (started in " + startupTime().toMillis() + " ms)";
    }

    private String shortVersion() {
        String v = version();
        int dash = v.indexOf('-');
        return dash > 0 ? v.substring(0, dash) : v;
    }
}
