package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Servers of one's own: restart and stop/start in place, a clean account set, and stop-and-delete on
 * close. One own server per engine serves the tests that leave it running (started on first use).
 */
class OwnServerLifecycleIT {
    private static final Map<String, TestDatabase> OWN = new ConcurrentHashMap<>();

    static Stream<String> engines() {
        return Engines.names();
    }

    private static TestDatabase startOwn(String engine) {
        return engine.equals("mysql") ? TestDatabases.startMysql() : TestDatabases.startPostgres();
    }

    private static TestDatabase own(String engine) {
        return OWN.computeIfAbsent(engine, OwnServerLifecycleIT::startOwn);
    }

    @AfterAll
    static void closeOwnServers() {
        OWN.values().forEach(TestDatabase::close);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void restart_keepsPortDataAndPasswords_andBreaksOpenConnections(String engine) throws SQLException {
        TestDatabase db = own(engine);
        String dbName = db.createDatabase("restart");
        db.createAppUser(dbName, "keeper", "kept-Password-1");
        try (Connection c = db.connect(dbName, "keeper", "kept-Password-1"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id INT)");
            s.execute("INSERT INTO kept VALUES (7)");
        }
        int port = db.port();
        Connection before = db.admin();

        db.restart();

        assertThat(db.port()).isEqualTo(port);
        assertThat(db.canLogin(dbName, "keeper", "kept-Password-1")).isTrue();
        assertThat(db.canLogin(dbName, "keeper", "wrong-Password-1")).isFalse();
        try (Connection c = db.connect(dbName, "keeper", "kept-Password-1"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }
        assertThatThrownBy(() -> before.createStatement().executeQuery("SELECT 1").close())
                .isInstanceOf(SQLException.class);
        before.close();
        db.dropUser("keeper");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void stop_makesTheServerUnreachable_untilStartBringsItBackUnchanged(String engine) {
        TestDatabase db = own(engine);
        String dbName = db.createDatabase("outage");
        db.createAppUser(dbName, "waiter", "wait-Password-1");
        int port = db.port();

        db.stop();

        assertThatThrownBy(() -> db.canLogin(dbName, "waiter", "wait-Password-1"))
                .isInstanceOf(IllegalStateException.class);

        db.start();

        assertThat(db.port()).isEqualTo(port);
        assertThat(db.canLogin(dbName, "waiter", "wait-Password-1")).isTrue();
        db.dropUser("waiter");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void ownThrowawayServer_listensOnAnEphemeralLoopbackPort_andDescribesItselfWithoutPasswords(String engine) {
        TestDatabase db = own(engine);

        assertThat(db.host()).isEqualTo("127.0.0.1");
        assertThat(db.port()).isNotIn(3306, 5432).isGreaterThan(1023);
        assertThat(db.describe()).startsWith("throwaway ").contains("127.0.0.1:" + db.port())
                .doesNotContain(db.adminPassword());
        assertThat(db.toString()).doesNotContain(db.adminPassword());
        assertThat(db.jdbcUrl("x")).doesNotContain(db.adminPassword());
    }

    @Test
    void ownThrowawayMariaDb_hasNoAnonymousOrPasswordlessAccounts_andRootOnlyOnLoopback() throws SQLException {
        TestDatabase db = own("mysql");
        List<String> accounts = new ArrayList<>();
        try (Connection c = db.admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CONCAT(User, '@', Host), authentication_string <> '' FROM mysql.user "
                     + "WHERE User IN ('root', '') OR authentication_string = '' ORDER BY 1")) {
            while (rs.next()) {
                accounts.add(rs.getString(1) + (rs.getBoolean(2) ? " with password" : " WITHOUT PASSWORD"));
            }
        }

        // mariadb.sys is a locked definer account; it cannot log in.
        assertThat(accounts).containsExactly("mariadb.sys@localhost WITHOUT PASSWORD", "root@127.0.0.1 with password",
                "root@localhost with password");
    }

    @Test
    void ownThrowawayPostgres_demandsScramForEveryConnection() throws SQLException {
        TestDatabase db = own("postgres");
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            List<String> methods = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT auth_method FROM pg_hba_file_rules")) {
                while (rs.next()) {
                    methods.add(rs.getString(1));
                }
            }
            assertThat(methods).containsExactly("scram-sha-256");
            try (ResultSet rs = s.executeQuery("SHOW password_encryption")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("scram-sha-256");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void close_stopsTheServerAndDeletesItsFiles(String engine) {
        TestDatabase db = startOwn(engine);
        Path dir = db.serverLog().orElseThrow().getParent();
        assertThat(dir).isDirectory();

        db.close();

        assertThat(Files.exists(dir)).isFalse();
        assertThatThrownBy(db::admin).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void throwawayMariaDb_initialisedByInstallDb_worksLikeTheFastBootstrap() {
        try (TestDatabase db = AbstractTestDatabase.of(ThrowawayMariaDb.start(null, true), false)) {
            String dbName = db.createDatabase("installdb");
            db.createAppUser(dbName, "installed", "installed-Password-1");

            assertThat(db.canLogin(dbName, "installed", "installed-Password-1")).isTrue();
            assertThat(db.canLogin(dbName, "installed", "wrong-Password-1")).isFalse();
            assertThat(db.canLogin(dbName, "root", "")).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void sharedServer_ignoresClose(String engine) {
        TestDatabase shared = Engines.shared(engine);
        String dbName = shared.createDatabase("shared");

        shared.close();

        assertThat(shared.canLogin(dbName, shared.adminUsername(), shared.adminPassword())).isTrue();
        assertThat(Engines.shared(engine)).isSameAs(shared);
    }

    @Test
    void sharedServers_reportTheirEngines() {
        assertThat(TestDatabases.mysql().engine()).isIn("mariadb", "mysql");
        assertThat(TestDatabases.postgres().engine()).isEqualTo("postgres");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void serverStartup_isReported(String engine) {
        TestDatabase db = Engines.shared(engine);

        System.out.println("test database: " + db.describe());

        assertThat(db.describe()).isNotBlank().doesNotContain(db.adminPassword());
    }
}
