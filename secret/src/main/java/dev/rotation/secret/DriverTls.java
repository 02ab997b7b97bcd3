package dev.rotation.secret;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The JDBC driver properties that choose how a login is secured, for each {@link Engine}: verified TLS
 * (the server's certificate chain and its host name) or no TLS at all, never "preferred". The one place
 * both the rotation functions and the client library set them, so the two cannot disagree.
 *
 * <pre>{@code
 * Properties props = new Properties();
 * DriverTls.apply(Engine.POSTGRES, true, Optional.of(Path.of("/opt/rds-ca/global-bundle.pem")), false, props);
 * // sslmode=verify-full, sslrootcert=/opt/rds-ca/global-bundle.pem
 * }</pre>
 */
public final class DriverTls {
    /**
     * Connector/J and pgjdbc properties that choose the TLS mode, the trusted CAs or how the server is
     * verified, in lower case (the two drivers' names differ only in case: {@code sslMode}, {@code sslmode}).
     * Whoever sets them through {@link #apply} should refuse them from anywhere else.
     */
    public static final Set<String> PROPERTY_NAMES = Set.of(
            "sslmode", "usessl", "requiressl", "verifyservercertificate", "trustcertificatekeystoreurl",
            "trustcertificatekeystoretype", "trustcertificatekeystorepassword", "fallbacktosystemtruststore",
            "allowpublickeyretrieval",
            "ssl", "sslfactory", "sslfactoryarg", "sslrootcert", "sslhostnameverifier");

    private DriverTls() {
    }

    /**
     * Adds to {@code props} the properties for a login with verified TLS ({@code verify}) or without TLS.
     *
     * @param caBundle a PEM file of the CAs to trust instead of the JVM's trust store
     * @param allowPublicKeyRetrieval whether a plaintext MySQL login may fetch the server's RSA key
     *     (see below); never over TLS, where it is not needed
     * @throws IOException naming the bundle when Connector/J's trust store cannot be made from it
     */
    public static void apply(Engine engine, boolean verify, Optional<Path> caBundle, boolean allowPublicKeyRetrieval,
            Properties props) throws IOException {
        switch (engine) {
            case MYSQL -> {
                // caching_sha2_password (the MySQL 8+ default) without TLS sends the password encrypted with
                // the server's RSA key, which the client must fetch whenever the server's login cache is
                // cold - and it always is right after a password change. But a key fetched over plaintext
                // is whatever a man in the middle sends: he decrypts the password with his own key. So only
                // when the operator accepts that risk explicitly; TLS needs no key.
                props.setProperty("allowPublicKeyRetrieval", Boolean.toString(!verify && allowPublicKeyRetrieval));
                connectorJ(verify, caBundle, props);
            }
            case POSTGRES -> pgJdbc(verify, caBundle, props);
        }
    }

    private static void connectorJ(boolean verify, Optional<Path> caBundle, Properties props) throws IOException {
        if (!verify) {
            props.setProperty("sslMode", "DISABLED");
            return;
        }
        props.setProperty("sslMode", "VERIFY_IDENTITY");
        if (caBundle.isPresent()) {
            // Connector/J reads CAs only from a key store; PemTrustStore writes it again when the PEM changes.
            props.setProperty("trustCertificateKeyStoreUrl", PemTrustStore.forBundle(caBundle.get()).toUri().toString());
            props.setProperty("trustCertificateKeyStoreType", PemTrustStore.STORE_TYPE);
            props.setProperty("trustCertificateKeyStorePassword", PemTrustStore.STORE_PASSWORD);
            props.setProperty("fallbackToSystemTrustStore", "false");
        } else {
            props.setProperty("fallbackToSystemTrustStore", "true");
        }
    }

    private static void pgJdbc(boolean verify, Optional<Path> caBundle, Properties props) {
        if (!verify) {
            props.setProperty("sslmode", "disable");
            return;
        }
        props.setProperty("sslmode", "verify-full");
        if (caBundle.isPresent()) {
            // pgjdbc reads the PEM file itself, at every connection.
            props.setProperty("sslrootcert", caBundle.get().toAbsolutePath().toString());
        } else {
            // pgjdbc's default factory wants ~/.postgresql/root.crt; this one uses the JVM's trust store,
            // and verify-full still checks the host name.
            props.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        }
    }
}
