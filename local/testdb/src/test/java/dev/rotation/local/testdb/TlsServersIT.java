package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS servers accept verified TLS with the generated CA and refuse verification against another CA or
 * host name; plain throwaway servers offer no TLS at all.
 */
class TlsServersIT {
    private static TlsMaterial tls;
    private static TlsMaterial otherCa;
    private static TestDatabase mysql;
    private static TestDatabase postgres;
    private static String mysqlDb;
    private static String postgresDb;

    @BeforeAll
    static void startServers() {
        // Valid for 127.0.0.1 only, so "localhost" (same address) is a wrong host name.
        tls = TlsMaterial.generate("127.0.0.1");
        otherCa = TlsMaterial.generate("127.0.0.1");
        mysql = TestDatabases.startMysqlWithTls(tls);
        postgres = TestDatabases.startPostgresWithTls(tls);
        System.out.println("test database: " + mysql.describe());
        System.out.println("test database: " + postgres.describe());
        mysqlDb = mysql.createDatabase("tls");
        mysql.createAppUser(mysqlDb, "tls_user", "tls-Password-1");
        postgresDb = postgres.createDatabase("tls");
        postgres.createAppUser(postgresDb, "tls_user", "tls-Password-1");
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable c : new AutoCloseable[] {mysql, postgres, tls, otherCa}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Connection mysqlOverTls(String host, TlsMaterial trusted, String mode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "tls_user");
        p.setProperty("password", "tls-Password-1");
        p.setProperty("sslMode", mode);
        p.setProperty("trustCertificateKeyStoreUrl", trusted.trustStore().toUri().toString());
        p.setProperty("trustCertificateKeyStoreType", "PKCS12");
        p.setProperty("trustCertificateKeyStorePassword", trusted.trustStorePassword());
        return DriverManager.getConnection("jdbc:mysql://" + host + ":" + mysql.port() + "/" + mysqlDb, p);
    }

    private static Connection postgresOverTls(String host, TlsMaterial trusted, String mode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "tls_user");
        p.setProperty("password", "tls-Password-1");
        p.setProperty("sslmode", mode);
        p.setProperty("sslrootcert", trusted.caCertificate().toString());
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + postgres.port() + "/" + postgresDb, p);
    }

    @Test
    void mysqlWithTls_acceptsAVerifiedConnectionWithTheGeneratedCa() throws SQLException {
        try (Connection c = mysqlOverTls("127.0.0.1", tls, "VERIFY_IDENTITY")) {
            assertThat(mysql.sessionUsesTls(c)).isTrue();
        }
        assertThat(mysql.tlsEnabled()).isTrue();
    }

    @Test
    void mysqlWithTls_refusesAnotherCa() {
        assertThatThrownBy(() -> mysqlOverTls("127.0.0.1", otherCa, "VERIFY_CA").close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void mysqlWithTls_refusesAWrongHostName_butNotTheCaAlone() throws SQLException {
        assertThatThrownBy(() -> mysqlOverTls("localhost", tls, "VERIFY_IDENTITY").close())
                .isInstanceOf(SQLException.class);
        try (Connection c = mysqlOverTls("localhost", tls, "VERIFY_CA")) {
            assertThat(mysql.sessionUsesTls(c)).isTrue();
        }
    }

    @Test
    void postgresWithTls_acceptsAVerifiedConnectionWithTheGeneratedCa() throws SQLException {
        try (Connection c = postgresOverTls("127.0.0.1", tls, "verify-full")) {
            assertThat(postgres.sessionUsesTls(c)).isTrue();
        }
        assertThat(postgres.tlsEnabled()).isTrue();
    }

    @Test
    void postgresWithTls_refusesAnotherCa() {
        assertThatThrownBy(() -> postgresOverTls("127.0.0.1", otherCa, "verify-ca").close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void postgresWithTls_refusesAWrongHostName_butNotTheCaAlone() throws SQLException {
        assertThatThrownBy(() -> postgresOverTls("localhost", tls, "verify-full").close())
                .isInstanceOf(SQLException.class);
        try (Connection c = postgresOverTls("localhost", tls, "verify-ca")) {
            assertThat(postgres.sessionUsesTls(c)).isTrue();
        }
    }

    @Test
    void tlsServers_stillCheckPasswords() {
        assertThat(mysql.canLogin(mysqlDb, "tls_user", "wrong-Password-1")).isFalse();
        assertThat(postgres.canLogin(postgresDb, "tls_user", "wrong-Password-1")).isFalse();
    }

    @Test
    void plainThrowawayMariaDb_offersNoTls() throws SQLException {
        try (TestDatabase plain = AbstractTestDatabase.of(ThrowawayMariaDb.start(null), false)) {
            assertThat(plain.tlsEnabled()).isFalse();
            try (Connection c = plain.admin(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE 'have_ssl'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isIn("DISABLED", "NO");
            }
            Properties p = new Properties();
            p.setProperty("user", plain.adminUsername());
            p.setProperty("password", plain.adminPassword());
            p.setProperty("sslMode", "REQUIRED");
            assertThatThrownBy(() -> DriverManager.getConnection(plain.jdbcUrl(""), p).close())
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void plainThrowawayPostgres_offersNoTls() throws SQLException {
        try (TestDatabase plain = AbstractTestDatabase.of(ThrowawayPostgres.start(null), false)) {
            assertThat(plain.tlsEnabled()).isFalse();
            try (Connection c = plain.admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW ssl")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("off");
            }
            Properties p = new Properties();
            p.setProperty("user", plain.adminUsername());
            p.setProperty("password", plain.adminPassword());
            p.setProperty("sslmode", "require");
            assertThatThrownBy(() -> DriverManager.getConnection(plain.jdbcUrl("postgres"), p).close())
                    .isInstanceOf(SQLException.class);
        }
    }
}
