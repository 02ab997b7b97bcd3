package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.testdb.TlsMaterial;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {
    private static TlsMaterial tls;
    private static TlsMaterial otherCa;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        tls = TlsMaterial.forLocalhost();
        otherCa = TlsMaterial.forLocalhost();
    }

    @AfterAll
    static void deleteCertificates() {
        tls.close();
        otherCa.close();
    }

    private static DatabaseCredentials credentials(String engine, String ssl) {
        return DatabaseCredentials.fromJson("{\"engine\":\"" + engine + "\",\"host\":\"db\",\"username\":\"app\","
                + "\"password\":\"pw\"" + ssl + "}");
    }

    private static Properties apply(TlsSettings settings, DatabaseCredentials credentials) throws Exception {
        Properties props = new Properties();
        settings.apply(credentials, props);
        return props;
    }

    @Test
    void apply_withoutSslOrWithTrue_verifiesTlsWithTheJvmTrustStore() throws Exception {
        TlsSettings defaults = new TlsSettings(null, false);
        for (String ssl : new String[] {"", ",\"ssl\":true", ",\"ssl\":\"unreadable\""}) {
            assertThat(apply(defaults, credentials("mysql", ssl))).as(ssl)
                    .containsEntry("sslMode", "VERIFY_IDENTITY").containsEntry("fallbackToSystemTrustStore", "true")
                    .containsEntry("allowPublicKeyRetrieval", "false").doesNotContainKey("trustCertificateKeyStoreUrl");
            assertThat(apply(defaults, credentials("postgres", ssl))).as(ssl)
                    .containsEntry("sslmode", "verify-full")
                    .containsEntry("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory")
                    .doesNotContainKey("sslrootcert");
        }
    }

    @Test
    void apply_withSslFalse_isPlaintextWithoutPublicKeyRetrievalUnlessAllowed() throws Exception {
        assertThat(apply(new TlsSettings(null, false), credentials("mariadb", ",\"ssl\":false")))
                .containsEntry("sslMode", "DISABLED").containsEntry("allowPublicKeyRetrieval", "false");
        assertThat(apply(new TlsSettings(null, true), credentials("mariadb", ",\"ssl\":\"false\"")))
                .containsEntry("sslMode", "DISABLED").containsEntry("allowPublicKeyRetrieval", "true");
        assertThat(apply(new TlsSettings(null, false), credentials("postgres", ",\"ssl\":false")))
                .hasSize(1).containsEntry("sslmode", "disable");
    }

    @Test
    void apply_withCaBundle_trustsOnlyItsCertificates() throws Exception {
        TlsSettings settings = new TlsSettings(TlsSettings.caBundle(tls.caCertificate()), false);

        Properties mysql = apply(settings, credentials("mysql", ""));
        Properties postgres = apply(settings, credentials("aurora-postgresql", ""));

        assertThat(mysql).containsEntry("sslMode", "VERIFY_IDENTITY").containsEntry("fallbackToSystemTrustStore", "false")
                .containsEntry("trustCertificateKeyStoreType", "PKCS12");
        assertThat(trustedCertificate(mysql)).isEqualTo(certificate(tls.caCertificate()));
        assertThat(postgres).containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", tls.caCertificate().toAbsolutePath().toString())
                .doesNotContainKey("sslfactory");
    }

    @Test
    void apply_withCaBundleThatChanged_trustsTheNewCertificates() throws Exception {
        Path bundle = dir.resolve("ca.pem");
        Files.copy(tls.caCertificate(), bundle);
        TlsSettings settings = new TlsSettings(TlsSettings.caBundle(bundle), false);
        Properties before = apply(settings, credentials("mysql", ""));
        assertThat(apply(settings, credentials("mysql", ""))).as("unchanged bundle, same store")
                .containsEntry("trustCertificateKeyStoreUrl", before.getProperty("trustCertificateKeyStoreUrl"));

        Files.copy(otherCa.caCertificate(), bundle, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(bundle, FileTime.from(Instant.now().plusSeconds(60)));
        Properties after = apply(settings, credentials("mysql", ""));

        assertThat(trustedCertificate(after)).isEqualTo(certificate(otherCa.caCertificate()));
        assertThat(Path.of(URI.create(before.getProperty("trustCertificateKeyStoreUrl")))).doesNotExist();
    }

    @Test
    void caBundle_withoutPemCertificates_failsNamingThePath() throws Exception {
        Path notPem = Files.writeString(dir.resolve("bundle.txt"), "not a certificate");
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> TlsSettings.caBundle(notPem)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(notPem.toString());
        assertThatThrownBy(() -> TlsSettings.caBundle(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void apply_withCaBundleRemovedAfterBuild_failsTheConnectionNamingThePath() throws Exception {
        Path bundle = dir.resolve("ca.pem");
        Files.copy(tls.caCertificate(), bundle);
        TlsSettings settings = new TlsSettings(TlsSettings.caBundle(bundle), false);
        Files.delete(bundle);

        assertThatThrownBy(() -> apply(settings, credentials("mysql", ""))).isInstanceOf(SQLException.class)
                .hasMessageContaining(bundle.toString())
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    @Test
    void checkNotSetIn_refusesPropertiesThatWouldChangeTlsInAnyCase() {
        for (String name : new String[] {"sslMode", "SSLMODE", "sslmode", "useSSL", "requireSSL",
            "verifyServerCertificate", "trustCertificateKeyStoreUrl", "fallbackToSystemTrustStore",
            "allowPublicKeyRetrieval", "ssl", "sslfactory", "sslrootcert", "sslhostnameverifier"}) {
            Properties props = new Properties();
            props.setProperty("socketTimeout", "5000");
            props.setProperty(name, "x");

            assertThatThrownBy(() -> TlsSettings.checkNotSetIn(props)).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + name + "'");
        }
        Properties fine = new Properties();
        fine.setProperty("socketTimeout", "5000");
        fine.setProperty("sslcert", "/client.pem");
        TlsSettings.checkNotSetIn(fine);
    }

    /** The one certificate of the trust store the properties name, loaded as Connector/J loads it. */
    private static Certificate trustedCertificate(Properties props) throws Exception {
        KeyStore store = KeyStore.getInstance(props.getProperty("trustCertificateKeyStoreType"));
        try (InputStream in = URI.create(props.getProperty("trustCertificateKeyStoreUrl")).toURL().openStream()) {
            store.load(in, props.getProperty("trustCertificateKeyStorePassword").toCharArray());
        }
        assertThat(Collections.list(store.aliases())).hasSize(1);
        return store.getCertificate(store.aliases().nextElement());
    }

    private static Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
