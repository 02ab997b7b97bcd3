package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** App users are ordinary: everything in their own database, nothing outside it, no user management. */
class AppUserRightsIT {
    private static final String PASSWORD = "app-Password-1";

    static Stream<String> engines() {
        return Engines.names();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void appUser_canCreateAndUseTablesInItsOwnDatabase(String engine) throws SQLException {
        TestDatabase db = Engines.shared(engine);
        String own = db.createDatabase("rights");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(own, user, PASSWORD);

        try (Connection c = db.connect(own, user, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (42)");
            try (ResultSet rs = s.executeQuery("SELECT id FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void appUser_cannotCreateUsers(String engine) throws SQLException {
        TestDatabase db = Engines.shared(engine);
        String own = db.createDatabase("rights");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(own, user, PASSWORD);
        String intruder = "x_" + Passwords.suffix(8);
        String createUser = engine.equals("postgres")
                ? "CREATE ROLE " + intruder + " LOGIN PASSWORD 'intruder-Password-1'"
                : "CREATE USER '" + intruder + "'@'%' IDENTIFIED BY 'intruder-Password-1'";

        try (Connection c = db.connect(own, user, PASSWORD); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(createUser)).isInstanceOf(SQLException.class);
        }
        assertThat(db.userExists(intruder)).isFalse();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void appUser_cannotChangeAnotherUsersPassword(String engine) throws SQLException {
        TestDatabase db = Engines.shared(engine);
        String own = db.createDatabase("rights");
        String user = "u_" + Passwords.suffix(8);
        String victim = "v_" + Passwords.suffix(8);
        db.createAppUser(own, user, PASSWORD);
        db.createAppUser(own, victim, "victim-Password-1");
        String alter = engine.equals("postgres")
                ? "ALTER ROLE " + victim + " PASSWORD 'stolen-Password-1'"
                : "ALTER USER '" + victim + "'@'%' IDENTIFIED BY 'stolen-Password-1'";

        try (Connection c = db.connect(own, user, PASSWORD); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(alter)).isInstanceOf(SQLException.class);
        }
        assertThat(db.canLogin(own, victim, "victim-Password-1")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void appUser_cannotReachAnotherDatabase(String engine) throws SQLException {
        TestDatabase db = Engines.shared(engine);
        String own = db.createDatabase("rights");
        String other = db.createDatabase("rights");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(own, user, PASSWORD);

        assertThatThrownBy(() -> db.connect(other, user, PASSWORD).close()).isInstanceOf(IllegalStateException.class);
        if (engine.equals("mysql")) {
            try (Connection c = db.connect(own, user, PASSWORD); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("CREATE TABLE `" + other + "`.t (id INT)"))
                        .isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.executeQuery("SELECT * FROM mysql.user").close())
                        .isInstanceOf(SQLException.class);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void mysqlAppUser_grantOnADatabaseWithAnUnderscore_doesNotCoverLookAlikeNames() throws SQLException {
        TestDatabase db = TestDatabases.mysql();
        String own = db.createDatabase("wild");
        String lookAlike = own.replace('_', 'x');
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + lookAlike + "`");
        }
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(own, user, PASSWORD);

        try (Connection c = db.connect(own, user, PASSWORD); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("CREATE TABLE `" + lookAlike + "`.t (id INT)"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void appUser_hasNoServerWidePrivileges(String engine) throws SQLException {
        TestDatabase db = Engines.shared(engine);
        String own = db.createDatabase("rights");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(own, user, PASSWORD);

        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            if (engine.equals("postgres")) {
                try (ResultSet rs = s.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, "
                        + "rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = '" + user + "'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(new boolean[] {rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                            rs.getBoolean(5), rs.getBoolean(6)}).containsExactly(false, false, false, false, false, true);
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r "
                        + "ON r.oid = m.member WHERE r.rolname = '" + user + "'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("role memberships").isZero();
                }
            } else {
                try (ResultSet rs = s.executeQuery("SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES "
                        + "WHERE GRANTEE = '''" + user + "''@''%'''")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("USAGE");
                    assertThat(rs.next()).as("more global privileges than USAGE").isFalse();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void appUser_canChangeItsOwnPassword(String engine) throws SQLException {
        TestDatabase db = Engines.shared(engine);
        String own = db.createDatabase("rights");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(own, user, PASSWORD);
        String change = switch (db.engine()) {
            case "postgres" -> "ALTER ROLE " + user + " PASSWORD 'changed-Password-2'";
            case "mariadb" -> "SET PASSWORD = PASSWORD('changed-Password-2')";
            default -> "ALTER USER CURRENT_USER() IDENTIFIED BY 'changed-Password-2'";
        };

        try (Connection c = db.connect(own, user, PASSWORD); Statement s = c.createStatement()) {
            s.execute(change);
        }

        assertThat(db.canLogin(own, user, "changed-Password-2")).isTrue();
        assertThat(db.canLogin(own, user, PASSWORD)).isFalse();
    }
}
