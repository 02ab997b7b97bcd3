package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine.LoginFailure;
import dev.rotation.shared.DatabaseEngine.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MySqlEngineTest {

    private static final ConnectionSettings SETTINGS =
            new ConnectionSettings(Duration.ofSeconds(3), Duration.ofSeconds(7), Optional.empty(), true);

    private final MySqlEngine engine = new MySqlEngine();

    @Test
    void defaults_matchTheReferenceFunctions() {
        assertThat(engine.description().defaultPort()).isEqualTo(3306);
        assertThat(engine.description().defaultExcludedCharacters()).isEqualTo("/@\"'\\");
        assertThat(engine.description().name()).isEqualTo("mysql");
    }

    @Test
    void secretEngines_areTheMySqlFamily() {
        assertThat(engine.description().secretValues()).containsExactlyInAnyOrder("mysql", "aurora-mysql", "mariadb", "aurora");
    }

    @Test
    void jdbcUrl_holdsNoCredentialsAndEncodesTheDatabase() throws SQLException {
        assertThat(MySqlEngine.jdbcUrl("db.example.com", 3307, Optional.of("my app+db")))
                .isEqualTo("jdbc:mysql://db.example.com:3307/my%20app%2Bdb");
        assertThat(MySqlEngine.jdbcUrl("::1", 3306, Optional.empty())).isEqualTo("jdbc:mysql://[::1]:3306/");
    }

    @Test
    void connectionProperties_verify_usesVerifyIdentityAndTimeouts() throws SQLException {
        Properties props = MySqlEngine.connectionProperties("app", "pw", Tls.VERIFY, SETTINGS);
        assertThat(props).containsEntry("user", "app").containsEntry("password", "pw")
                .containsEntry("sslMode", "VERIFY_IDENTITY")
                .containsEntry("fallbackToSystemTrustStore", "true")
                .containsEntry("connectTimeout", "3000")
                .containsEntry("socketTimeout", "7000")
                .containsEntry("useServerPrepStmts", "false")
                .doesNotContainKey("trustCertificateKeyStoreUrl");
    }

    @Test
    void connectionProperties_disabled_neverRetrievesThePublicKeyByDefault() throws SQLException {
        Properties props = MySqlEngine.connectionProperties("app", "pw", Tls.DISABLED, SETTINGS);
        assertThat(props).containsEntry("sslMode", "DISABLED").containsEntry("allowPublicKeyRetrieval", "false");
    }

    @Test
    void connectionProperties_allowPublicKeyRetrieval_onlyForPlaintextSessions() throws SQLException {
        ConnectionSettings allowing = ConnectionSettings.fromEnvironment(
                Map.of(ConnectionSettings.ALLOW_PUBLIC_KEY_RETRIEVAL, "true"));

        assertThat(MySqlEngine.connectionProperties("app", "pw", Tls.DISABLED, allowing))
                .containsEntry("allowPublicKeyRetrieval", "true");
        assertThat(MySqlEngine.connectionProperties("app", "pw", Tls.VERIFY, allowing))
                .doesNotContainEntry("allowPublicKeyRetrieval", "true");
    }

    @Test
    void connectionProperties_withCaBundle_trustsOnlyAKeyStoreBuiltFromIt(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, TestCertificates.CA_PEM + "\n" + TestCertificates.CA_PEM);
        ConnectionSettings settings = new ConnectionSettings(Duration.ofSeconds(3), Duration.ofSeconds(7),
                Optional.of(pem), false);

        Properties props = MySqlEngine.connectionProperties("app", "pw", Tls.VERIFY, settings);

        assertThat(props).containsEntry("fallbackToSystemTrustStore", "false")
                .containsEntry("trustCertificateKeyStoreType", "PKCS12");
        Path store = Path.of(java.net.URI.create(props.getProperty("trustCertificateKeyStoreUrl")));
        java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keyStore.load(in, props.getProperty("trustCertificateKeyStorePassword").toCharArray());
        }
        assertThat(keyStore.size()).isEqualTo(2);
        assertThat(MySqlEngine.connectionProperties("app", "pw", Tls.VERIFY, settings)
                .getProperty("trustCertificateKeyStoreUrl")).isEqualTo(props.getProperty("trustCertificateKeyStoreUrl"));
    }

    @Test
    void connectionProperties_withUnreadableCaBundle_failsNamingIt(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("not-a-ca.pem");
        Files.writeString(pem, "hello");
        ConnectionSettings settings = new ConnectionSettings(Duration.ofSeconds(3), Duration.ofSeconds(7),
                Optional.of(pem), false);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> MySqlEngine.connectionProperties("app", "pw", Tls.VERIFY, settings))
                .isInstanceOf(SQLException.class).hasMessageContaining("not-a-ca.pem");
    }

    @Test
    void classify_accessDenied_isAuthentication() {
        assertThat(engine.classify(new SQLInvalidAuthorizationSpecException(
                "Access denied for user 'app'@'localhost' (using password: YES)", "28000", 1045)))
                .isEqualTo(LoginFailure.AUTHENTICATION);
        assertThat(engine.classify(new SQLException("wrapped", "08001",
                new SQLException("Access denied", "HY000", 1045)))).isEqualTo(LoginFailure.AUTHENTICATION);
    }

    @Test
    void classify_serverWithoutTls_isTlsUnavailable() {
        SQLException failure = new SQLNonTransientConnectionException(
                "SSL Connection required, but not provided by server.", "08001");
        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.TLS_UNAVAILABLE);
    }

    @Test
    void classify_communicationsFailure_isOther() {
        assertThat(engine.classify(new SQLNonTransientConnectionException("Communications link failure", "08S01")))
                .isEqualTo(LoginFailure.OTHER);
    }
}
