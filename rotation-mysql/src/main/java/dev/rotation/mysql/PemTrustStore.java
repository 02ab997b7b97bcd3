package dev.rotation.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connector/J reads trusted CAs only from a key store, not from a PEM bundle. This turns a PEM
 * bundle into a PKCS12 trust store in a temporary file, once per JVM and bundle, and reuses it for
 * every later connection (a warm Lambda reuses the file).
 */
final class PemTrustStore {

    /** A trust store holds only public certificates; its password guards nothing secret. */
    static final String STORE_PASSWORD = "trust-store";
    static final String STORE_TYPE = "PKCS12";

    private static final Map<Path, Path> STORES = new ConcurrentHashMap<>();

    private PemTrustStore() {
    }

    /** The trust store file holding every certificate of {@code pemBundle}. */
    static Path forBundle(Path pemBundle) throws SQLException {
        Path key = pemBundle.toAbsolutePath().normalize();
        Path existing = STORES.get(key);
        if (existing != null && Files.isRegularFile(existing)) {
            return existing;
        }
        Path created = create(key);
        STORES.put(key, created);
        return created;
    }

    private static Path create(Path pemBundle) throws SQLException {
        try {
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(pemBundle)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certificates.isEmpty()) {
                throw new SQLNonTransientConnectionException(
                        "CA bundle " + pemBundle + " holds no PEM certificate", "08001");
            }
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            Path file = Files.createTempFile("rotation-mysql-ca-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, STORE_PASSWORD.toCharArray());
            }
            restrictToOwner(file);
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new SQLNonTransientConnectionException(
                    "CA bundle " + pemBundle + " cannot be read as PEM certificates: " + e.getMessage(), "08001", e);
        }
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException notPosix) {
            // Only public certificates inside; tighter permissions are a nicety, not a need.
        }
    }
}
