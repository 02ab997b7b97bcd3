package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.shared.ConnectionSettings;

import dev.rotation.testkit.TestJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A man in the middle that offers no TLS and asks for caching_sha2_password full authentication:
 * a client that fetches the server's RSA key (allowPublicKeyRetrieval) encrypts the password with
 * the attacker's key. The function must not do that unless ALLOW_PUBLIC_KEY_RETRIEVAL=true says so:
 * the rotation fails with an error saying why, and the secret keeps its versions.
 */
class MySqlPublicKeyRetrievalIT {
    private FakeMySqlServer fake;
    private RotationWorld world;

    @BeforeEach
    void start() {
        fake = FakeMySqlServer.start();
        world = RotationWorld.builder(new MySqlTarget()).maxRotationAttempts(1).build();
    }

    @AfterEach
    void stop() {
        world.close();
        fake.close();
    }

    private TestJson secretOnTheFakeServer(String password) {
        return TestJson.object().put("engine", "mysql").put("host", fake.host()).put("port", fake.port())
                .put("username", "app_user").put("password", password).put("dbname", "app");
    }

    /** Runs the rotation and checks what the fake server got: no password, encrypted or not. */
    private RotationOutcome rotateAgainstTheFake(String secretString, String password) {
        String arn = world.createSecret(secretString);
        Map<String, String> before = world.settledVersions(arn);

        RotationOutcome outcome = world.rotate(arn);

        assertThat(fake.logins()).as("the function reached the fake server's login").isPositive();
        assertThat(fake.recoveredPasswords().size()).as("passwords the fake server decrypted with its own key")
                .isZero();
        assertThat(fake.receivedContains(password)).as("current password sent in clear").isFalse();
        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.step()).isEqualTo("setSecret");
        assertThat(outcome.reason()).contains(ConnectionSettings.ALLOW_PUBLIC_KEY_RETRIEVAL);
        assertThat(world.settledVersions(arn).equals(before)).as("AWSCURRENT and AWSPREVIOUS unchanged").isTrue();
        for (String text : world.texts(outcome)) {
            assertThat(text.contains(password)).as("a log line or error holds the password").isFalse();
        }
        return outcome;
    }

    @Test
    void rotation_withSslFalse_neverHandsThePasswordToAServerThatSendsItsOwnKey() {
        String password = RotationWorld.randomPassword();

        rotateAgainstTheFake(secretOnTheFakeServer(password).put("ssl", false).write(), password);
    }

    @Test
    void rotation_withoutSslKeyAndPlaintextFallback_neverHandsThePasswordToAServerThatSendsItsOwnKey() {
        world.environment(ConnectionSettings.ALLOW_PLAINTEXT_FALLBACK, "true");
        String password = RotationWorld.randomPassword();

        rotateAgainstTheFake(secretOnTheFakeServer(password).write(), password);
    }

    /** The fake server works: told to fetch the key, Connector/J hands over exactly the password. */
    @Test
    void fakeServer_whenKeyRetrievalIsAllowed_recoversThePassword() {
        world.environment(ConnectionSettings.ALLOW_PUBLIC_KEY_RETRIEVAL, "true");
        String password = RotationWorld.randomPassword();
        String arn = world.createSecret(secretOnTheFakeServer(password).put("ssl", false).write());

        RotationOutcome outcome = world.rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(fake.recoveredPasswords().contains(password)).as("the fake server recovered the password").isTrue();
        assertThat(fake.users()).contains("app_user");
        assertThat(fake.failures()).isEmpty();
        assertThat(List.of(fake.toString())).noneMatch(text -> text.contains(password));
    }
}
