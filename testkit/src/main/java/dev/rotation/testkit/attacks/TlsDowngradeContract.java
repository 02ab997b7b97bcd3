package dev.rotation.testkit.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.testkit.contract.HandlerUnderTest;
import dev.rotation.testkit.contract.LocalRotationWorld;
import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.contract.TestJson;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Finding: with no {@code ssl} key the functions fell back to plaintext when the server "offered no
 * TLS", a signal anyone on the network path can forge, and a fake server recovered the current and
 * the new password on every attempt. Here a fake server of the engine's protocol stands where the
 * database should be: by default the function must refuse to talk to it in plaintext and hand it no
 * password, and only the deployer's explicit ALLOW_PLAINTEXT_FALLBACK=true allows the downgrade,
 * with a warning that names the risk.
 */
public abstract class TlsDowngradeContract {
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:downgrade-under-test";

    /** The engine module under test (its single-user handler). */
    protected abstract RotationTarget target();

    /** A fake server of the engine's protocol that offers no TLS and records what it learns. */
    protected abstract FakeServer startFakeServerWithoutTls();

    private LocalSecretsManager server;
    private SecretsManagerClient sm;
    private HandlerUnderTest handler;
    private FakeServer fake;

    @BeforeEach
    void start() {
        fake = startFakeServerWithoutTls();
        InProcessInvoker invoker = new InProcessInvoker().register(FUNCTION,
                step -> handler.invoke(step.step(), step.secretId(), step.clientRequestToken()));
        server = LocalSecretsManager.builder().port(0).rotationInvoker(invoker).maxRotationAttempts(1)
                .schedulerInterval(Duration.ZERO).build().start();
        sm = LocalRotationWorld.client(server.endpoint());
        handler = new HandlerUnderTest((environment, logSink) -> target().handler(sm, environment, logSink));
    }

    @AfterEach
    void stop() {
        sm.close();
        server.close();
        fake.close();
    }

    private String secretWithoutSslKey(String password) {
        String json = TestJson.object().put("engine", target().engine().description().family().secretValues().get(0))
                .put("host", fake.host()).put("port", fake.port()).put("username", LocalRotationWorld.unique("app"))
                .put("password", password).write();
        return sm.createSecret(r -> r.name(LocalRotationWorld.unique("downgrade")).secretString(json)).arn();
    }

    private RotationOutcome rotate(String arn) {
        sm.rotateSecret(r -> r.secretId(arn).rotationLambdaARN(FUNCTION).rotationRules(x -> x.automaticallyAfterDays(30L)));
        assertThat(server.awaitRotations(Duration.ofSeconds(60))).isTrue();
        return server.rotationOutcome(arn).orElseThrow();
    }

    @Test
    void setSecret_withoutSslKey_whenTheServerOffersNoTls_handsItNoPasswordAndFails() {
        String password = LocalRotationWorld.newPassword();
        String arn = secretWithoutSslKey(password);
        String before = sm.getSecretValue(r -> r.secretId(arn).versionStage("AWSCURRENT")).secretString();

        RotationOutcome outcome = rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.reason()).contains("offers no TLS").contains("ALLOW_PLAINTEXT_FALLBACK");
        assertThat(fake.connections()).as("the function reached the fake server").isPositive();
        assertThat(fake.recoveredPasswords()).as("passwords the fake server recovered (count)").isEmpty();
        assertThat(fake.usernames()).as("logins the fake server received").isEmpty();
        String after = sm.getSecretValue(r -> r.secretId(arn).versionStage("AWSCURRENT")).secretString();
        assertThat(after.equals(before)).as("AWSCURRENT unchanged (not shown)").isTrue();
    }

    @Test
    void setSecret_withoutSslKey_whenTheDeployerAllowsTheFallback_downgradesWithAWarningNamingTheRisk() {
        handler.environment("ALLOW_PLAINTEXT_FALLBACK", "true");
        String arn = secretWithoutSslKey(LocalRotationWorld.newPassword());

        rotate(arn);

        assertThat(fake.usernames()).as("the fallback reached the fake server in plaintext").isNotEmpty();
        assertThat(String.join("\n", handler.logLines)).contains("\"level\":\"WARN\"").contains("offers no TLS")
                .contains("man in the middle");
    }
}
