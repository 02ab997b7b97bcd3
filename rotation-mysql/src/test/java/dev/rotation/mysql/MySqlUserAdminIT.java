package dev.rotation.mysql;

import dev.rotation.shared.AdminRequest;
import dev.rotation.shared.ConnectRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.SslMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link MySqlUserAdmin} on the real MySQL-compatible test server, logged in through
 * {@link MySqlEngine} as a master user without SUPER: what a rotation's privilege synchronisation
 * copies (every host, WITH GRANT OPTION, column privileges, roles, the default role, REQUIRE SSL),
 * what it takes away again, and passwords that need escaping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MySqlUserAdminIT {
    private final TestDatabase db = TestDatabases.mysql();
    private final MySqlEngine admin = new MySqlEngine();
    private final List<String> users = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private String dbName;
    private String master;
    private Connection session;

    @BeforeAll
    void createDatabase() {
        dbName = db.createDatabase("useradmin");
        MySqlTarget.admin(db, "CREATE TABLE " + MySqlEngine.quote(dbName) + ".`t` (a INT, b INT)");
    }

    @BeforeEach
    void logInAsMaster() throws SQLException {
        master = unique("master");
        String password = "Master-" + unique("pw") + "-9x";
        db.createMaster(null, master, password, null);
        users.add(master);
        DatabaseSecret secret = DatabaseSecret.builder().engine("mariadb").host(db.host()).port(db.port())
                .username(master).password(password).ssl(SslMode.DISABLED).build();
        session = new MySqlEngine().connect(new ConnectRequest(secret, DatabaseEngine.Tls.DISABLED, ConnectionSettings.defaults()));
    }

    @AfterEach
    void cleanUp() throws SQLException {
        session.close();
        try (Connection c = db.admin()) {
            for (String user : users) {
                for (String host : MySqlEngine.hosts(c, user)) {
                    MySqlTarget.admin(db, "DROP USER " + MySqlEngine.account(user, host));
                }
            }
        }
        users.clear();
    }

    private static String unique(String prefix) {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + "_" + HexFormat.of().formatHex(bytes);
    }

    private String grantDb() {
        return MySqlTarget.grantDatabase(dbName);
    }

    /** An application user like the rotated one, on two hosts, with every kind of grant and REQUIRE SSL. */
    private String richSourceUser(String role) {
        String source = unique("src");
        users.add(source);
        db.createAppUser(dbName, source, "Src-Passw0rd-1");
        String table = MySqlEngine.quote(dbName) + ".`t`";
        MySqlTarget.admin(db,
                "CREATE USER " + MySqlEngine.account(source, "localhost") + " IDENTIFIED BY 'Src-Passw0rd-2'",
                "GRANT SELECT ON " + grantDb() + ".* TO " + MySqlEngine.account(source, "localhost"),
                "GRANT SELECT (a), UPDATE (b) ON " + table + " TO " + MySqlEngine.account(source, "%"),
                "GRANT INSERT ON " + table + " TO " + MySqlEngine.account(source, "%") + " WITH GRANT OPTION",
                "ALTER USER " + MySqlEngine.account(source, "%") + " REQUIRE SSL");
        masterRuns("CREATE ROLE " + MySqlEngine.quote(role),
                "GRANT SELECT ON " + grantDb() + ".* TO " + MySqlEngine.quote(role),
                "GRANT " + MySqlEngine.quote(role) + " TO " + MySqlEngine.account(source, "%"),
                "SET DEFAULT ROLE " + MySqlEngine.quote(role) + " FOR " + MySqlEngine.account(source, "%"));
        return source;
    }

    private void masterRuns(String... statements) {
        try (Statement s = session.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("master statement failed: " + e.getMessage(), e);
        }
    }

    private String sync(String source) throws SQLException {
        String target = source + "_clone";
        users.add(target);
        log.addAll(admin.ensureUser(new AdminRequest(session, source, target, "master")).changes());
        log.addAll(admin.synchronizePrivileges(new AdminRequest(session, source, target, "master")).changes());
        return target;
    }

    /** SHOW GRANTS with the account's own name replaced and MariaDB's password hash cut out, as a sorted set. */
    private Set<String> grants(String user, String host) throws SQLException {
        Set<String> lines = new TreeSet<>();
        for (String line : MySqlEngine.showGrants(session, user, host)) {
            lines.add(line.replace(MySqlEngine.quote(user) + "@", "`USER`@")
                    .replaceAll(" IDENTIFIED BY PASSWORD '[^']*'", "")
                    .replaceAll(" IDENTIFIED VIA \\S+ USING '[^']*'", ""));
        }
        return lines;
    }

    private String showCreateUser(String user, String host) throws SQLException {
        try (Statement s = session.createStatement();
                ResultSet rows = s.executeQuery("SHOW CREATE USER " + MySqlEngine.account(user, host))) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void synchronizePrivileges_copiesEveryHostGrantOptionColumnsRolesDefaultRoleAndTls() throws SQLException {
        String role = unique("role");
        String source = richSourceUser(role);

        String target = sync(source);

        assertThat(MySqlEngine.hosts(session, target)).containsExactlyInAnyOrder("%", "localhost");
        for (String host : List.of("%", "localhost")) {
            assertThat(grants(target, host)).as("grants on host %s", host).isEqualTo(grants(source, host));
        }
        assertThat(grants(target, "%")).anyMatch(line -> line.contains("WITH GRANT OPTION"))
                .anyMatch(line -> line.contains("SELECT (`a`)") || line.contains("SELECT (a)"))
                .anyMatch(line -> line.startsWith("GRANT " + MySqlEngine.quote(role) + " TO"))
                .anyMatch(line -> line.startsWith("SET DEFAULT ROLE " + MySqlEngine.quote(role)));
        assertThat(showCreateUser(target, "%")).contains("REQUIRE SSL");
        assertThat(showCreateUser(target, "localhost")).doesNotContain("REQUIRE SSL");
        assertThat(String.join("\n", log)).doesNotContain("Src-Passw0rd");
    }

    @Test
    void synchronizePrivileges_afterTheSourceLostGrants_takesThemAwayAndDropsExtraHosts() throws SQLException {
        String role = unique("role");
        String source = richSourceUser(role);
        String target = sync(source);
        String table = MySqlEngine.quote(dbName) + ".`t`";
        MySqlTarget.admin(db,
                "REVOKE SELECT (a) ON " + table + " FROM " + MySqlEngine.account(source, "%"),
                "REVOKE GRANT OPTION ON " + table + " FROM " + MySqlEngine.account(source, "%"),
                "ALTER USER " + MySqlEngine.account(source, "%") + " REQUIRE NONE",
                "DROP USER " + MySqlEngine.account(source, "localhost"));
        masterRuns("SET DEFAULT ROLE NONE FOR " + MySqlEngine.account(source, "%"),
                "REVOKE " + MySqlEngine.quote(role) + " FROM " + MySqlEngine.account(source, "%"));
        log.clear();

        log.addAll(admin.synchronizePrivileges(new AdminRequest(session, source, target, "master")).changes());

        assertThat(MySqlEngine.hosts(session, target)).containsExactly("%");
        assertThat(grants(target, "%")).isEqualTo(grants(source, "%"))
                .noneMatch(line -> line.contains("WITH GRANT OPTION"))
                .noneMatch(line -> line.contains(MySqlEngine.quote(role)));
        assertThat(showCreateUser(target, "%")).doesNotContain("REQUIRE SSL");
        assertThat(log).anyMatch(line -> line.startsWith("REVOKE")).anyMatch(line -> line.startsWith("dropped"));
    }

    @Test
    void synchronizePrivileges_whenAlreadyEqual_changesNothing() throws SQLException {
        String source = richSourceUser(unique("role"));
        String target = sync(source);
        log.clear();

        log.addAll(admin.synchronizePrivileges(new AdminRequest(session, source, target, "master")).changes());

        assertThat(log).isEmpty();
    }

    /**
     * Every privilege this server can grant on {@code *.*}, except those that also exist on schema
     * objects (and SHOW DATABASES, which only lists names), is one requireManageable refuses: a
     * server version with a new administrative privilege fails here until the list has it.
     */
    @Test
    void globalAdministrativePrivileges_holdEveryServerLevelPrivilegeOfThisServer() throws SQLException {
        Set<String> notAdministrative = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "REFERENCES",
                "INDEX", "ALTER", "SHOW DATABASES", "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "CREATE VIEW",
                "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "EVENT", "TRIGGER", "DELETE HISTORY", "USAGE");
        String everything = unique("all");
        users.add(everything);
        MySqlTarget.admin(db, "CREATE USER " + MySqlEngine.account(everything, "%"),
                "GRANT ALL PRIVILEGES ON *.* TO " + MySqlEngine.account(everything, "%"));
        Set<String> serverLevel = new TreeSet<>();
        try (Connection c = db.admin();
                PreparedStatement query = c.prepareStatement(
                        "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?")) {
            query.setString(1, "'" + everything + "'@'%'");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    serverLevel.add(rows.getString(1).toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        serverLevel.removeAll(notAdministrative);

        assertThat(serverLevel).isNotEmpty();
        assertThat(MySqlEngine.GLOBAL_ADMINISTRATIVE_PRIVILEGES).containsAll(serverLevel);
    }

    @Test
    void ensureUser_createsAnAccountNobodyCanLogInToUntilThePasswordIsSet() throws SQLException {
        String source = unique("plain");
        users.add(source);
        db.createAppUser(dbName, source, "Plain-Passw0rd-1");
        String target = source + "_clone";
        users.add(target);

        assertThat(admin.ensureUser(new AdminRequest(session, source, target, "master")).changed()).isTrue();
        assertThat(admin.ensureUser(new AdminRequest(session, source, target, "master")).changed()).isFalse();

        assertThat(db.canLogin(dbName, target, "")).isFalse();
        assertThat(db.canLogin(dbName, target, "Plain-Passw0rd-1")).isFalse();
    }

    @Test
    void setPassword_withQuotesBackslashesAndWildcards_isStoredExactly() throws SQLException {
        String source = unique("quote");
        users.add(source);
        db.createAppUser(dbName, source, "Quote-Passw0rd-1");
        String target = sync(source);
        String password = "it's \"quoted\" \\ back\\\\slash \\' %_ `tick` ;-- end";

        admin.setPassword(new AdminRequest(session, target, target, "master"), password);

        assertThat(db.canLogin(dbName, target, password)).isTrue();
        assertThat(db.canLogin(dbName, target, password.replace("\\\\", "\\"))).isFalse();
        try (PreparedStatement check = session.prepareStatement("SELECT COUNT(*) FROM mysql.user WHERE User = ?")) {
            check.setString(1, target);
            try (ResultSet rows = check.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }

    /** The hash computed here must be the server's PASSWORD() of the same text, beyond ASCII too. */
    @Test
    void setPassword_ofANativeAccount_sendsTheHashTheServerWouldComputeForNonAsciiToo() throws SQLException {
        String source = unique("utf8");
        users.add(source);
        db.createAppUser(dbName, source, "Utf8-Passw0rd-1");
        String target = sync(source);
        String password = "pässwörd-ü€-\uD83D\uDD11-Zz9";

        admin.setPassword(new AdminRequest(session, target, target, "master"), password);

        try (PreparedStatement check = session.prepareStatement("SELECT PASSWORD(?)")) {
            check.setString(1, password);
            try (ResultSet rows = check.executeQuery()) {
                rows.next();
                assertThat(MySqlEngine.nativePasswordHash(password)).isEqualTo(rows.getString(1));
            }
        }
        assertThat(showCreateUser(target, "%")).contains(MySqlEngine.nativePasswordHash(password));
        assertThat(db.canLogin(dbName, target, password)).isTrue();
    }

    @Test
    void setPassword_onAServerWithNoBackslashEscapes_isStoredExactly() throws SQLException {
        try (TestDatabase own = TestDatabases.startMysql()) {
            String ownDb = own.createDatabase("nbe");
            String source = unique("nbe");
            own.createAppUser(ownDb, source, "Nbe-Passw0rd-1");
            String ownMaster = unique("master");
            own.createMaster(null, ownMaster, "Master-Passw0rd-1", null);
            MySqlTarget.admin(own,
                    "SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')");
            DatabaseSecret secret = DatabaseSecret.builder().engine("mariadb").host(own.host()).port(own.port())
                    .username(ownMaster).password("Master-Passw0rd-1").ssl(SslMode.DISABLED).build();
            String password = "it's \\ a \\' back\\slash \"quote\"";
            try (Connection ownSession = new MySqlEngine().connect(new ConnectRequest(secret, DatabaseEngine.Tls.DISABLED, ConnectionSettings.defaults()))) {
                log.addAll(admin.ensureUser(new AdminRequest(ownSession, source, source + "_clone", "master")).changes());
                log.addAll(admin.synchronizePrivileges(new AdminRequest(ownSession, source, source + "_clone", "master")).changes());
                admin.setPassword(new AdminRequest(ownSession, source + "_clone", source + "_clone", "master"), password);
            }

            assertThat(own.canLogin(ownDb, source + "_clone", password)).isTrue();
        }
    }
    /**
     * ANSI_QUOTES makes the server print names in double quotes, inside which a backslash is an
     * ordinary character: a scanner reading them as string literals loses its place. The function's
     * session clears the mode, so names come back in backticks.
     */
    @Test
    void synchronizePrivileges_onAServerWithAnsiQuotes_copiesGrantsOnNamesWithQuotesAndBackslashes()
            throws SQLException {
        try (TestDatabase own = TestDatabases.startMysql()) {
            String ownDb = own.createDatabase("ansi");
            String odd = "q\"d'b\\";
            String oddTable = MySqlEngine.quote(odd) + "." + MySqlEngine.quote("t\\");
            String source = unique("ansi");
            own.createAppUser(ownDb, source, "Ansi-Passw0rd-1");
            String ownMaster = unique("master");
            own.createMaster(null, ownMaster, "Master-Passw0rd-1", null);
            MySqlTarget.admin(own,
                    "CREATE DATABASE " + MySqlEngine.quote(odd),
                    "CREATE TABLE " + oddTable + " (id INT)",
                    "INSERT INTO " + oddTable + " VALUES (1)",
                    "GRANT SELECT ON " + oddTable + " TO " + MySqlEngine.account(source, "%"),
                    "GRANT INSERT ON " + MySqlTarget.grantDatabase(odd) + ".* TO "
                            + MySqlEngine.account(source, "%"),
                    "SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',ANSI_QUOTES')");
            DatabaseSecret secret = DatabaseSecret.builder().engine("mariadb").host(own.host()).port(own.port())
                    .username(ownMaster).password("Master-Passw0rd-1").ssl(SslMode.DISABLED).build();
            String target = source + "_clone";
            try (Connection ownSession = new MySqlEngine().connect(new ConnectRequest(secret, DatabaseEngine.Tls.DISABLED, ConnectionSettings.defaults()))) {
                log.addAll(admin.ensureUser(new AdminRequest(ownSession, source, target, "master")).changes());
                log.addAll(admin.synchronizePrivileges(new AdminRequest(ownSession, source, target, "master")).changes());
                admin.setPassword(new AdminRequest(ownSession, target, target, "master"), "Clone-Passw0rd-1");
            }

            try (Connection c = own.admin(); Statement s = c.createStatement()) {
                s.execute("SET SESSION sql_mode = ''");
                assertThat(grantsOf(c, target)).isEqualTo(grantsOf(c, source))
                        .anyMatch(line -> line.contains("ON `q\"d'b\\\\`.*"))
                        .anyMatch(line -> line.contains("ON `q\"d'b\\`.`t\\`"));
            }
            try (Connection clone = own.connect(ownDb, target, "Clone-Passw0rd-1"); Statement s = clone.createStatement();
                    ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + oddTable)) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            // Combination modes imply ANSI_QUOTES: setting what is left must not bring it back.
            MySqlTarget.admin(own,
                    "SET GLOBAL sql_mode = 'ORACLE,MSSQL,ANSI,DB2,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES'");
            try (Connection ownSession = new MySqlEngine().connect(new ConnectRequest(secret, DatabaseEngine.Tls.DISABLED, ConnectionSettings.defaults())); Statement s = ownSession.createStatement();
                    ResultSet rows = s.executeQuery("SELECT @@SESSION.sql_mode")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1).split(",")).contains("STRICT_TRANS_TABLES")
                        .doesNotContain("ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "ORACLE", "MSSQL", "ANSI", "DB2");
            }
        }
    }

    /** SHOW GRANTS with the account's own name and MariaDB's password hash cut out, as a sorted set. */
    private static Set<String> grantsOf(Connection c, String user) throws SQLException {
        Set<String> lines = new TreeSet<>();
        for (String line : MySqlEngine.showGrants(c, user, "%")) {
            lines.add(line.replace(MySqlEngine.quote(user) + "@", "`USER`@")
                    .replaceAll(" IDENTIFIED BY PASSWORD '[^']*'", ""));
        }
        return lines;
    }
}
