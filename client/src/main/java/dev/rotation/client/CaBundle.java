package dev.rotation.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Collection;

/**
 * A PEM file of CA certificates that connections trust instead of the JVM's trust store. pgjdbc reads
 * the PEM file itself; Connector/J reads CAs only from a key store, so for it the bundle is turned into
 * a PKCS#12 trust store in a temporary file, made again when the PEM file changes (a CA rotation) or the
 * temporary file disappears. Only public certificates are involved.
 */
final class CaBundle {
    static final String TRUST_STORE_TYPE = "PKCS12";
    /** A trust store holds only public certificates; its password guards nothing secret. */
    static final String TRUST_STORE_PASSWORD = "trust-store";

    private final Path pem;
    private TrustStore trustStore;

    private CaBundle(Path pem) {
        this.pem = pem;
    }

    /**
     * The bundle at {@code pem}, read once now so that a wrong path fails when the data source is built.
     *
     * @throws IllegalArgumentException naming the path when it holds no readable PEM certificate
     */
    static CaBundle of(Path pem) {
        Path path = pem.toAbsolutePath().normalize();
        try {
            certificates(path);
        } catch (SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e.getCause());
        }
        return new CaBundle(path);
    }

    /** The PEM file, as an absolute path. */
    Path pem() {
        return pem;
    }

    /** A PKCS#12 file ({@link #TRUST_STORE_TYPE}, {@link #TRUST_STORE_PASSWORD}) holding the bundle's certificates. */
    synchronized Path trustStore() throws SQLException {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(pem);
            size = Files.size(pem);
        } catch (IOException e) {
            throw new SQLNonTransientConnectionException("CA bundle " + pem + " cannot be read: " + e, "08001", e);
        }
        TrustStore known = trustStore;
        if (known != null && known.modified.equals(modified) && known.size == size
                && Files.isRegularFile(known.file)) {
            return known.file;
        }
        Path file = write(certificates(pem));
        trustStore = new TrustStore(file, modified, size);
        if (known != null) {
            try {
                Files.deleteIfExists(known.file);
            } catch (IOException e) {
                // Deleted on exit anyway; only public certificates inside.
            }
        }
        return file;
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws SQLException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new SQLNonTransientConnectionException("CA bundle " + pem + " holds no PEM certificate", "08001");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new SQLNonTransientConnectionException("CA bundle " + pem + " cannot be read as PEM certificates: "
                    + e.getMessage(), "08001", e);
        }
    }

    private static Path write(Collection<? extends Certificate> certificates) throws SQLException {
        try {
            KeyStore store = KeyStore.getInstance(TRUST_STORE_TYPE);
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            // createTempFile makes the file readable by its owner only (on POSIX file systems).
            Path file = Files.createTempFile("rotation-client-ca-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new SQLNonTransientConnectionException("cannot write a trust store for the CA bundle: " + e,
                    "08001", e);
        }
    }

    @Override
    public String toString() {
        return "CaBundle{" + pem + "}";
    }

    private record TrustStore(Path file, FileTime modified, long size) {
    }
}
