package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.mysql.ScriptedConnection.Executed;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.shared.PasswordChangeRequest;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MySqlEngineChangePasswordTest {
    private static final String CURRENT = "Current-pw-1";
    private static final String NEW = "New-pw-2";

    private final MySqlEngine engine = new MySqlEngine();
    private final DatabaseSecret secret = DatabaseSecret.builder().engine("mysql").host("db").username("app")
            .password(CURRENT).build();

    @ParameterizedTest
    @ValueSource(strings = {"8.0.36", "8.4.3", "9.1.0", "5.7.44-log", "8.0.mysql_aurora.3.05.2", "not a version"})
    void changeOwnPassword_onMySql576AndLater_altersTheCurrentUserWithTheBoundPassword(String version)
            throws SQLException {
        ScriptedConnection server = new ScriptedConnection(version);

        engine.changeOwnPassword(new PasswordChangeRequest(server.connection(), secret, NEW));

        assertThat(server.executed).containsExactly(new Executed(MySqlEngine.ALTER_OWN_PASSWORD, List.of(NEW)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.11.19-MariaDB-0+deb12u1", "5.5.5-10.6.18-MariaDB", "11.4.2-MariaDB", "5.6.51",
        "5.7.5"})
    void changeOwnPassword_onMariaDbAndOldMySql_setsThePasswordWithPasswordFunction(String version)
            throws SQLException {
        ScriptedConnection server = new ScriptedConnection(version);

        engine.changeOwnPassword(new PasswordChangeRequest(server.connection(), secret, NEW));

        assertThat(server.executed).containsExactly(new Executed(MySqlEngine.SET_OWN_PASSWORD_LEGACY, List.of(NEW)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.11.19-MariaDB-0+deb12u1", "5.5.5-10.1.48-MariaDB", "5.6.51"})
    void changeOwnPassword_onANativePasswordAccount_sendsTheHashNotThePassword(String version) throws SQLException {
        ScriptedConnection server = new ScriptedConnection(version).withOwnGrants(
                "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'",
                "GRANT ALL PRIVILEGES ON `app`.* TO `app`@`%`");

        engine.changeOwnPassword(new PasswordChangeRequest(server.connection(), secret, NEW));

        assertThat(server.executed).containsExactly(
                new Executed(MySqlEngine.SET_OWN_PASSWORD_HASH, List.of(MySqlEngine.nativePasswordHash(NEW))));
    }

    @Test
    void changeOwnPassword_onAnEd25519Account_bindsThePasswordForTheServerToHash() throws SQLException {
        ScriptedConnection server = new ScriptedConnection("10.11.19-MariaDB").withOwnGrants(
                "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED VIA ed25519 USING 'Cs/UhnHiUaAHaL+T6o7MqCC2L/izYv5MOSlJnaoPxqk'");

        engine.changeOwnPassword(new PasswordChangeRequest(server.connection(), secret, NEW));

        assertThat(server.executed).containsExactly(new Executed(MySqlEngine.SET_OWN_PASSWORD_LEGACY, List.of(NEW)));
    }

    @Test
    void changeOwnPassword_whenTheServerRequiresTheCurrentPassword_retriesWithReplace() throws SQLException {
        ScriptedConnection server = new ScriptedConnection("8.0.36").thenFail(new SQLException(
                "Current password needs to be specified in the REPLACE clause in order to change it", "HY000",
                MySqlEngine.ER_MISSING_CURRENT_PASSWORD));

        engine.changeOwnPassword(new PasswordChangeRequest(server.connection(), secret, NEW));

        assertThat(server.executed).containsExactly(
                new Executed(MySqlEngine.ALTER_OWN_PASSWORD, List.of(NEW)),
                new Executed(MySqlEngine.ALTER_OWN_PASSWORD_REPLACING, List.of(NEW, CURRENT)));
    }

    @Test
    void changeOwnPassword_onMariaDb_neverRetriesWithReplace() {
        ScriptedConnection server = new ScriptedConnection("10.11.19-MariaDB").thenFail(
                new SQLException("some failure", "HY000", MySqlEngine.ER_MISSING_CURRENT_PASSWORD));

        assertThatThrownBy(() -> engine.changeOwnPassword(new PasswordChangeRequest(server.connection(), secret, NEW)))
                .isInstanceOf(SQLException.class).hasMessageContaining("SET PASSWORD");
        assertThat(server.executed).hasSize(1);
    }

    /**
     * The engine names the statement and the server and keeps the server's codes; it scrubs nothing
     * itself: the protocol's sanitizer removes the passwords from every engine's errors
     * (SanitizedEngineTest, and the hygiene contracts against real servers).
     */
    @Test
    void changeOwnPassword_whenTheServerFails_namesTheStatementAndServerAndKeepsTheCodes() {
        ScriptedConnection server = new ScriptedConnection("8.0.36").thenFail(new SQLException(
                "You have an error in your SQL syntax", "42000", 1064));

        assertThatThrownBy(() -> engine.changeOwnPassword(new PasswordChangeRequest(server.connection(), secret, NEW)))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("ALTER USER for the current user failed on MYSQL 8.0.36")
                .satisfies(e -> {
                    assertThat(((SQLException) e).getErrorCode()).isEqualTo(1064);
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("42000");
                });
    }
}
