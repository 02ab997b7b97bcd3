package dev.rotation.secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PEM bundle of CA certificates as a PKCS12 trust store file, for drivers that read trusted CAs
 * only from a key store (MySQL Connector/J's {@code trustCertificateKeyStoreUrl}); pgjdbc reads the
 * PEM file itself.
 *
 * <pre>{@code
 * Path store = PemTrustStore.forBundle(Path.of("/opt/rds-ca/global-bundle.pem"));
 * props.setProperty("trustCertificateKeyStoreUrl", store.toUri().toString());
 * props.setProperty("trustCertificateKeyStoreType", PemTrustStore.STORE_TYPE);
 * props.setProperty("trustCertificateKeyStorePassword", PemTrustStore.STORE_PASSWORD);
 * }</pre>
 *
 * <p>The store is written once per JVM and bundle to a temporary file readable by its owner only,
 * and reused by every later call (a warm Lambda, a connection pool). It is written again when the
 * bundle changed (a CA rotation: another modification time, size or file, e.g. after a rename over
 * it) or when the temporary file vanished (a cleaned {@code /tmp}); the previous file is then
 * deleted. Every file is also deleted when the JVM exits. Only public certificates are involved, so
 * the store's password guards nothing secret. Safe for any number of threads.
 */
public final class PemTrustStore {
    /** The key store type of the file {@link #forBundle} returns. */
    public static final String STORE_TYPE = "PKCS12";
    /** The file's password: a trust store holds only public certificates, so this guards nothing secret. */
    public static final String STORE_PASSWORD = "trust-store";

    private static final Map<Path, Store> STORES = new ConcurrentHashMap<>();

    private PemTrustStore() {
    }

    /**
     * The trust store file holding every certificate of {@code pemBundle}.
     *
     * @throws IOException naming the bundle's path when it cannot be read or holds no PEM
     *     certificate, or when the trust store cannot be written
     */
    public static Path forBundle(Path pemBundle) throws IOException {
        Path bundle = Objects.requireNonNull(pemBundle, "pemBundle").toAbsolutePath().normalize();
        // Read the bundle's attributes before its content: a change after this is seen by the next call.
        Version version = version(bundle);
        Store known = STORES.get(bundle);
        if (known != null && known.version.equals(version) && Files.isRegularFile(known.file)) {
            return known.file;
        }
        synchronized (PemTrustStore.class) {
            known = STORES.get(bundle);
            if (known != null && known.version.equals(version) && Files.isRegularFile(known.file)) {
                return known.file;
            }
            Path file = write(bundle, certificates(bundle));
            STORES.put(bundle, new Store(file, version));
            if (known != null) {
                // Callers that still hold the old path have loaded it already; drivers read it at connect.
                Files.deleteIfExists(known.file);
            }
            return file;
        }
    }

    private static Version version(Path bundle) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(bundle, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new IOException("CA bundle " + bundle + " does not exist", e);
        } catch (IOException e) {
            throw new IOException("CA bundle " + bundle + " cannot be read: " + e.getClass().getSimpleName(), e);
        }
        if (!attributes.isRegularFile()) {
            throw new IOException("CA bundle " + bundle + " is not a file");
        }
        return new Version(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }

    private static Collection<? extends Certificate> certificates(Path bundle) throws IOException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(bundle)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException("CA bundle " + bundle + " cannot be read as PEM certificates: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("CA bundle " + bundle + " holds no PEM certificate");
        }
        return certificates;
    }

    private static Path write(Path bundle, Collection<? extends Certificate> certificates) throws IOException {
        Path file = null;
        try {
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            file = Files.createTempFile("rotation-ca-", ".p12", ownerOnly());
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, STORE_PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            if (file != null) {
                Files.deleteIfExists(file);
            }
            throw new IOException("cannot write a trust store for CA bundle " + bundle + ": " + e, e);
        }
    }

    /** rw------- where the file system has POSIX permissions; elsewhere the temporary directory's defaults. */
    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    /** What identifies one content of the bundle without reading it; fileKey (device and inode) may be null. */
    private record Version(FileTime modified, long size, Object fileKey) {
    }

    private record Store(Path file, Version version) {
    }
}
