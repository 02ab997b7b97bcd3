package dev.rotation.local.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated CA and server certificate, checked with the JDK's own certificate path validation. */
class TlsMaterialTest {
    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void validate(X509Certificate server, X509Certificate trusted) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(trusted, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), parameters);
    }

    @Test
    void generate_makesAServerCertificateTheCaVouchesFor() throws Exception {
        try (TlsMaterial tls = TlsMaterial.generate("127.0.0.1", "db.test")) {
            X509Certificate ca = certificate(tls.caCertificate());
            X509Certificate server = certificate(tls.serverCertificate());

            validate(server, ca);
            assertThat(ca.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
            assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
            assertThat(ca.getSubjectX500Principal().getName()).startsWith("CN=rotation test CA ");
            assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);
            assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
            assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
            assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
            assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                    List.of(7, "127.0.0.1"), List.of(2, "db.test"));
            server.checkValidity();
            assertThat(tls.subjectAltNames()).containsExactly("127.0.0.1", "db.test");
        }
    }

    @Test
    void generate_twice_makesTwoCasThatDoNotVouchForEachOther() throws Exception {
        try (TlsMaterial one = TlsMaterial.forLocalhost(); TlsMaterial other = TlsMaterial.forLocalhost()) {
            X509Certificate server = certificate(one.serverCertificate());
            assertThatThrownBy(() -> validate(server, certificate(other.caCertificate())))
                    .isInstanceOf(CertPathValidatorException.class);
            assertThat(certificate(one.caCertificate()).getSerialNumber())
                    .isNotEqualTo(certificate(other.caCertificate()).getSerialNumber());
        }
    }

    @Test
    void serverKey_isAnUnencryptedPkcs8KeyOfTheCertificateOnlyItsOwnerCanRead() throws Exception {
        try (TlsMaterial tls = TlsMaterial.generate("localhost")) {
            String pem = Files.readString(tls.serverKey());
            assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(new byte[] {1, 2, 3});
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate(tls.serverCertificate()).getPublicKey());
            verifier.update(new byte[] {1, 2, 3});
            assertThat(verifier.verify(signature)).as("the key belongs to the certificate").isTrue();
            assertThat(Files.getPosixFilePermissions(tls.serverKey()))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void trustStore_holdsTheCa() throws Exception {
        try (TlsMaterial tls = TlsMaterial.forLocalhost()) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tls.trustStore())) {
                store.load(in, tls.trustStorePassword().toCharArray());
            }
            assertThat(store.getCertificate("rotation-test-ca")).isEqualTo(certificate(tls.caCertificate()));
        }
    }

    @Test
    void close_deletesTheFiles() {
        TlsMaterial tls = TlsMaterial.forLocalhost();
        Path ca = tls.caCertificate();
        assertThat(ca).exists();
        tls.close();
        assertThat(ca).doesNotExist();
        assertThat(ca.getParent()).doesNotExist();
    }

    @Test
    void generate_withABadName_saysWhichAndMakesNothing() {
        assertThatThrownBy(() -> TlsMaterial.generate("bad name")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a DNS name: bad name");
        assertThatThrownBy(TlsMaterial::generate).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsMaterial.generate(" ")).hasMessageContaining("blank");
    }
}
