package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.shared.DatabaseEngine.Tls;
import dev.rotation.shared.FakeDatabase.Attempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseLoginTest {
    private final FakeDatabase database = FakeDatabase.postgres().withUser("app", "Right-Pw1");
    private final List<String> logLines = new ArrayList<>();

    private DatabaseLogin login(Map<String, String> environment) {
        RotationLog log = new RotationLog(logLines::add, RotationLog.Level.DEBUG, new SecretScrubber(), "setSecret",
                "arn", "token");
        return new DatabaseLogin(database, ConnectionSettings.fromEnvironment(environment), log);
    }

    private DatabaseLogin login() {
        return login(Map.of());
    }

    /** A function whose deployer allowed the plaintext fallback. */
    private DatabaseLogin loginWithFallback() {
        return login(Map.of("ALLOW_PLAINTEXT_FALLBACK", "true"));
    }

    private static DatabaseSecret secret(String ssl, String password) {
        return DatabaseSecret.parse("{\"engine\":\"postgres\",\"host\":\"db\",\"username\":\"app\",\"password\":\""
                + password + "\"" + (ssl == null ? "" : ",\"ssl\":" + ssl) + "}");
    }

    @Test
    void required_usesVerifiedTlsOnly() {
        database.offersTls = false;

        assertThatThrownBy(() -> login().open(secret("true", "Right-Pw1")))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("could not log in to db:5432 as user 'app' over TLS");
        assertThat(database.attempts).containsExactly(new Attempt("app", Tls.VERIFY));
    }

    @Test
    void disabled_usesPlaintextOnly() {
        assertThat(login().logsIn(secret("false", "Right-Pw1"))).isTrue();

        assertThat(database.attempts).containsExactly(new Attempt("app", Tls.DISABLED));
        assertThat(database.openConnections).isZero();
    }

    @Test
    void preferred_withTlsOffered_usesTls() {
        assertThat(login().logsIn(secret(null, "Right-Pw1"))).isTrue();

        assertThat(database.attempts).containsExactly(new Attempt("app", Tls.VERIFY));
        assertThat(logLines).isEmpty();
    }

    @Test
    void preferred_withoutTlsOffered_whenTheFallbackIsAllowed_fallsBackToPlaintextWithWarning() {
        database.offersTls = false;

        assertThat(loginWithFallback().logsIn(secret("\"unreadable\"", "Right-Pw1"))).isTrue();

        assertThat(database.attempts).containsExactly(new Attempt("app", Tls.VERIFY), new Attempt("app", Tls.DISABLED));
        assertThat(logLines).singleElement().satisfies(line -> assertThat(line)
                .contains("\"level\":\"WARN\"", "offers no TLS; falling back to plaintext", "man in the middle"));
    }

    @Test
    void preferred_withoutTlsOffered_probesEachServerOncePerInvocation() {
        database.offersTls = false;
        database.withUser("other", "Other-Pw1");
        DatabaseLogin login = loginWithFallback();

        assertThat(login.logsIn(secret(null, "Right-Pw1"))).isTrue();
        assertThat(login.logsIn(DatabaseSecret.parse(
                "{\"engine\":\"postgres\",\"host\":\"db\",\"username\":\"other\",\"password\":\"Other-Pw1\"}"))).isTrue();
        assertThat(login.logsIn(secret(null, "Wrong-Pw1"))).isFalse();

        assertThat(database.attempts).containsExactly(new Attempt("app", Tls.VERIFY), new Attempt("app", Tls.DISABLED),
                new Attempt("other", Tls.DISABLED), new Attempt("app", Tls.DISABLED));
        assertThat(logLines).singleElement().satisfies(line -> assertThat(line).contains("offers no TLS"));
        // A new invocation probes again: the server may have been given a certificate since.
        database.attempts.clear();
        assertThat(loginWithFallback().logsIn(secret(null, "Right-Pw1"))).isTrue();
        assertThat(database.attempts).first().isEqualTo(new Attempt("app", Tls.VERIFY));
    }

    @Test
    void preferred_withoutTlsOffered_byDefault_failsAndSendsNothingInPlaintext() {
        database.offersTls = false;

        assertThatThrownBy(() -> login().open(secret(null, "Right-Pw1")))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("offers no TLS")
                .hasMessageContaining("ALLOW_PLAINTEXT_FALLBACK=true");
        assertThat(database.attempts).containsExactly(new Attempt("app", Tls.VERIFY));
    }

    @Test
    void preferred_withoutTlsOffered_whenFallbackForbiddenExplicitly_fails() {
        database.offersTls = false;

        assertThatThrownBy(() -> login(Map.of("ALLOW_PLAINTEXT_FALLBACK", "false")).open(secret(null, "Right-Pw1")))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("offers no TLS");
        assertThat(database.attempts).containsExactly(new Attempt("app", Tls.VERIFY));
    }

    @Test
    void preferred_whenCertificateVerificationFails_neverFallsBack() {
        database.certificateValid = false;

        assertThatThrownBy(() -> login().open(secret(null, "Right-Pw1")))
                .isInstanceOf(RotationException.class)
                .hasMessageContaining("PKIX path building failed");
        assertThat(database.attempts).containsExactly(new Attempt("app", Tls.VERIFY));
    }

    @Test
    void wrongPassword_isRefusedNotAnError() {
        assertThat(login().open(secret(null, "Wrong-Pw1"))).isEmpty();
        assertThat(login().logsIn(secret("true", "Wrong-Pw1"))).isFalse();
        assertThat(login().logsIn(secret("false", "Wrong-Pw1"))).isFalse();
    }

    @Test
    void wrongPassword_afterFallback_isRefused() {
        database.offersTls = false;

        assertThat(loginWithFallback().logsIn(secret(null, "Wrong-Pw1"))).isFalse();
    }

    @Test
    void unreachableHost_failsWithClearError() {
        database.reachable = false;

        assertThatThrownBy(() -> login(Map.of("DB_CONNECT_TIMEOUT_SECONDS", "3")).logsIn(secret("false", "Right-Pw1")))
                .isInstanceOf(RotationException.class)
                .hasMessage("could not log in to db:5432 as user 'app' without TLS (the secret's ssl key is false):"
                        + " Communications link failure: connect timed out after 3 s [SQLState 08S01]");
    }

    @Test
    void runTrivialQuery_runsSelectOne() throws Exception {
        try (var connection = login().open(secret(null, "Right-Pw1")).orElseThrow()) {
            login().runTrivialQuery(connection);
        }

        assertThat(database.queries).containsExactly("SELECT 1");
        assertThat(database.openConnections).isZero();
    }
}
