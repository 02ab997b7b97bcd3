package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both shared servers really check passwords: wrong ones are refused, for app users and the admin alike. */
class PasswordAuthenticationIT {

    static Stream<String> engines() {
        return Engines.names();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void canLogin_withTheRightPassword_isTrue(String engine) {
        TestDatabase db = Engines.shared(engine);
        String dbName = db.createDatabase("auth");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(dbName, user, "right-Password-1");

        assertThat(db.canLogin(dbName, user, "right-Password-1")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void canLogin_withAWrongPassword_isFalse(String engine) {
        TestDatabase db = Engines.shared(engine);
        String dbName = db.createDatabase("auth");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(dbName, user, "right-Password-1");

        assertThat(db.canLogin(dbName, user, "wrong-Password-1")).isFalse();
        assertThat(db.canLogin(dbName, user, "right-Password-")).isFalse();
        assertThat(db.canLogin(dbName, user, "RIGHT-PASSWORD-1")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void canLogin_forAnUnknownUser_isFalse(String engine) {
        TestDatabase db = Engines.shared(engine);
        String dbName = db.createDatabase("auth");

        assertThat(db.canLogin(dbName, "nobody_" + Passwords.suffix(8), "any-Password-1")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void admin_withAWrongPassword_isRefused(String engine) {
        TestDatabase db = Engines.shared(engine);
        Properties props = new Properties();
        props.setProperty("user", db.adminUsername());
        props.setProperty("password", db.adminPassword() + "x");

        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(adminDatabase(db)), props).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((AbstractTestDatabase) db).isAuthenticationFailure((SQLException) e)).isTrue());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void setPasswordAsAdmin_changesWhichPasswordLogsIn(String engine) {
        TestDatabase db = Engines.shared(engine);
        String dbName = db.createDatabase("auth");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(dbName, user, "first-Password-1");

        db.setPasswordAsAdmin(user, "second-Password-2");

        assertThat(db.canLogin(dbName, user, "second-Password-2")).isTrue();
        assertThat(db.canLogin(dbName, user, "first-Password-1")).isFalse();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void canLogin_withEveryPunctuationCharacterInThePassword_isTrue(String engine) {
        TestDatabase db = Engines.shared(engine);
        String dbName = db.createDatabase("auth");
        String user = "u_" + Passwords.suffix(8);
        String password = "Aa1!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        db.createAppUser(dbName, user, password);

        assertThat(db.canLogin(dbName, user, password)).isTrue();
        assertThat(db.canLogin(dbName, user, password.replace('\\', '/'))).isFalse();
    }

    @ParameterizedTest
    @MethodSource("engines")
    void connect_asAnAppUser_givesAWorkingSession(String engine) throws SQLException {
        TestDatabase db = Engines.shared(engine);
        String dbName = db.createDatabase("auth");
        String user = "u_" + Passwords.suffix(8);
        db.createAppUser(dbName, user, "right-Password-1");

        try (Connection c = db.connect(dbName, user, "right-Password-1");
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith(user);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void canLogin_toAMissingDatabase_throwsInsteadOfAnsweringFalse(String engine) {
        TestDatabase db = Engines.shared(engine);

        assertThatThrownBy(() -> db.canLogin("missing_" + Passwords.suffix(8), db.adminUsername(), db.adminPassword()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(db.adminPassword());
    }

    private static String adminDatabase(TestDatabase db) {
        return db.engine().equals("postgres") ? "postgres" : "";
    }
}
