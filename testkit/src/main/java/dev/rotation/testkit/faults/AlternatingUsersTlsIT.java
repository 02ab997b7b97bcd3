package dev.rotation.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.testkit.RotationWorld;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.secret.SslMode;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS for alternating users, whose setSecret logs in twice (as the current user and as the master)
 * on throwaway TLS servers with a CA and certificates the test generated: {@code ssl: true} with
 * the CA configured switches users over verified TLS; a CA that did not sign the server, or a
 * certificate for another host name, fails with a clear error before any user is created, without
 * falling back to plaintext; a secret without {@code ssl} uses TLS when the server offers it, even
 * with the fallback forbidden. (Single user: the engine modules' TlsRotationIT.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class AlternatingUsersTlsIT {
    /** What a failed certificate or host-name verification says, in Connector/J's and pgjdbc's words. */
    private static final String VERIFICATION_FAILED = "(?is).*(certif|PKIX|trust anchor|hostname|identity).*";


    private TlsMaterial tls;
    private TlsMaterial otherCa;
    private TlsMaterial localhostOnly;
    private TestDatabase tlsServer;
    private TestDatabase wrongNameServer;
    private RotationWorld onTls;
    private RotationWorld onWrongName;

    @BeforeAll
    void startTlsServers() {
        EngineTarget target = EngineTargets.current();
        tls = TlsMaterial.generate("127.0.0.1");
        otherCa = TlsMaterial.generate("127.0.0.1");
        localhostOnly = TlsMaterial.generate("localhost");
        tlsServer = target.startTlsDatabase(tls);
        wrongNameServer = target.startTlsDatabase(localhostOnly);
        onTls = RotationWorld.builder(target).database(tlsServer, tlsServer.createDatabase("alt_tls"))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build();
        onWrongName = RotationWorld.builder(target).database(wrongNameServer, wrongNameServer.createDatabase("alt_tls"))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build();
    }

    @AfterAll
    void stopTlsServers() {
        for (AutoCloseable resource : new AutoCloseable[] {onWrongName, onTls, wrongNameServer, tlsServer,
                localhostOnly, otherCa, tls}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // Throwaway servers and temporary files.
            }
        }
    }

    @Test
    void rotation_withSslTrueAndTheCaConfigured_switchesUsersOverVerifiedTls() {
        onTls.ssl = SslMode.REQUIRED;
        onTls.environment("DB_TLS_CA_BUNDLE", tls.caCertificate().toString());
        onTls.environment("ALLOW_PLAINTEXT_FALLBACK", "true");
        Scenario scenario = Scenario.start(onTls, Strategy.ALTERNATING_USERS);

        Scenario.Result result = scenario.drive(onTls.handler(Strategy.ALTERNATING_USERS),
                Scenario.RetryMode.SAME_STEP, 0);

        assertThat(result.problem()).isNull();
        assertThat(result.converged()).isTrue();
    }

    @Test
    void rotation_withoutSslKey_againstATlsServer_usesTlsEvenWithTheFallbackForbidden() {
        onTls.ssl = SslMode.PREFERRED;
        onTls.environment("DB_TLS_CA_BUNDLE", tls.caCertificate().toString());
        onTls.environment("ALLOW_PLAINTEXT_FALLBACK", "false");
        Scenario scenario = Scenario.start(onTls, Strategy.ALTERNATING_USERS);
        onTls.logLines.clear();

        Scenario.Result result = scenario.drive(onTls.handler(Strategy.ALTERNATING_USERS),
                Scenario.RetryMode.SAME_STEP, 0);

        assertThat(result.problem()).isNull();
        assertThat(result.converged()).isTrue();
        assertThat(onTls.logLines).noneMatch(line -> line.contains("falling back to plaintext"));
    }

    @Test
    void setSecret_withSslTrueAndACaThatDidNotSignTheServer_failsWithoutFallback_andCreatesNoUser() {
        onTls.ssl = SslMode.REQUIRED;
        onTls.environment("DB_TLS_CA_BUNDLE", otherCa.caCertificate().toString());
        onTls.environment("ALLOW_PLAINTEXT_FALLBACK", "true");
        setSecretFailsOverTlsChangingNothing(onTls);
    }

    @Test
    void setSecret_withoutSslKeyAndACaThatDidNotSignTheServer_failsWithoutFallback_andCreatesNoUser() {
        onTls.ssl = SslMode.PREFERRED;
        onTls.environment("DB_TLS_CA_BUNDLE", otherCa.caCertificate().toString());
        onTls.environment("ALLOW_PLAINTEXT_FALLBACK", "true");
        setSecretFailsOverTlsChangingNothing(onTls);
    }

    @Test
    void setSecret_withSslTrueAndACertificateForAnotherHostName_failsAndCreatesNoUser() {
        onWrongName.ssl = SslMode.REQUIRED;
        onWrongName.environment("DB_TLS_CA_BUNDLE", localhostOnly.caCertificate().toString());
        setSecretFailsOverTlsChangingNothing(onWrongName);
    }

    private static void setSecretFailsOverTlsChangingNothing(RotationWorld world) {
        Scenario scenario = Scenario.start(world, Strategy.ALTERNATING_USERS);
        world.logLines.clear();
        RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(Strategy.ALTERNATING_USERS);
        assertThat(RotationWorld.invoke(handler, RotationStep.CREATE_SECRET, scenario.arn, scenario.token)).isEmpty();

        Optional<Throwable> failure = RotationWorld.invoke(handler, RotationStep.SET_SECRET, scenario.arn, scenario.token);

        assertThat(failure).isPresent();
        failure.ifPresent(scenario.thrown::add);
        assertThat(failure.get().getMessage()).contains("over TLS").matches(VERIFICATION_FAILED);
        assertThat(world.logLines).noneMatch(line -> line.contains("falling back to plaintext"));
        assertThat(world.db.userExists(scenario.username + "_clone")).as("the other user was created").isFalse();
        assertThat(scenario.canLogin(scenario.username, scenario.originalPassword)).isTrue();
        assertThat(scenario.leakProblem()).isNull();
    }
}
