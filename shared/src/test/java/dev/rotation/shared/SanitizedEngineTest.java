package dev.rotation.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.secret.DatabaseSecret;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Errors leave every engine through the invocation's sanitizer, with their codes and without secret values. */
class SanitizedEngineTest {
    private static final String PASSWORD = "Pa'ss\\w0rd-secret";

    private final FakeDatabase database = FakeDatabase.mysql().withUser("app", PASSWORD);
    private final SecretScrubber scrubber = new SecretScrubber();
    private final DatabaseSecret secret = DatabaseSecret.builder().engine("mysql").host("db").username("app")
            .password(PASSWORD).build();

    @Test
    void connect_whenTheDriverQuotesThePassword_throwsAnSqlExceptionWithItsStateAndWithoutThePassword() {
        scrubber.add(PASSWORD);
        database.connectFailureMessage = "jdbc:mysql://app:" + PASSWORD + "@db/app failed for '" + PASSWORD + "'";
        SanitizedEngine engine = SanitizedEngine.of(database, scrubber);

        assertThatThrownBy(() -> engine.connect(new ConnectRequest(secret, DatabaseEngine.Tls.DISABLED,
                ConnectionSettings.defaults())))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> {
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("08001");
                    assertThat(e.getMessage()).contains("<redacted>").doesNotContain(PASSWORD);
                });
    }

    @Test
    void changeOwnPassword_whenTheServerQuotesTheNewPasswordInASyntaxError_throwsWithoutIt() throws SQLException {
        String newPassword = "N3w-Passw0rd-long-enough";
        scrubber.add(PASSWORD);
        scrubber.add(newPassword);
        database.changeFailureMessage = newPassword.substring(0, 10);
        SanitizedEngine engine = SanitizedEngine.of(database, scrubber);
        var connection = engine.connect(new ConnectRequest(secret, DatabaseEngine.Tls.DISABLED,
                ConnectionSettings.defaults()));

        assertThatThrownBy(() -> engine.changeOwnPassword(new PasswordChangeRequest(connection, secret, newPassword)))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(newPassword.substring(0, 10))
                        .contains("syntax error near <redacted>"));
    }

    @Test
    void classify_seesTheSanitizedExceptionsStateAsTheEngineWouldTheOriginal() {
        database.offersTls = false;
        SanitizedEngine engine = SanitizedEngine.of(database, scrubber);

        SQLException failure = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> engine.connect(
                new ConnectRequest(secret, DatabaseEngine.Tls.VERIFY, ConnectionSettings.defaults())));

        assertThat(engine.classify(failure)).isEqualTo(DatabaseEngine.LoginFailure.TLS_UNAVAILABLE);
    }
}
