package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A server (or a man in the middle) that offers no TLS, against the real drivers: a secret without
 * {@code ssl} means verified TLS, so the client hangs up before it sends any credential.
 */
class NoTlsServerTest {
    private static final String USER = "tls_probe_user";
    private static final String PASSWORD = "Cleartext-Probe-pa55";

    private static SecretsManagerDataSource dataSource(String engine, int port) {
        return dataSource(engine, port, "");
    }

    private static SecretsManagerDataSource dataSource(String engine, int port, String moreJson) {
        String secret = "{\"engine\":\"" + engine + "\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"username\":\""
                + USER + "\",\"password\":\"" + PASSWORD + "\",\"dbname\":\"app\"" + moreJson + "}";
        SecretsManagerDataSource ds = SecretsManagerDataSource.builder().secretId(FakeSecretsManager.NAME)
                .client(new FakeSecretsManager(secret)).build();
        ds.setLoginTimeout(30);
        return ds;
    }

    @Test
    void getConnection_withoutSslWhenPostgresServerOffersNoTls_neverSendsUserOrPassword() throws Exception {
        NoTlsServer server = NoTlsServer.postgres();
        try (server) {
            SecretsManagerDataSource ds = dataSource("postgres", server.port());

            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        }

        assertThat(server.connections()).isEqualTo(1);
        assertReceivedNoCredentials(server);
    }

    @Test
    void getConnection_withoutSslWhenMySqlServerOffersNoTls_neverSendsUserOrPassword() throws Exception {
        NoTlsServer server = NoTlsServer.mysql();
        try (server) {
            SecretsManagerDataSource ds = dataSource("mysql", server.port());

            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        }

        assertThat(server.connections()).isEqualTo(1);
        assertReceivedNoCredentials(server);
    }

    /** The control: the fake server does see what a plaintext client sends, so the tests above can fail. */
    @Test
    void getConnection_withSslFalseWhenPostgresServerAsksCleartextPassword_sendsItAsConfigured() throws Exception {
        NoTlsServer server = NoTlsServer.postgres();
        try (server) {
            SecretsManagerDataSource ds = dataSource("postgres", server.port(), ",\"ssl\":false");

            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
        }

        assertThat(server.received().contains(USER)).as("the user name reached the server").isTrue();
        assertThat(server.received().contains(PASSWORD)).as("the password reached the server").isTrue();
    }

    @Test
    void getConnection_withSslFalseWhenMySqlServerOffersNoTls_sendsTheUserAsConfigured() throws Exception {
        NoTlsServer server = NoTlsServer.mysql();
        try (server) {
            SecretsManagerDataSource ds = dataSource("mysql", server.port(), ",\"ssl\":false");

            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
        }

        // mysql_native_password sends a hash, not the password; the user name travels in the clear.
        assertThat(server.received().contains(USER)).as("the user name reached the server").isTrue();
        assertThat(server.received().contains(PASSWORD)).as("the password reached the server").isFalse();
    }

    /** Booleans, not the bytes: a failure must not print what the server captured. */
    private static void assertReceivedNoCredentials(NoTlsServer server) {
        assertThat(server.received().contains(PASSWORD)).as("the password reached the server").isFalse();
        assertThat(server.received().contains(USER)).as("the user name reached the server").isFalse();
    }
}
