package dev.rotation.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTrustStoreTest {
    /** Two self-signed test CAs (public certificates only, valid until 2126), of the same length. */
    private static final String CA_1 = resource("ca-1.pem");
    private static final String CA_2 = resource("ca-2.pem");

    @TempDir
    Path dir;

    @Test
    void forBundle_withTwoCertificates_storesBoth() throws Exception {
        Path bundle = Files.writeString(dir.resolve("bundle.pem"), CA_1 + CA_2);

        Path store = PemTrustStore.forBundle(bundle);

        assertThat(trusted(store)).containsExactlyInAnyOrderElementsOf(certificates(CA_1 + CA_2));
    }

    @Test
    void forBundle_calledAgain_returnsTheSameFileUntouched() throws Exception {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), CA_1);
        Path first = PemTrustStore.forBundle(bundle);
        Files.setLastModifiedTime(first, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        Path second = PemTrustStore.forBundle(dir.resolve("./ca.pem"));

        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second)).as("not written again")
                .isEqualTo(FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    }

    @Test
    void forBundle_onPosix_writesAFileOnlyTheOwnerMayReadOrWrite() throws Exception {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path bundle = Files.writeString(dir.resolve("ca.pem"), CA_1);

        Path store = PemTrustStore.forBundle(bundle);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
    }

    @Test
    void forBundle_whenTheBundleChanged_writesANewStoreAndDeletesTheOld() throws Exception {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), CA_1);
        Path before = PemTrustStore.forBundle(bundle);
        Files.writeString(bundle, CA_2);
        Files.setLastModifiedTime(bundle, FileTime.from(Instant.now().plusSeconds(60)));

        Path after = PemTrustStore.forBundle(bundle);

        assertThat(trusted(after)).containsExactlyElementsOf(certificates(CA_2));
        assertThat(before).doesNotExist();
    }

    @Test
    void forBundle_whenTheBundleIsRenamedOverWithSameSizeAndTime_writesANewStore() throws Exception {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), CA_1);
        Path before = PemTrustStore.forBundle(bundle);
        // How a deployment swaps a file atomically; only the file (inode) tells the two apart.
        Path next = Files.writeString(dir.resolve("ca.pem.next"), CA_2);
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(bundle));
        assumeThat(Files.readAttributes(bundle, "basic:fileKey").get("fileKey")).as("file keys").isNotNull();
        assertThat(Files.size(next)).isEqualTo(Files.size(bundle));
        Files.move(next, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        Path after = PemTrustStore.forBundle(bundle);

        assertThat(after).isNotEqualTo(before);
        assertThat(trusted(after)).containsExactlyElementsOf(certificates(CA_2));
    }

    @Test
    void forBundle_whenTheStoreVanished_writesItAgain() throws Exception {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), CA_1);
        Files.delete(PemTrustStore.forBundle(bundle));

        Path again = PemTrustStore.forBundle(bundle);

        assertThat(trusted(again)).containsExactlyElementsOf(certificates(CA_1));
    }

    @Test
    void forBundle_whenTheBundleTurnsUnreadable_failsNamingThePathAndKeepsTheOldStore() throws Exception {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), CA_1);
        Path before = PemTrustStore.forBundle(bundle);
        Files.writeString(bundle, "not a certificate");
        Files.setLastModifiedTime(bundle, FileTime.from(Instant.now().plusSeconds(60)));

        assertThatThrownBy(() -> PemTrustStore.forBundle(bundle)).isInstanceOf(IOException.class)
                .hasMessageContaining(bundle.toString());
        assertThat(trusted(before)).containsExactlyElementsOf(certificates(CA_1));
    }

    @Test
    void forBundle_withoutPemCertificates_failsNamingThePath() throws Exception {
        Path text = Files.writeString(dir.resolve("bundle.txt"), "not a certificate");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path missing = dir.resolve("missing.pem");
        Path directory = Files.createDirectory(dir.resolve("certs"));

        assertThatThrownBy(() -> PemTrustStore.forBundle(text)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("CA bundle " + text);
        assertThatThrownBy(() -> PemTrustStore.forBundle(empty)).isInstanceOf(IOException.class)
                .hasMessage("CA bundle " + empty + " holds no PEM certificate");
        assertThatThrownBy(() -> PemTrustStore.forBundle(missing)).isInstanceOf(IOException.class)
                .hasMessage("CA bundle " + missing + " does not exist");
        assertThatThrownBy(() -> PemTrustStore.forBundle(directory)).isInstanceOf(IOException.class)
                .hasMessage("CA bundle " + directory + " is not a file");
    }

    @Test
    void forBundle_fromManyThreadsAtOnce_writesOneStore() throws Exception {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), CA_1);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Path> call = () -> {
                    start.await();
                    return PemTrustStore.forBundle(bundle);
                };
                results.add(threads.submit(call));
            }
            start.countDown();
            Set<Path> stores = new HashSet<>();
            for (Future<Path> result : results) {
                stores.add(result.get(30, TimeUnit.SECONDS));
            }

            assertThat(stores).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    /** The certificates of a store, loaded as Connector/J loads it. */
    private static List<Certificate> trusted(Path store) throws Exception {
        KeyStore keyStore = KeyStore.getInstance(PemTrustStore.STORE_TYPE);
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PemTrustStore.STORE_PASSWORD.toCharArray());
        }
        List<Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            assertThat(keyStore.isCertificateEntry(alias)).as(alias).isTrue();
            certificates.add(keyStore.getCertificate(alias));
        }
        return certificates;
    }

    private static Collection<? extends Certificate> certificates(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String resource(String name) {
        try (InputStream in = PemTrustStoreTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }
}
