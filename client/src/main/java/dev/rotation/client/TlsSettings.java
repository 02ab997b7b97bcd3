package dev.rotation.client;

import dev.rotation.secret.PemTrustStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The driver properties that secure a connection: verified TLS unless the secret says {@code "ssl": false}.
 * They are set here only, from the secret and the builder's {@code caBundle} and
 * {@code allowPublicKeyRetrieval}; connection properties that would change them are refused, so that
 * no configuration silently turns verification off or TLS into "preferred".
 */
final class TlsSettings {
    /**
     * Connector/J and pgjdbc properties that choose the TLS mode, the trusted CAs or how the server is
     * verified, lower case (both drivers' names differ only in case: {@code sslMode}, {@code sslmode}).
     */
    private static final Set<String> OWN_KEYS = Set.of(
            "sslmode", "usessl", "requiressl", "verifyservercertificate", "trustcertificatekeystoreurl",
            "trustcertificatekeystoretype", "trustcertificatekeystorepassword", "fallbacktosystemtruststore",
            "allowpublickeyretrieval",
            "ssl", "sslfactory", "sslfactoryarg", "sslrootcert", "sslhostnameverifier");

    /** A PEM file of CA certificates to trust instead of the JVM's trust store, absolute; or null. */
    private final Path caBundle;
    private final boolean allowPublicKeyRetrieval;

    /** @param caBundle null, or a path from {@link #caBundle(Path)} */
    TlsSettings(Path caBundle, boolean allowPublicKeyRetrieval) {
        this.caBundle = caBundle;
        this.allowPublicKeyRetrieval = allowPublicKeyRetrieval;
    }

    /**
     * {@code pem} as an absolute path, after turning it into a trust store once so that a wrong path
     * fails when the data source is built rather than at its first connection.
     *
     * @throws IllegalArgumentException naming the path when it holds no readable PEM certificate
     */
    static Path caBundle(Path pem) {
        Path path = pem.toAbsolutePath().normalize();
        try {
            PemTrustStore.forBundle(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return path;
    }

    /** @throws IllegalArgumentException naming the first property that only these settings may set */
    static void checkNotSetIn(Properties properties) {
        for (String name : properties.stringPropertyNames()) {
            if (OWN_KEYS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("connection property '" + name + "' is not accepted: TLS is "
                        + "verified unless the secret says \"ssl\": false; trust a private CA with caBundle(...)");
            }
        }
    }

    /** Adds the TLS properties for a login with {@code credentials} to {@code props}. */
    void apply(DatabaseCredentials credentials, Properties props) throws SQLException {
        boolean tls = credentials.ssl() == DatabaseCredentials.Ssl.REQUIRED;
        switch (credentials.engine()) {
            case MYSQL -> applyConnectorJ(tls, props);
            case POSTGRES -> applyPgJdbc(tls, props);
        }
    }

    private void applyConnectorJ(boolean tls, Properties props) throws SQLException {
        // Without TLS, caching_sha2_password (MySQL 8+) encrypts the password with the server's RSA key;
        // fetching that key over plaintext lets a man in the middle hand over its own. Over TLS it is unused.
        props.setProperty("allowPublicKeyRetrieval", String.valueOf(allowPublicKeyRetrieval));
        if (!tls) {
            props.setProperty("sslMode", "DISABLED");
            return;
        }
        props.setProperty("sslMode", "VERIFY_IDENTITY");
        if (caBundle != null) {
            // Connector/J reads CAs only from a key store; PemTrustStore writes it again when the PEM changes.
            props.setProperty("trustCertificateKeyStoreUrl", trustStore().toUri().toString());
            props.setProperty("trustCertificateKeyStoreType", PemTrustStore.STORE_TYPE);
            props.setProperty("trustCertificateKeyStorePassword", PemTrustStore.STORE_PASSWORD);
            props.setProperty("fallbackToSystemTrustStore", "false");
        } else {
            props.setProperty("fallbackToSystemTrustStore", "true");
        }
    }

    private Path trustStore() throws SQLException {
        try {
            return PemTrustStore.forBundle(caBundle);
        } catch (IOException e) {
            throw new SQLNonTransientConnectionException(e.getMessage(), "08001", e);
        }
    }

    private void applyPgJdbc(boolean tls, Properties props) {
        if (!tls) {
            props.setProperty("sslmode", "disable");
            return;
        }
        props.setProperty("sslmode", "verify-full");
        if (caBundle != null) {
            // pgjdbc reads the PEM file itself, at every connection.
            props.setProperty("sslrootcert", caBundle.toString());
        } else {
            // pgjdbc's default factory wants ~/.postgresql/root.crt; this one uses the JVM's trust store.
            props.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        }
    }

    @Override
    public String toString() {
        return "TlsSettings{caBundle=" + (caBundle == null ? "JVM trust store" : caBundle)
                + ", allowPublicKeyRetrieval=" + allowPublicKeyRetrieval + "}";
    }
}
