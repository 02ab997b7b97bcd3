package dev.rotation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine.LoginFailure;
import dev.rotation.shared.DatabaseEngine.Tls;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class PostgresEngineTest {

    private static final ConnectionSettings SETTINGS =
            new ConnectionSettings(Duration.ofMillis(2500), Duration.ofSeconds(7), Optional.empty(), true);

    private final PostgresEngine engine = new PostgresEngine();

    @Test
    void defaults_matchTheReferenceFunctions() {
        assertThat(engine.description().defaultPort()).isEqualTo(5432);
        assertThat(engine.description().defaultExcludedCharacters()).isEqualTo("/@\"'\\:");
        assertThat(engine.description().name()).isEqualTo("postgres");
        assertThat(engine.description().secretValues()).containsExactlyInAnyOrder("postgres", "aurora-postgresql");
    }

    @Test
    void jdbcUrl_holdsNoCredentialsAndEncodesTheDatabase() throws SQLException {
        assertThat(PostgresEngine.jdbcUrl("db.example.com", 5433, "my app+db"))
                .isEqualTo("jdbc:postgresql://db.example.com:5433/my+app%2Bdb");
        assertThat(PostgresEngine.jdbcUrl("::1", 5432, "postgres")).isEqualTo("jdbc:postgresql://[::1]:5432/postgres");
    }

    @Test
    void connectionProperties_verify_withoutBundle_usesTheJvmTrustStoreAndVerifiesTheHost() throws SQLException {
        Properties props = PostgresEngine.connectionProperties("app", "pw", Tls.VERIFY, SETTINGS);
        assertThat(props).containsEntry("user", "app").containsEntry("password", "pw")
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory")
                .containsEntry("connectTimeout", "3")
                .containsEntry("loginTimeout", "3")
                .containsEntry("socketTimeout", "7")
                .doesNotContainKey("sslrootcert");
    }

    @Test
    void connectionProperties_verify_withBundle_trustsTheBundle() throws SQLException {
        ConnectionSettings settings = new ConnectionSettings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Optional.of(Path.of("/opt/ca/global-bundle.pem")), false);
        Properties props = PostgresEngine.connectionProperties("app", "pw", Tls.VERIFY, settings);
        assertThat(props).containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", "/opt/ca/global-bundle.pem")
                .doesNotContainKey("sslfactory");
    }

    @Test
    void connectionProperties_disabled_isPlaintext() throws SQLException {
        assertThat(PostgresEngine.connectionProperties("app", "pw", Tls.DISABLED, SETTINGS))
                .containsEntry("sslmode", "disable").doesNotContainKey("sslrootcert");
    }

    @Test
    void classify_wrongPasswordOrUnknownRole_isAuthentication() {
        assertThat(engine.classify(new PSQLException("password authentication failed for user \"app\"",
                PSQLState.INVALID_PASSWORD))).isEqualTo(LoginFailure.AUTHENTICATION);
        assertThat(engine.classify(new SQLException("role \"x\" does not exist", "28000")))
                .isEqualTo(LoginFailure.AUTHENTICATION);
    }

    @Test
    void classify_serverWithoutSsl_isTlsUnavailable() {
        assertThat(engine.classify(new PSQLException("The server does not support SSL.", PSQLState.CONNECTION_REJECTED)))
                .isEqualTo(LoginFailure.TLS_UNAVAILABLE);
    }

    @Test
    void classify_otherRejections_areOther() {
        assertThat(engine.classify(new PSQLException("Connection to 127.0.0.1:1 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT))).isEqualTo(LoginFailure.OTHER);
        assertThat(engine.classify(new PSQLException("The server requested SCRAM-based authentication, but no password"
                + " was provided.", PSQLState.CONNECTION_REJECTED))).isEqualTo(LoginFailure.OTHER);
    }
}
