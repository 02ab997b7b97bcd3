package dev.rotation.client;

import java.sql.SQLException;
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

    private final CaBundle caBundle;
    private final boolean allowPublicKeyRetrieval;

    TlsSettings(CaBundle caBundle, boolean allowPublicKeyRetrieval) {
        this.caBundle = caBundle;
        this.allowPublicKeyRetrieval = allowPublicKeyRetrieval;
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
            props.setProperty("trustCertificateKeyStoreUrl", caBundle.trustStore().toUri().toString());
            props.setProperty("trustCertificateKeyStoreType", CaBundle.TRUST_STORE_TYPE);
            props.setProperty("trustCertificateKeyStorePassword", CaBundle.TRUST_STORE_PASSWORD);
            props.setProperty("fallbackToSystemTrustStore", "false");
        } else {
            props.setProperty("fallbackToSystemTrustStore", "true");
        }
    }

    private void applyPgJdbc(boolean tls, Properties props) {
        if (!tls) {
            props.setProperty("sslmode", "disable");
            return;
        }
        props.setProperty("sslmode", "verify-full");
        if (caBundle != null) {
            props.setProperty("sslrootcert", caBundle.pem().toString());
        } else {
            // pgjdbc's default factory wants ~/.postgresql/root.crt; this one uses the JVM's trust store.
            props.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        }
    }

    @Override
    public String toString() {
        return "TlsSettings{caBundle=" + (caBundle == null ? "JVM trust store" : caBundle.pem())
                + ", allowPublicKeyRetrieval=" + allowPublicKeyRetrieval + "}";
    }
}
