package dev.rotation.shared.contract.alternating;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.shared.faults.TcpCutProxy;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alternating users under attack by the author of one rotated secret, who knows that secret's own
 * password and chooses its fields: the master's login must never go where the rotated secret says,
 * and the function must never act on a user the pair does not manage. Every test checks that the
 * step failed with a clear reason, that the secret's AWSCURRENT value is unchanged, and that no
 * user was created or changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AlternatingUsersAttackContract {

    /** The engine module under test. */
    protected abstract AlternatingUsersTarget target();

    private AlternatingUsersTarget target;
    private String dbName;
    private AlternatingUsersFixture fixture;

    @BeforeAll
    void createDatabase() {
        target = target();
        dbName = target.database().createDatabase("attack");
    }

    @BeforeEach
    void startFixture() {
        fixture = new AlternatingUsersFixture(target, dbName);
    }

    @AfterEach
    void closeFixture() {
        fixture.close();
    }

    /**
     * Finding: a master secret holding only username and password (as RDS-managed ones do) took its
     * server from the rotated secret, so a rotated secret naming a listener of the attacker's received
     * the master's login. Here the listener forwards to the real server, so every other login works.
     */
    @Test
    void setSecret_whenAUsernamePasswordOnlyMasterAndTheRotatedSecretNamesAListener_neverLogsInAsTheMasterThere() {
        String base = AlternatingUsersFixture.unique("victim");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String masterArn = fixture.newUsernamePasswordOnlyMasterSecret(base);
        String masterUser = masterUserOf(masterArn);
        try (TcpCutProxy listener = TcpCutProxy.forward(fixture.db.host(), fixture.db.port())) {
            String arn = fixture.createSecret(fixture.appSecret(base, password, masterArn)
                    .put("host", listener.host()).put("port", listener.port()).put("ssl", false).write());
            String before = fixture.currentValue(arn);

            RotationOutcome outcome = fixture.rotate(arn);

            assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(outcome.reason()).contains("master secret").containsIgnoringCase("host");
            assertThat(listener.connections()).as("the rotated secret's own logins went through the listener")
                    .isPositive();
            assertThat(listener.clientBytes()).as("what the listener received").doesNotContain(masterUser);
            assertThat(fixture.currentValue(arn).equals(before)).as("AWSCURRENT unchanged (not shown)").isTrue();
            assertThat(fixture.db.userExists(base + "_clone")).as("the other user was created").isFalse();
        }
    }

    /** A master secret that names its own server, and a rotated secret that names another one. */
    @Test
    void setSecret_whenTheMasterSecretNamesItsServerAndTheRotatedSecretAListener_neverLogsInAsTheMasterThere() {
        String base = AlternatingUsersFixture.unique("victim");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String masterArn = fixture.newMasterSecret(base);
        try (TcpCutProxy listener = TcpCutProxy.forward(fixture.db.host(), fixture.db.port())) {
            String arn = fixture.createSecret(fixture.appSecret(base, password, masterArn)
                    .put("host", listener.host()).put("port", listener.port()).put("ssl", false).write());

            RotationOutcome outcome = fixture.rotate(arn);

            assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(outcome.reason()).contains("master");
            assertThat(fixture.db.userExists(base + "_clone")).as("the other user was created").isFalse();
            assertThat(listener.clientBytes()).doesNotContain(masterUserOf(masterArn));
        }
    }

    private String masterUserOf(String masterArn) {
        String json = fixture.sm.getSecretValue(r -> r.secretId(masterArn).versionStage("AWSCURRENT")).secretString();
        return JsonNode.parser().parse(json).asObject().get("username").asString();
    }
}
