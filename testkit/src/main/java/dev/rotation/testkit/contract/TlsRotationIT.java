package dev.rotation.testkit.contract;

import dev.rotation.testkit.TestJson;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.RotationWorld.SecretState;
import dev.rotation.testkit.RotationWorld.Account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.secret.DatabaseSecret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code ssl} key and TLS settings against real servers: verified TLS with a configured CA
 * bundle, no fallback after a failed verification, the plaintext fallback only for secrets without
 * {@code ssl} and only while allowed. Two TLS servers of the target's kind: one whose certificate
 * names 127.0.0.1, one whose certificate names only {@code localhost} (wrong host name when the
 * secret says 127.0.0.1).
 */
public class TlsRotationIT extends RotationContractBase {
    private TlsMaterial tls;
    private TlsMaterial otherCa;
    private TlsMaterial localhostOnly;
    private TestDatabase tlsServer;
    private TestDatabase wrongNameServer;
    private String tlsDbName;
    private String wrongNameDbName;

    @BeforeAll
    void startTlsServers() {
        tls = TlsMaterial.generate("127.0.0.1");
        otherCa = TlsMaterial.generate("127.0.0.1");
        localhostOnly = TlsMaterial.generate("localhost");
        tlsServer = engineTarget().startTlsDatabase(tls);
        wrongNameServer = engineTarget().startTlsDatabase(localhostOnly);
        tlsDbName = tlsServer.createDatabase("tls_contract");
        wrongNameDbName = wrongNameServer.createDatabase("tls_contract");
    }

