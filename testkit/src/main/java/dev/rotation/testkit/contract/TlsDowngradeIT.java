package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.FakeServer;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.TestJson;
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
public class TlsDowngradeIT {
    private EngineTarget target;
    private RotationWorld world;
    private FakeServer fake;

    @BeforeEach
    void start() {
        target = EngineTargets.current();
        fake = target.startFakeServerWithoutTls();
        world = RotationWorld.builder(target).maxRotationAttempts(1).build();
    }

    @AfterEach
    void stop() {
        world.close();
        fake.close();
    }

    private String secretWithoutSslKey(String password) {
        return world.createSecret(TestJson.object()
                .put("engine", target.engine().description().secretValues().get(0))
                .put("host", fake.host()).put("port", fake.port()).put("username", RotationWorld.unique("app"))
                .put("password", password).write());
    }

    @Test
    void setSecret_withoutSslKey_whenTheServerOffersNoTls_handsItNoPasswordAndFails() {
        String password = RotationWorld.randomPassword();
        String arn = secretWithoutSslKey(password);
        String before = world.currentValue(arn);

        RotationOutcome outcome = world.rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.reason()).contains("offers no TLS").contains("ALLOW_PLAINTEXT_FALLBACK");
        assertThat(fake.connections()).as("the function reached the fake server").isPositive();
        assertThat(fake.recoveredPasswords()).as("passwords the fake server recovered (count)").isEmpty();
        assertThat(fake.usernames()).as("logins the fake server received").isEmpty();
        assertThat(world.currentValue(arn).equals(before)).as("AWSCURRENT unchanged (not shown)").isTrue();
    }

    @Test
    void setSecret_withoutSslKey_whenTheDeployerAllowsTheFallback_downgradesWithAWarningNamingTheRisk() {
        world.environment("ALLOW_PLAINTEXT_FALLBACK", "true");
        String arn = secretWithoutSslKey(RotationWorld.randomPassword());

        world.rotate(arn);

        assertThat(fake.usernames()).as("the fallback reached the fake server in plaintext").isNotEmpty();
        assertThat(String.join("\n", world.logLines)).contains("\"level\":\"WARN\"").contains("offers no TLS")
                .contains("man in the middle");
    }
}
