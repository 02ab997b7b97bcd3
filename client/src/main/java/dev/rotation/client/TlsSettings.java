package dev.rotation.client;

import dev.rotation.secret.DriverTls;
import dev.rotation.secret.PemTrustStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The driver properties that secure a connection: verified TLS unless the secret says {@code "ssl": false}.
 * They are set here only, from the secret and the builder's {@code caBundle} and
 * {@code allowPublicKeyRetrieval}; connection properties that would change them are refused, so that
 * no configuration silently turns verification off or TLS into "preferred".
 */
final class TlsSettings {
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
            if (DriverTls.PROPERTY_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("connection property '" + name + "' is not accepted: TLS is "
                        + "verified unless the secret says \"ssl\": false; trust a private CA with caBundle(...)");
            }
        }
    }

    /** Adds the TLS properties for a login with {@code credentials} to {@code props}. */
    void apply(DatabaseCredentials credentials, Properties props) throws SQLException {
        try {
            DriverTls.apply(credentials.engine(), credentials.ssl() == DatabaseCredentials.Ssl.REQUIRED,
                    Optional.ofNullable(caBundle), allowPublicKeyRetrieval, props);
        } catch (IOException e) {
            throw new SQLNonTransientConnectionException(e.getMessage(), "08001", e);
        }
    }

    @Override
    public String toString() {
        return "TlsSettings{caBundle=" + (caBundle == null ? "JVM trust store" : caBundle)
                + ", allowPublicKeyRetrieval=" + allowPublicKeyRetrieval + "}";
    }
}
