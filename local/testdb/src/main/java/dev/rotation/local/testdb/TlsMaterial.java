package dev.rotation.local.testdb;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private test CA and a server certificate it signed, as PEM files in a private temporary directory,
 * plus the CA as a PKCS#12 trust store for clients that want one (MySQL Connector/J).
 *
 * <p>Made in process with BouncyCastle's certificate builder (EC P-256 keys: fast to make, and the JDK's
 * own provider signs), with the extensions {@code openssl req -x509} and {@code openssl x509 -req} gave
 * them before: a critical CA basic constraint and keyCertSign/cRLSign for the CA; for the server, its
 * names, a critical non-CA basic constraint, digitalSignature and serverAuth; key identifiers on both.
 * Each call makes a new CA, so a second instance is the natural "wrong CA"; a certificate for another name
 * is the natural "wrong host name". Files are deleted by {@link #close()} or when the JVM exits.
 *
 * <pre>{@code
 * try (TlsMaterial tls = TlsMaterial.generate("127.0.0.1", "localhost");
 *      TestDatabase db = TestDatabases.startPostgresWithTls(tls)) {
 *     // connect with sslmode=verify-full and sslrootcert=tls.caCertificate()
 * }
 * }</pre>
 */
public final class TlsMaterial implements AutoCloseable {
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final String TRUST_STORE_PASSWORD = "changeit";
    private static final String SIGNATURE = "SHA256withECDSA";
    /** As {@code -days 3} did; backdated a little so that a clock read a moment later is never "before". */
    private static final Duration VALIDITY = Duration.ofDays(3);
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final List<String> subjectAltNames;
    private final Thread cleanup;

    private TlsMaterial(Path dir, List<String> subjectAltNames) {
        this.dir = dir;
        this.subjectAltNames = List.copyOf(subjectAltNames);
        this.cleanup = new Thread(this::deleteFiles, "delete " + dir);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** A CA and a certificate for 127.0.0.1 and localhost. */
    public static TlsMaterial forLocalhost() {
        return generate("127.0.0.1", "localhost");
    }

    /**
     * A new CA and a server certificate whose subject alternative names are {@code names}: IP literals
     * become IP entries, anything else DNS entries. The first name is also the subject's common name.
     */
    public static TlsMaterial generate(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("at least one host name or IP address is needed");
        }
        List<GeneralName> sans = new ArrayList<>();
        for (String name : names) {
            sans.add(subjectAltName(name));
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(StaleServers.PREFIX + "tls-");
            StaleServers.claim(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TlsMaterial material = new TlsMaterial(dir, List.of(names));
        try {
            material.create(names[0], sans);
            return material;
        } catch (RuntimeException e) {
            material.close();
            throw e;
        }
    }

    private static GeneralName subjectAltName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a host name or IP address must not be blank");
        }
        if (name.matches("[0-9.]+") || name.contains(":")) {
            try {
                return new GeneralName(GeneralName.iPAddress, InetAddress.getByName(name).getHostAddress());
            } catch (IOException e) {
                throw new IllegalArgumentException("not an IP address: " + name);
            }
        }
        if (!DNS_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a DNS name: " + name);
        }
        return new GeneralName(GeneralName.dNSName, name);
    }

    private void create(String commonName, List<GeneralName> sans) {
        try {
            KeyPair caKey = newKeyPair();
            X500Name caName = commonName("rotation test CA " + Passwords.suffix(8));
            JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
            Instant now = Instant.now();
            X509v3CertificateBuilder ca = builder(caName, caName, caKey, now)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(caKey.getPublic()));
            X509Certificate caCertificate = sign(ca, caKey);

            KeyPair serverKey = newKeyPair();
            X509v3CertificateBuilder server = builder(caName, commonName(commonName), serverKey, now)
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ids.createSubjectKeyIdentifier(serverKey.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ids.createAuthorityKeyIdentifier(caCertificate));
            X509Certificate serverCertificate = sign(server, caKey);

            writePem(caCertificate(), caCertificate);
            writePem(serverCertificate(), serverCertificate);
            // PKCS#8 ("BEGIN PRIVATE KEY"), as openssl wrote it, not the SEC1 form JcaPEMWriter picks for EC keys.
            Files.createFile(serverKey(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            writePem(serverKey(), new JcaPKCS8Generator(serverKey.getPrivate(), null).generate());
            writeTrustStore(caCertificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the test certificates", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test certificates to " + dir, e);
        }
    }

    private static X500Name commonName(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair key, Instant now) {
        // A positive 127-bit serial, random as openssl's.
        BigInteger serial = new BigInteger(127, RANDOM);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(VALIDITY)), subject, key.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKey)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey.getPrivate())));
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }

    private void writeTrustStore(X509Certificate ca) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(trustStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("rotation-test-ca", ca);
            store.store(out, TRUST_STORE_PASSWORD.toCharArray());
        }
    }

    /** The CA certificate (PEM): what clients must trust. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** The server certificate (PEM), signed by the CA. */
    public Path serverCertificate() {
        return dir.resolve("server.pem");
    }

    /** The server's private key (PEM, PKCS#8, unencrypted). */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** The CA certificate as a PKCS#12 trust store, password {@link #trustStorePassword()}. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** The trust store's password; it protects nothing secret (a CA certificate is public). */
    public String trustStorePassword() {
        return TRUST_STORE_PASSWORD;
    }

    /** The names the server certificate is valid for, as given. */
    public List<String> subjectAltNames() {
        return subjectAltNames;
    }

    /** Deletes the files. Servers started with this material keep their own copies. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs anyway.
        }
        deleteFiles();
    }

    private void deleteFiles() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // Best effort.
        }
    }

    @Override
    public String toString() {
        return "TlsMaterial" + subjectAltNames + " in " + dir;
    }
}
