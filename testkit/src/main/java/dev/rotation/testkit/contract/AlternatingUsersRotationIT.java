package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.rds.LocalRds;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.secret.DatabaseSecret;
import java.util.ArrayList;
import java.util.List;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.Strategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alternating-users rotation against a real server through the local Secrets Manager: users
 * alternate, both stay usable, privileges follow on every rotation, steps are idempotent, bad
 * input fails clearly and changes nothing, and no password leaks. Runs in every engine module, for
 * the {@link EngineTarget} it registers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class AlternatingUsersRotationIT {
    private static final String MISSING_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:no-such-master-AbCdEf";

    private EngineTarget target;
    private String dbName;
    private RotationWorld fixture;

    @BeforeAll
    void createDatabase() {
        target = EngineTargets.current();
        dbName = target.database().createDatabase("alternating");
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

    /** An application user, a master secret for it, and the application's secret; returns the secret's ARN. */
    private String appWithSecret(String base, String password) {
        fixture.newAppUser(base, password);
        String masterArn = fixture.newMasterSecret(base);
        return fixture.createSecret(fixture.appSecret(base, password, masterArn).write());
    }

    // ---- rotations ------------------------------------------------------------------------------

    @Test
    void rotation_fourTimes_alternatesUsersAndBothStayUsable() {
        String base = RotationWorld.unique("alt");
        String password = fixture.newPassword();
        String arn = appWithSecret(base, password);
        String masterArn = fixture.current(arn).masterArn().orElseThrow();
        String table = RotationWorld.unique("items");
        fixture.createTable(base, password, table);
        List<DatabaseSecret> history = new ArrayList<>(List.of(fixture.current(arn)));

        for (int rotation = 1; rotation <= 4; rotation++) {
            fixture.rotateSuccessfully(arn);

            DatabaseSecret now = fixture.current(arn);
            DatabaseSecret before = history.get(rotation - 1);
            DatabaseSecret previous = fixture.read(arn, "AWSPREVIOUS").orElseThrow();
            assertThat(now.username()).as("user after rotation %d", rotation)
                    .isEqualTo(rotation % 2 == 1 ? base + "_clone" : base);
            assertThat(now.masterArn()).contains(masterArn);
            assertThat(now.dbname()).contains(dbName);
            assertThat(now.otherKeys()).containsExactly("team");
            assertThat(previous.username()).isEqualTo(before.username());
            assertThat(previous.password().equals(before.password())).as("AWSPREVIOUS is the old current").isTrue();
            assertThat(fixture.writeAndCount(now.username(), now.password(), table, rotation)).isEqualTo(rotation);
            assertThat(fixture.canLogin(previous)).as("previous user still logs in after rotation %d", rotation)
                    .isTrue();
            if (rotation >= 2) {
                assertThat(fixture.canLogin(history.get(rotation - 2)))
                        .as("the password replaced by rotation %d no longer logs in", rotation).isFalse();
            }
            history.add(now);
        }
    }

    /**
     * A master secret as RDS manages it: no host, its server named by a system tag and found with
     * the RDS API (here its local stand-in). The stand-in's server offers no TLS, so the master's
     * secret, which has no ssl key, needs the deployer's fallback; RDS servers offer TLS.
     */
    @Test
    void rotation_withAnRdsManagedMasterSecret_findsTheMastersServerThroughTheRdsApi() {
        try (LocalRds rds = LocalRds.start()) {
            fixture.environment("ALLOW_PLAINTEXT_FALLBACK", "true");
            String base = RotationWorld.unique("rdsm");
            String password = fixture.newPassword();
            fixture.newAppUser(base, password);
            String masterArn = fixture.newRdsManagedMasterSecret(base, rds, fixture.db.host(), fixture.db.port());
            String arn = fixture.createSecret(fixture.appSecret(base, password, masterArn).write());

            fixture.rotateSuccessfully(arn);
            fixture.rotateSuccessfully(arn);

            DatabaseSecret now = fixture.current(arn);
            assertThat(now.username()).isEqualTo(base);
            assertThat(fixture.canLogin(now)).isTrue();
            assertThat(rds.requests()).extracting(LocalRds.Request::action).containsOnly("DescribeDBInstances")
                    .hasSize(2);
            assertThat(fixture.sm.describeSecret(r -> r.secretId(masterArn)).owningService()).isEqualTo("rds");
        }
    }

    @Test
    void rotation_objectsCreatedByEitherUser_remainUsableByTheOther() {
        String base = RotationWorld.unique("obj");
        String password = fixture.newPassword();
        String arn = appWithSecret(base, password);
        fixture.rotateSuccessfully(arn);
        DatabaseSecret clone = fixture.current(arn);
        String byBase = RotationWorld.unique("by_base");
        String byClone = RotationWorld.unique("by_clone");

        fixture.createTable(base, password, byBase);
        fixture.createTable(clone.username(), clone.password(), byClone);

        assertThat(fixture.writeAndCount(clone.username(), clone.password(), byBase, 1)).isEqualTo(1);
        assertThat(fixture.writeAndCount(base, password, byClone, 1)).isEqualTo(1);
        fixture.rotateSuccessfully(arn);
        DatabaseSecret baseAgain = fixture.current(arn);
        assertThat(baseAgain.username()).isEqualTo(base);
        assertThat(fixture.writeAndCount(base, baseAgain.password(), byClone, 2)).isEqualTo(2);
        assertThat(fixture.writeAndCount(clone.username(), clone.password(), byBase, 2)).isEqualTo(2);
        fixture.alterAndDrop(base, baseAgain.password(), byClone);
        fixture.alterAndDrop(clone.username(), clone.password(), byBase);
    }

    @Test
    void rotation_privilegeAddedBetweenRotations_reachesTheOtherUser_andARevokedOneIsRevoked() {
        String base = RotationWorld.unique("prv");
        String password = fixture.newPassword();
        String arn = appWithSecret(base, password);
        EngineTarget.ExtraPrivilege extra = target.extraPrivilege(fixture.db, dbName);
        fixture.rotateSuccessfully(arn);
        DatabaseSecret clone = fixture.current(arn);

        extra.grantTo(clone.username());
        assertThat(extra.usableBy(clone.username(), clone.password())).isTrue();
        fixture.rotateSuccessfully(arn);

        DatabaseSecret baseNow = fixture.current(arn);
        assertThat(baseNow.username()).isEqualTo(base);
        assertThat(extra.usableBy(base, baseNow.password())).as("granted privilege reached the other user").isTrue();

        extra.revokeFrom(base);
        fixture.rotateSuccessfully(arn);

        DatabaseSecret cloneNow = fixture.current(arn);
        assertThat(cloneNow.username()).isEqualTo(clone.username());
        assertThat(extra.usableBy(cloneNow.username(), cloneNow.password()))
                .as("revoked privilege is revoked from the other user too").isFalse();
        assertThat(extra.usableBy(base, baseNow.password())).isFalse();
    }

    // ---- idempotency ----------------------------------------------------------------------------

    @Test
    void rotation_everyStepTwice_endsAsOnce() {
        String base = RotationWorld.unique("twice");
        String password = fixture.newPassword();
        String arn = appWithSecret(base, password);
        fixture.everyStepTwice.set(true);

        fixture.rotateSuccessfully(arn);
        fixture.rotateSuccessfully(arn);

        DatabaseSecret now = fixture.current(arn);
        DatabaseSecret previous = fixture.read(arn, "AWSPREVIOUS").orElseThrow();
        assertThat(now.username()).isEqualTo(base);
        assertThat(previous.username()).isEqualTo(base + "_clone");
        assertThat(fixture.canLogin(now)).isTrue();
        assertThat(fixture.canLogin(previous)).isTrue();
        assertThat(fixture.canLogin(base, password)).isFalse();
        assertThat(fixture.thrown).isEmpty();
    }

    @Test
    void rotation_retriedWithTheSameToken_endsAsOnce() {
        String base = RotationWorld.unique("retry");
        String password = fixture.newPassword();
        String arn = appWithSecret(base, password);
        fixture.failNextFinish.set(true);

        RotationOutcome outcome = fixture.rotate(arn);

        assertThat(outcome.status()).as("reason: %s", outcome.reason()).isEqualTo(RotationOutcome.SUCCEEDED);
        assertThat(outcome.attempts()).isEqualTo(2);
        DatabaseSecret now = fixture.current(arn);
        assertThat(now.username()).isEqualTo(base + "_clone");
        assertThat(fixture.canLogin(now)).isTrue();
        assertThat(fixture.canLogin(base, password)).isTrue();
        String value = fixture.currentValue(arn);
        String token = outcome.versionId();
        for (String step : RotationWorld.STEPS) {
            fixture.invoke(step, arn, token);
        }
        assertThat(fixture.currentValue(arn).equals(value)).as("re-running the finished rotation changed nothing")
                .isTrue();
        assertThat(fixture.canLogin(now)).isTrue();
    }

    // ---- bad input ------------------------------------------------------------------------------

    /** Runs a rotation that must fail at {@code step}; checks that the secret and the database did not change. */
    private String failingRotation(String arn, String base, String password, String step) {
        String before = fixture.currentValue(arn);

        RotationOutcome outcome = fixture.rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.step()).isEqualTo(step);
        assertThat(fixture.currentValue(arn).equals(before)).as("AWSCURRENT unchanged").isTrue();
        assertThat(fixture.db.userExists(base + "_clone")).as("no clone user created").isFalse();
        if (password != null) {
            assertThat(fixture.canLogin(base, password)).as("current user unchanged").isTrue();
        }
        assertThat(fixture.thrown).isNotEmpty();
        return outcome.reason();
    }

    @Test
    void setSecret_whenMasterArnKeyMissing_failsNamingItAndChangesNothing() {
        String base = RotationWorld.unique("nokey");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String arn = fixture.createSecret(fixture.appSecret(base, password, "x").without("masterarn").write());

        assertThat(failingRotation(arn, base, password, "setSecret")).contains("'masterarn'");
    }

    @Test
    void setSecret_whenMasterSecretDoesNotExist_failsNamingItAndChangesNothing() {
        String base = RotationWorld.unique("nomaster");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String arn = fixture.createSecret(fixture.appSecret(base, password, MISSING_ARN).write());

        assertThat(failingRotation(arn, base, password, "setSecret"))
                .contains("'masterarn'", MISSING_ARN, "does not exist");
    }

    @Test
    void setSecret_whenMasterSecretIsNotJson_failsNamingItAndChangesNothing() {
        String base = RotationWorld.unique("badjson");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String masterArn = fixture.createSecret("not json at all");
        String arn = fixture.createSecret(fixture.appSecret(base, password, masterArn).write());

        assertThat(failingRotation(arn, base, password, "setSecret")).contains("'masterarn'", "unusable");
    }

    @Test
    void setSecret_whenMasterSecretIsMarkedForDeletion_failsNamingItAndChangesNothing() {
        String base = RotationWorld.unique("deleted");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String masterArn = fixture.newMasterSecret(base);
        fixture.sm.deleteSecret(r -> r.secretId(masterArn).recoveryWindowInDays(7L));
        String arn = fixture.createSecret(fixture.appSecret(base, password, masterArn).write());

        assertThat(failingRotation(arn, base, password, "setSecret"))
                .contains("'masterarn'", "cannot be read", "InvalidRequestException");
    }

    @Test
    void setSecret_whenMasterSecretIsForAnotherHost_failsNamingBothAndChangesNothing() {
        String base = RotationWorld.unique("otherhost");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String masterArn = fixture.createSecret(fixture.masterSecret("someone", fixture.newPassword())
                .put("host", "db-elsewhere.invalid").write());
        String arn = fixture.createSecret(fixture.appSecret(base, password, masterArn).write());

        assertThat(failingRotation(arn, base, password, "setSecret"))
                .contains("db-elsewhere.invalid", fixture.db.host());
    }

    @Test
    void setSecret_whenMasterLoginFails_failsWithoutThePasswordAndChangesNothing() {
        String base = RotationWorld.unique("badmaster");
        String password = fixture.newPassword();
        fixture.newAppUser(base, password);
        String masterArn = fixture.newMasterSecret(base);
        String master = fixture.read(masterArn, "AWSCURRENT").orElseThrow().username();
        String wrong = fixture.newPassword();
        fixture.sm.putSecretValue(r -> r.secretId(masterArn).secretString(fixture.masterSecret(master, wrong).write()));
        String arn = fixture.createSecret(fixture.appSecret(base, password, masterArn).write());

        String reason = failingRotation(arn, base, password, "setSecret");

        assertThat(reason).contains("refuses the master user '" + master + "'").doesNotContain(wrong);
    }

    @Test
    void createSecret_whenCloneNameExceedsTheLimit_failsAndWritesNothing() {
        int limit = target.userAdministration().usernameLimit(java.util.Map.of()).max();
        String base = "long_" + "x".repeat(limit - 6 - 5 + 1);
        String password = fixture.newPassword();
        String arn = appWithSecret(base, password);

        String reason = failingRotation(arn, base, password, "createSecret");

        assertThat(reason).contains("'" + base + "_clone'", String.valueOf(limit));
        assertThat(fixture.pendingValue(arn)).as("AWSPENDING has no value").isEmpty();
    }

    @Test
    void setSecret_whenCurrentUserNoLongerExists_failsClearlyAndCreatesNothing() {
        String base = RotationWorld.unique("gone");
        String password = fixture.newPassword();
        String arn = appWithSecret(base, password);
        fixture.db.dropUser(base);

        assertThat(failingRotation(arn, base, null, "setSecret")).contains("'" + base + "'", "does not log in");
    }

    // ---- secret hygiene -------------------------------------------------------------------------

    @Test
    void rotation_noPasswordInAnyLogLineErrorOrOutcome() {
        String base = RotationWorld.unique("quiet");
        String password = fixture.newPassword();
        String arn = appWithSecret(base, password);
        fixture.rotateSuccessfully(arn);
        fixture.rotateSuccessfully(arn);
        String masterArn = fixture.current(arn).masterArn().orElseThrow();
        String master = fixture.read(masterArn, "AWSCURRENT").orElseThrow().username();
        fixture.sm.putSecretValue(r -> r.secretId(masterArn)
                .secretString(fixture.masterSecret(master, fixture.newPassword()).write()));
        RotationOutcome failed = fixture.rotate(arn);
        assertThat(failed.status()).isEqualTo(RotationOutcome.FAILED);
        fixture.pendingValue(arn).ifPresent(v -> fixture.passwords.add(DatabaseSecret.parse(v).password()));

        List<String> texts = new ArrayList<>(fixture.logLines);
        texts.add(failed.reason());
        for (Throwable t : fixture.thrown) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                texts.add(String.valueOf(c.getMessage()));
                texts.add(String.valueOf(c));
            }
        }
        assertThat(fixture.logLines).isNotEmpty();
        assertThat(fixture.thrown).isNotEmpty();
        for (String text : texts) {
            for (int i = 0; i < fixture.passwords.size(); i++) {
                assertThat(text.contains(fixture.passwords.get(i)))
                        .as("a log line or error contains password #%d (not shown)", i).isFalse();
            }
        }
    }
}
