package dev.rotation.local.testdb;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private test CA and a server certificate it signed, as PEM files in a private temporary directory,
 * plus the CA as a PKCS#12 trust store for clients that want one (MySQL Connector/J).
 *
 * <p>Generated with the {@code openssl} command line (EC P-256 keys: fast to make). Each call makes a new
 * CA, so a second instance is the natural "wrong CA"; a certificate for another name is the natural "wrong
 * host name". Files are deleted by {@link #close()} or when the JVM exits.
 *
 * <pre>{@code
 * try (TlsMaterial tls = TlsMaterial.generate("127.0.0.1", "localhost");
 *      TestDatabase db = TestDatabases.startPostgresWithTls(tls)) {
 *     // connect with sslmode=verify-full and sslrootcert=tls.caCertificate()
 * }
 * }</pre>
 */
public final class TlsMaterial implements AutoCloseable {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final String TRUST_STORE_PASSWORD = "changeit";

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
        List<String> sans = new ArrayList<>();
        for (String name : names) {
            sans.add(subjectAltName(name));
        }
        if (!Files.isExecutable(OPENSSL)) {
            throw new TestDatabaseUnavailableException("Generating TLS certificates needs " + OPENSSL
                    + "; install it with `apt-get install openssl`.");
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

    private static String subjectAltName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a host name or IP address must not be blank");
        }
        if (name.matches("[0-9.]+") || name.contains(":")) {
            try {
                return "IP:" + InetAddress.getByName(name).getHostAddress();
            } catch (IOException e) {
                throw new IllegalArgumentException("not an IP address: " + name);
            }
        }
        if (!DNS_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a DNS name: " + name);
        }
        return "DNS:" + name;
    }

    private void create(String commonName, List<String> sans) {
        String ec = "ec";
        String curve = "ec_paramgen_curve:prime256v1";
        openssl("req", "-x509", "-newkey", ec, "-pkeyopt", curve, "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "3", "-subj", "/CN=rotation test CA " + Passwords.suffix(8),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-new", "-newkey", ec, "-pkeyopt", curve, "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=" + commonName);
        write("server-ext.cnf", "subjectAltName=" + String.join(",", sans) + "\n"
                + "basicConstraints=critical,CA:FALSE\n"
                + "keyUsage=critical,digitalSignature\n"
                + "extendedKeyUsage=serverAuth\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-set_serial", "0x" + Passwords.hex(16),
                "-days", "3", "-extfile", "server-ext.cnf", "-out", "server.pem");
        writeTrustStore();
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(OPENSSL.toString());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("openssl.log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl " + args[0] + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + args[0] + " failed:\n" + ServerProcess.tail(out, 20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }

    private void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeTrustStore() {
        try (InputStream in = Files.newInputStream(caCertificate());
             OutputStream out = Files.newOutputStream(trustStore())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("rotation-test-ca", ca);
            store.store(out, TRUST_STORE_PASSWORD.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store", e);
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