    @AfterAll
    void stopTlsServers() {
        for (AutoCloseable resource : new AutoCloseable[] {wrongNameServer, tlsServer, localhostOnly, otherCa, tls}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // Throwaway servers and temporary files; the JVM's exit hooks clean up the rest.
            }
        }
    }

    private RotationWorld fixtureOn(TestDatabase server, String dbName) {
        return RotationWorld.builder(engineTarget()).database(server, dbName).build();
    }

    @Test
    void rotation_withSslTrue_usesVerifiedTlsWithTheConfiguredCaBundle() {
        try (RotationWorld f = fixtureOn(tlsServer, tlsDbName)) {
            f.environment("DB_TLS_CA_BUNDLE", tls.caCertificate().toString());
            Account account = f.newAccount("tls");
            String arn = f.createSecret(f.secretFor(account).put("host", "127.0.0.1").put("ssl", true).write());

            f.rotate(arn);

            String password = DatabaseSecret.parse(f.currentValue(arn)).password();
            assertThat(f.canLogin(account.username(), password)).isTrue();
            assertThat(f.canLogin(account.username(), account.password())).isFalse();
        }
    }

    @Test
    void rotation_withoutSslKey_againstATlsServer_usesTlsWithoutAFallbackWarning() {
        try (RotationWorld f = fixtureOn(tlsServer, tlsDbName)) {
            f.environment("DB_TLS_CA_BUNDLE", tls.caCertificate().toString());
            f.environment("ALLOW_PLAINTEXT_FALLBACK", "false");
            Account account = f.newAccount("tlspref");
            String arn = f.createSecret(f.secretFor(account).without("ssl").put("host", "127.0.0.1").write());

            f.rotate(arn);

            assertThat(f.canLogin(account.username(), DatabaseSecret.parse(f.currentValue(arn)).password())).isTrue();
            assertThat(f.logLines).noneMatch(line -> line.contains("falling back to plaintext"));
        }
    }

    @Test
    void setSecret_withSslTrue_andACaThatDidNotSignTheServer_failsWithoutFallingBack() {
        try (RotationWorld f = fixtureOn(tlsServer, tlsDbName)) {
            f.environment("DB_TLS_CA_BUNDLE", otherCa.caCertificate().toString());
            assertSetSecretFailsChangingNothing(f, f.secretFor(f.newAccount("wrongca")).put("host", "127.0.0.1")
                    .put("ssl", true), "over TLS", VERIFICATION_FAILED);
        }
    }

    @Test
    void setSecret_withoutSslKey_andACaThatDidNotSignTheServer_failsWithoutFallingBack() {
        try (RotationWorld f = fixtureOn(tlsServer, tlsDbName)) {
            f.environment("DB_TLS_CA_BUNDLE", otherCa.caCertificate().toString());
            assertSetSecretFailsChangingNothing(f, f.secretFor(f.newAccount("wrongcapref")).without("ssl").put("host", "127.0.0.1"),
                    "over TLS", VERIFICATION_FAILED);
            assertThat(f.logLines).noneMatch(line -> line.contains("falling back to plaintext"));
        }
    }

    @Test
    void setSecret_withSslTrue_andACertificateForAnotherHostName_fails() {
        try (RotationWorld f = fixtureOn(wrongNameServer, wrongNameDbName)) {
            f.environment("DB_TLS_CA_BUNDLE", localhostOnly.caCertificate().toString());
            assertSetSecretFailsChangingNothing(f, f.secretFor(f.newAccount("wrongname")).put("host", "127.0.0.1")
                    .put("ssl", "true"), "over TLS", VERIFICATION_FAILED);
        }
    }

    @Test
    void setSecret_withSslTrue_againstAServerWithoutTls_fails() {
        assertSetSecretFailsChangingNothing(fixture, fixture.secretFor(fixture.newAccount("notls")).put("ssl", true),
                "over TLS");
    }

    @Test
    void rotation_withoutSslKey_againstAServerWithoutTls_whenTheDeployerAllowsIt_fallsBackToPlaintextWithAWarning() {
        fixture.environment("ALLOW_PLAINTEXT_FALLBACK", "true");
        Account account = fixture.newAccount("fallback");
        String arn = fixture.createSecret(fixture.secretFor(account).without("ssl").write());

        fixture.rotateSuccessfully(arn);

        assertThat(fixture.canLogin(account.username(), DatabaseSecret.parse(fixture.currentValue(arn)).password()))
                .isTrue();
        assertThat(fixture.logLines).anyMatch(line -> line.contains("\"WARN\"") && line.contains("no TLS"));
    }

    @Test
    void setSecret_withoutSslKey_againstAServerWithoutTls_byDefault_failsNamingTheSetting() {
        assertSetSecretFailsChangingNothing(fixture, fixture.secretFor(fixture.newAccount("defaultnofallback")).without("ssl"),
                "ALLOW_PLAINTEXT_FALLBACK=true");
    }

    @Test
    void setSecret_withoutSslKey_againstAServerWithoutTls_whenFallbackIsForbidden_failsNamingTheSetting() {
        fixture.environment("ALLOW_PLAINTEXT_FALLBACK", "false");
        assertSetSecretFailsChangingNothing(fixture, fixture.secretFor(fixture.newAccount("nofallback")).without("ssl"),
                "ALLOW_PLAINTEXT_FALLBACK");
    }

    @Test
    void rotation_withSslFalse_usesPlaintextEvenWhenFallbackIsForbidden() {
        fixture.environment("ALLOW_PLAINTEXT_FALLBACK", "false");
        Account account = fixture.newAccount("sslfalse");
        String arn = fixture.createSecret(fixture.secretFor(account).put("ssl", "false").write());

        fixture.rotateSuccessfully(arn);

        assertThat(fixture.canLogin(account.username(), DatabaseSecret.parse(fixture.currentValue(arn)).password()))
                .isTrue();
    }

    /** What a failed certificate or host-name verification says, in Connector/J's and pgjdbc's words. */
    private static final String VERIFICATION_FAILED = "(?is).*(certif|PKIX|trust anchor|hostname|identity).*";

    /** createSecret, then setSecret must fail naming {@code expected}; the secret and the password stay. */
    private void assertSetSecretFailsChangingNothing(RotationWorld f, TestJson secret, String expected) {
        assertSetSecretFailsChangingNothing(f, secret, expected, "(?s).*");
    }

    private void assertSetSecretFailsChangingNothing(RotationWorld f, TestJson secret, String expected,
            String pattern) {
        DatabaseSecret original = DatabaseSecret.parse(secret.write());
        String arn = f.createSecret(secret.write());
        String token = f.startPendingRotation(arn);
        f.invoke(RotationStep.CREATE_SECRET, arn, token);
        SecretState before = f.state(arn);

        assertThatThrownBy(() -> f.invoke(RotationStep.SET_SECRET, arn, token))
                .hasMessageContaining(expected).hasMessageMatching(pattern);

        assertThat(f.state(arn)).isEqualTo(before);
        assertThat(f.canLogin(original.username(), original.password())).isTrue();
    }
}
