package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.local.testdb.TlsMaterial;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data source against real MariaDB and PostgreSQL servers that offer TLS with a certificate for
 * {@code localhost} only, signed by a private test CA the JVM does not trust; secrets from the local
 * Secrets Manager over HTTP.
 */
class TlsIT {
    private static TlsMaterial tls;
    private static TestDatabase mariaDb;
    private static TestDatabase postgres;
    private final LocalSecrets secrets = new LocalSecrets();

    @BeforeAll
    static void startServers() {
        tls = TlsMaterial.generate("localhost");
        mariaDb = TestDatabases.startMysqlWithTls(tls);
        postgres = TestDatabases.startPostgresWithTls(tls);
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable c : new AutoCloseable[] {mariaDb, postgres, tls}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // Best effort; the next one still closes.
            }
        }
    }

    @AfterEach
    void stopSecrets() {
        secrets.close();
    }

    /** A database, a user on it and its secret (host {@code host}, then {@code moreJson}); returns the secret name. */
    private String secretFor(TestDatabase db, String host, String moreJson, String password) {
        String dbName = db.createDatabase("tls");
        String user = RotationWorld.unique("tls");
        db.createAppUser(dbName, user, password);
        return secrets.create("{\"engine\":\"" + db.engine() + "\",\"host\":\"" + host + "\",\"port\":" + db.port()
                + ",\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"dbname\":\"" + dbName + "\""
                + moreJson + "}");
    }

    private static TestDatabase server(String engine) {
        return engine.equals("postgres") ? postgres : mariaDb;
    }

    private SecretsManagerDataSource dataSource(String secretId,
            UnaryOperator<SecretsManagerDataSource.Builder> settings) {
        SecretsManagerDataSource ds = settings.apply(SecretsManagerDataSource.builder().secretId(secretId)
                .client(secrets.client).retryPolicy(RetryPolicy.builder().maxRounds(1).build())).build();
        ds.setLoginTimeout(20);
        return ds;
    }

    /** Asserts that getConnection throws and that no message names the password; returns the cause chain. */
    private static List<Throwable> assertFailsWithoutPassword(SecretsManagerDataSource ds, String password) {
        List<Throwable> chain = new ArrayList<>();
        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class).satisfies(e -> {
            for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
                chain.add(t);
                assertThat(String.valueOf(t.getMessage()).contains(password)).as("password in a message").isFalse();
            }
        });
        return chain;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgres"})
    void getConnection_withoutSslWhenCertificateIsFromUnknownCa_failsTheTlsHandshake(String engine) {
        String password = RotationWorld.randomPassword();
        String id = secretFor(server(engine), "localhost", "", password);
        SecretsManagerDataSource ds = dataSource(id, b -> b);

        assertThat(assertFailsWithoutPassword(ds, password)).as("the failure's causes")
                .anyMatch(SSLException.class::isInstance);
        assertThat(ds.metrics().refusedLogins()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgres"})
    void getConnection_withSslFalse_connectsInPlaintext(String engine) throws Exception {
        String id = secretFor(server(engine), "localhost", ",\"ssl\":false", RotationWorld.randomPassword());

        try (Connection c = dataSource(id, b -> b).getConnection()) {
            assertThat(server(engine).sessionUsesTls(c)).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgres"})
    void getConnection_withCaBundle_connectsOverVerifiedTls(String engine) throws Exception {
        String withoutSsl = secretFor(server(engine), "localhost", "", RotationWorld.randomPassword());
        String sslTrue = secretFor(server(engine), "localhost", ",\"ssl\":true", RotationWorld.randomPassword());

        for (String id : new String[] {withoutSsl, sslTrue}) {
            try (Connection c = dataSource(id, b -> b.caBundle(tls.caCertificate())).getConnection()) {
                assertThat(server(engine).sessionUsesTls(c)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgres"})
    void getConnection_whenCertificateNamesAnotherHost_fails(String engine) {
        String password = RotationWorld.randomPassword();
        // The certificate is for localhost; 127.0.0.1 reaches the same server under a name it does not carry.
        String id = secretFor(server(engine), "127.0.0.1", "", password);
        SecretsManagerDataSource ds = dataSource(id, b -> b.caBundle(tls.caCertificate()));

        assertFailsWithoutPassword(ds, password);
        assertThat(ds.metrics().refusedLogins()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgres"})
    void getConnection_withCaBundleOfAnotherCa_failsTheTlsHandshake(String engine) {
        String password = RotationWorld.randomPassword();
        String id = secretFor(server(engine), "localhost", ",\"ssl\":\"true\"", password);
        try (TlsMaterial other = TlsMaterial.generate("localhost")) {
            SecretsManagerDataSource ds = dataSource(id, b -> b.caBundle(other.caCertificate()));

            assertThat(assertFailsWithoutPassword(ds, password)).as("the failure's causes")
                    .anyMatch(SSLException.class::isInstance);
        }
    }
}
