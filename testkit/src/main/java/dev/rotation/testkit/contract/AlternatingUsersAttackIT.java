package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.rds.LocalRds;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.testkit.TestJson;
import dev.rotation.testkit.TcpCutProxy;
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
public class AlternatingUsersAttackIT {
    private EngineTarget target;
    private String dbName;
    private RotationWorld fixture;

    @BeforeAll
    void createDatabase() {
        target = EngineTargets.current();
        dbName = target.database().createDatabase("attack");
    }

    @BeforeEach
    void startFixture() {
        fixture = RotationWorld.builder(target).database(target.database(), dbName)
                .strategy(Strategy.ALTERNATING_USERS).build();
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
        String base = RotationWorld.unique("victim");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String masterArn = fixture.newUsernamePasswordOnlyMasterSecret(base);
        String masterUser = fixture.masterUserOf(masterArn);
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

    /** An RDS-managed master (no host; its DB instance is the real server) and a rotated secret naming a listener. */
    @Test
    void setSecret_whenAnRdsManagedMastersInstanceIsNotTheServerTheRotatedSecretNames_neverLogsInAsTheMaster() {
        String base = RotationWorld.unique("victim");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        try (LocalRds rds = LocalRds.start();
                TcpCutProxy listener = TcpCutProxy.forward(fixture.db.host(), fixture.db.port())) {
            fixture.environment("ALLOW_PLAINTEXT_FALLBACK", "true");
            String masterArn = fixture.newRdsManagedMasterSecret(base, rds, fixture.db.host(), fixture.db.port());
            String arn = fixture.createSecret(fixture.appSecret(base, password, masterArn)
                    .put("host", listener.host()).put("port", listener.port()).write());
            String before = fixture.currentValue(arn);

            RotationOutcome outcome = fixture.rotate(arn);

            assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(outcome.reason()).contains(fixture.db.host() + ":" + fixture.db.port())
                    .contains(listener.host() + ":" + listener.port());
            assertThat(rds.requests()).isNotEmpty();
            assertThat(listener.clientBytes()).doesNotContain(fixture.masterUserOf(masterArn));
            assertThat(fixture.currentValue(arn).equals(before)).as("AWSCURRENT unchanged (not shown)").isTrue();
            assertThat(fixture.db.userExists(base + "_clone")).as("the other user was created").isFalse();
        }
    }

    /** The rotated secret names the master's own user as its user's other half: the master would be reset. */
    @Test
    void setSecret_whenTheOtherUserIsTheMaster_refuses() {
        String base = RotationWorld.unique("victim");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String masterArn = fixture.newMasterSecret(base);
        String masterUser = fixture.masterUserOf(masterArn);
        String attacker = masterUser + "_clone";
        fixture.newAppUser(attacker, password);
        String arn = fixture.createSecret(fixture.appSecret(attacker, password, masterArn).write());

        RotationOutcome outcome = fixture.rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.reason()).contains("'" + masterUser + "'").contains("master");
        assertThat(fixture.canLogin(fixture.current(masterArn))).as("the master still logs in with its password")
                .isTrue();
    }

    /** A master secret that names its own server, and a rotated secret that names another one. */
    @Test
    void setSecret_whenTheMasterSecretNamesItsServerAndTheRotatedSecretAListener_neverLogsInAsTheMasterThere() {
        String base = RotationWorld.unique("victim");
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
            assertThat(listener.clientBytes()).doesNotContain(fixture.masterUserOf(masterArn));
        }
    }
}
