package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;

import dev.rotation.testkit.TestJson;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code X_clone} takeover: whoever writes a secret chooses its user name, and alternating users
 * switch from {@code X_clone} to {@code X}. An attacker who owns a database user named
 * {@code victim_clone}, and a secret for it that names a master secret the function may read,
 * would have the function copy the attacker's grants onto {@code victim}, drop victim's other
 * accounts and give victim a password the attacker then reads from the secret.
 *
 * <p>Each test sets up an existing {@code victim} the pair does not manage and runs a real rotation
 * of the attacker's secret through the local Secrets Manager with the alternating-users handler:
 * setSecret must refuse, naming the user and the reason, and victim, its grants, its hosts, its
 * password and the secret's versions stay as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MySqlCloneTakeoverIT {
    private final TestDatabase db = TestDatabases.mysql();
    private final List<String> users = new ArrayList<>();
    private final List<String> roles = new ArrayList<>();
    private String victimDb;
    private String attackerDb;
    private RotationWorld world;
    private String master;
    private String masterArn;

    @BeforeAll
    void createDatabases() {
        victimDb = db.createDatabase("victim");
        attackerDb = db.createDatabase("attacker");
    }

    @BeforeEach
    void startWorld() {
        world = RotationWorld.builder(new MySqlTarget()).strategy(Strategy.ALTERNATING_USERS).maxRotationAttempts(1).build();
        master = RotationWorld.unique("master");
        String password = RotationWorld.randomPassword();
        users.add(master);
        db.createMaster(null, master, password, null);
        masterArn = world.createSecret(TestJson.object().put("engine", db.engine()).put("ssl", false).put("host", db.host())
                .put("port", db.port()).put("username", master).put("password", password).write());
    }

    @AfterEach
    void cleanUp() {
        world.close();
        for (String role : roles) {
            MySqlTarget.admin(db, "DROP ROLE IF EXISTS " + MySqlEngine.quote(role));
        }
        roles.clear();
        try (Connection c = db.admin()) {
            for (String user : users) {
                for (String host : MySqlEngine.hosts(c, user)) {
                    MySqlTarget.admin(db, "DROP USER " + MySqlEngine.account(user, host));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        users.clear();
    }

    /** An existing user with its own database: what the attacker wants to take over. */
    private String victim(String password) {
        String victim = RotationWorld.unique("victim");
        users.add(victim);
        db.createAppUser(victimDb, victim, password);
        return victim;
    }

    /** The attacker's own database user {@code <other>_clone}, with a password the attacker knows. */
    private String attacker(String other, String password) {
        String attacker = other + "_clone";
        users.add(attacker);
        db.createAppUser(attackerDb, attacker, password);
        return attacker;
    }

    /** Every host's SHOW GRANTS lines, as the administrator sees them (hash included: it must not change either). */
    private Map<String, List<String>> accounts(String user) {
        Map<String, List<String>> accounts = new LinkedHashMap<>();
        try (Connection c = db.admin()) {
            for (String host : MySqlEngine.hosts(c, user)) {
                accounts.put(host, MySqlEngine.showGrants(c, user, host));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return accounts;
    }

    /**
     * Rotates the attacker's secret for {@code attacker} and checks the refusal: setSecret fails naming
     * {@code other} and {@code reason}; other's accounts and grants and the secret's versions unchanged.
     */
    private void assertRefused(String attacker, String attackerPassword, String other, String reason) {
        String arn = world.createSecret(TestJson.object().put("engine", db.engine()).put("ssl", false).put("host", db.host())
                .put("port", db.port()).put("username", attacker).put("password", attackerPassword)
                .put("dbname", attackerDb).put("masterarn", masterArn).write());
        Map<String, List<String>> before = accounts(other);
        Map<String, String> versions = world.settledVersions(arn);

        RotationOutcome outcome = world.rotate(arn);

        assertThat(outcome.status()).as("reason: %s", outcome.reason()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.step()).isEqualTo("setSecret");
        assertThat(outcome.reason()).contains("'" + other + "'", reason);
        assertThat(accounts(other)).as("accounts and grants of %s", other).isEqualTo(before);
        assertThat(world.settledVersions(arn).equals(versions)).as("AWSCURRENT and AWSPREVIOUS unchanged").isTrue();
        for (String text : world.texts(outcome)) {
            assertThat(text.contains(attackerPassword)).as("a log line or error holds the password").isFalse();
        }
    }

    @Test
    void setSecret_whenTheOtherUserHoldsADatabaseTheCurrentOneHasNothingOn_refusesAndVictimStillLogsIn() {
        String victimPassword = RotationWorld.randomPassword();
        String victim = victim(victimPassword);
        String attackerPassword = RotationWorld.randomPassword();
        String attacker = attacker(victim, attackerPassword);

        assertRefused(attacker, attackerPassword, victim, "holds privileges on");

        assertThat(db.canLogin(victimDb, victim, victimPassword)).as("victim logs in with its own password").isTrue();
    }

    @Test
    void setSecret_whenTheOtherUserIsTheMaster_refuses() {
        String attackerPassword = RotationWorld.randomPassword();
        String attacker = attacker(master, attackerPassword);

        assertRefused(attacker, attackerPassword, master, "master user");
    }

    @Test
    void setSecret_whenTheOtherUserHoldsCreateUser_refusesEvenIfTheCurrentOneHoldsSomethingGlobal() {
        String victimPassword = RotationWorld.randomPassword();
        String victim = victim(victimPassword);
        String attackerPassword = RotationWorld.randomPassword();
        String attacker = attacker(victim, attackerPassword);
        MySqlTarget.admin(db,
                "GRANT SELECT, CREATE USER ON *.* TO " + MySqlEngine.account(victim, "%"),
                "GRANT SELECT ON *.* TO " + MySqlEngine.account(attacker, "%"),
                "GRANT ALL PRIVILEGES ON " + MySqlTarget.grantDatabase(victimDb) + ".* TO "
                        + MySqlEngine.account(attacker, "%"));

        assertRefused(attacker, attackerPassword, victim, "CREATE USER");

        assertThat(db.canLogin(victimDb, victim, victimPassword)).isTrue();
    }

    @Test
    void setSecret_whenTheOtherUserHoldsARoleTheCurrentOneDoesNot_refuses() {
        String victimPassword = RotationWorld.randomPassword();
        String victim = victim(victimPassword);
        String attackerPassword = RotationWorld.randomPassword();
        String attacker = attacker(victim, attackerPassword);
        String role = RotationWorld.unique("role");
        roles.add(role);
        MySqlTarget.admin(db,
                "CREATE ROLE " + MySqlEngine.quote(role),
                "GRANT " + MySqlEngine.quote(role) + " TO " + MySqlEngine.account(victim, "%"),
                "GRANT ALL PRIVILEGES ON " + MySqlTarget.grantDatabase(victimDb) + ".* TO "
                        + MySqlEngine.account(attacker, "%"));

        assertRefused(attacker, attackerPassword, victim, "role " + MySqlEngine.quote(role));

        assertThat(db.canLogin(victimDb, victim, victimPassword)).isTrue();
    }

    @Test
    void setSecret_whenTheOtherUserHasAnAccountOnAHostTheCurrentOneHasNot_refusesInsteadOfDroppingIt() {
        String victimPassword = RotationWorld.randomPassword();
        String victim = victim(victimPassword);
        String attackerPassword = RotationWorld.randomPassword();
        String attacker = attacker(victim, attackerPassword);
        MySqlTarget.admin(db,
                "CREATE USER " + MySqlEngine.account(victim, "10.1.2.%") + " IDENTIFIED BY 'Other-Host-Passw0rd'",
                "GRANT ALL PRIVILEGES ON " + MySqlTarget.grantDatabase(victimDb) + ".* TO "
                        + MySqlEngine.account(attacker, "%"),
                "GRANT ALL PRIVILEGES ON " + MySqlTarget.grantDatabase(attackerDb) + ".* TO "
                        + MySqlEngine.account(victim, "%"));

        assertRefused(attacker, attackerPassword, victim, "'10.1.2.%'");

        assertThat(db.canLogin(victimDb, victim, victimPassword)).isTrue();
    }
    // ---- what a pair the function manages still does ------------------------------------------

    /** A pair's secret for a new application user; returns the secret's ARN after its first rotation. */
    private String rotatedPair(String base, String password) {
        users.add(base);
        users.add(base + "_clone");
        db.createAppUser(victimDb, base, password);
        String arn = world.createSecret(TestJson.object().put("engine", db.engine()).put("ssl", false).put("host", db.host())
                .put("port", db.port()).put("username", base).put("password", password).put("dbname", victimDb)
                .put("masterarn", masterArn).write());
        rotateSuccessfully(arn);
        return arn;
    }

    private void rotateSuccessfully(String arn) {
        RotationOutcome outcome = world.rotate(arn);
        assertThat(outcome.status()).as("reason: %s", outcome.reason()).isEqualTo(RotationOutcome.SUCCEEDED);
    }

    private String extraGrant(String privileges, String user) {
        return "GRANT " + privileges + " ON " + MySqlTarget.grantDatabase(attackerDb) + ".* TO "
                + MySqlEngine.account(user, "%");
    }

    @Test
    void rotation_ofAManagedPair_copiesAnAddedGrant_syncsARevocationWithinAnObject_andRefusesAWholeObjectOne() {
        String base = RotationWorld.unique("pair");
        String clone = base + "_clone";
        String arn = rotatedPair(base, RotationWorld.randomPassword());
        MySqlTarget.admin(db, extraGrant("SELECT, INSERT", clone));
        rotateSuccessfully(arn);
        assertThat(accounts(base).get("%")).as("the grant added to the current user was copied")
                .anyMatch(line -> line.startsWith("GRANT SELECT, INSERT ON"));

        MySqlTarget.admin(db, "REVOKE INSERT ON " + MySqlTarget.grantDatabase(attackerDb)
                + ".* FROM " + MySqlEngine.account(base, "%"));
        rotateSuccessfully(arn);
        assertThat(accounts(clone).get("%")).as("the revocation within the object reached the other user")
                .anyMatch(line -> line.startsWith("GRANT SELECT ON"))
                .noneMatch(line -> line.contains("INSERT"));

        MySqlTarget.admin(db, "REVOKE SELECT ON " + MySqlTarget.grantDatabase(attackerDb)
                + ".* FROM " + MySqlEngine.account(clone, "%"));
        Map<String, List<String>> before = accounts(base);
        RotationOutcome refused = world.rotate(arn);

        assertThat(refused.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(refused.reason()).contains("'" + base + "'", "holds privileges on", "revoke it from both users");
        assertThat(accounts(base)).isEqualTo(before);
    }
}
