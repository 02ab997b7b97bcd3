package dev.rotation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.Strategy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL-only attacks (the test kit's attack contract runs the others): SQL hidden in a role
 * name under {@code standard_conforming_strings=off}, and taking over a role through its {@code _clone}.
 */
class PostgresAlternatingUsersAttackIT {
    private final PostgresTarget target = new PostgresTarget();
    private final List<String> extraRoles = new ArrayList<>();
    private RotationWorld world;

    @BeforeEach
    void startWorld() {
        world = RotationWorld.builder(target).strategy(Strategy.ALTERNATING_USERS).build();
    }

    @AfterEach
    void dropExtraRoles() {
        world.close();
        for (String role : extraRoles) {
            try {
                world.db.dropUser(role);
            } catch (RuntimeException e) {
                // A throwaway server; a leftover role changes no other test.
            }
        }
    }

    /**
     * Finding: the master built {@code ALTER ROLE clone SET role = '<base>'} by doubling quotes only,
     * and logged in to the rotated secret's database, whose {@code standard_conforming_strings} the
     * attacker may have turned off; a base role name holding {@code \'} then ended the literal early.
     */
    @Test
    void setSecret_whenTheRotatedSecretsDatabaseTurnsStandardConformingStringsOff_runsNoStatementHiddenInTheRoleName()
            throws SQLException {
        TestDatabase db = world.db;
        String scsOff = db.createDatabase("scs_off");
        admin(db, "ALTER DATABASE " + PostgresEngine.quote(scsOff) + " SET standard_conforming_strings = off");
        String marker = "pwn_" + Long.toHexString(System.nanoTime());
        String base = "q\\'; CREATE ROLE " + marker + " LOGIN; --";
        extraRoles.add(marker);
        String password = world.newPassword();
        world.newAppUser(base, password);
        admin(db, "GRANT CONNECT ON DATABASE " + PostgresEngine.quote(scsOff) + " TO " + PostgresEngine.quote(base));
        String masterArn = world.newMasterSecret(base);
        // Like an RDS master, this one may connect to every database.
        admin(db, "GRANT CONNECT ON DATABASE " + PostgresEngine.quote(scsOff) + " TO "
                + PostgresEngine.quote(world.masterUserOf(masterArn)));
        String arn = world.createSecret(world.appSecret(base, password, masterArn).put("dbname", scsOff).write());

        RotationOutcome outcome = world.rotate(arn);

        assertThat(roleExists(db, marker)).as("the role the name's hidden statement creates").isFalse();
        assertThat(outcome.status()).as("outcome, reason: %s", outcome.reason()).isEqualTo(RotationOutcome.SUCCEEDED);
        assertThat(roleSettings(db, base + "_clone")).containsExactly("role=" + base);
    }

    /** The same name with the master's own database turned to standard_conforming_strings=off: escaping must follow the session. */
    @Test
    void setSecret_whenTheMastersOwnDatabaseTurnsStandardConformingStringsOff_stillRunsNoHiddenStatement()
            throws SQLException {
        TestDatabase db = world.db;
        String scsOff = db.createDatabase("master_scs_off");
        admin(db, "ALTER DATABASE " + PostgresEngine.quote(scsOff) + " SET standard_conforming_strings = off");
        String marker = "pwn_" + Long.toHexString(System.nanoTime());
        String base = "m\\'; CREATE ROLE " + marker + " LOGIN; --";
        extraRoles.add(marker);
        String password = world.newPassword();
        world.newAppUser(base, password);
        String masterArn = world.newMasterSecret(base);
        String masterUser = world.masterUserOf(masterArn);
        admin(db, "GRANT CONNECT ON DATABASE " + PostgresEngine.quote(scsOff) + " TO "
                + PostgresEngine.quote(masterUser));
        world.setMasterDatabase(masterArn, scsOff);
        String arn = world.createSecret(world.appSecret(base, password, masterArn).write());

        RotationOutcome outcome = world.rotate(arn);

        assertThat(roleExists(db, marker)).as("the role the name's hidden statement creates").isFalse();
        assertThat(outcome.status()).as("outcome, reason: %s", outcome.reason()).isEqualTo(RotationOutcome.SUCCEEDED);
        assertThat(roleSettings(db, base + "_clone")).containsExactly("role=" + base);
    }

    /** Finding: a secret for {@code grp_clone} made an existing NOLOGIN group role {@code grp} a LOGIN role with a known password. */
    @Test
    void setSecret_whenTheOtherUserIsAnExistingNologinGroupRole_refusesAndLeavesItAsItWas() throws SQLException {
        TestDatabase db = world.db;
        String group = "grp_" + Long.toHexString(System.nanoTime());
        extraRoles.add(group);
        admin(db, "CREATE ROLE " + PostgresEngine.quote(group) + " NOLOGIN");
        String attacker = group + "_clone";
        String password = world.newPassword();
        world.newAppUser(attacker, password);
        String masterArn = world.newMasterSecret(group);
        String arn = world.createSecret(world.appSecret(attacker, password, masterArn).write());
        String before = world.currentValue(arn);

        RotationOutcome outcome = world.rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.reason()).contains("'" + group + "'").containsIgnoringCase("log in");
        assertThat(canLogin(db, group)).as("the group role can log in").isFalse();
        assertThat(hasPassword(db, group)).as("the group role has a password").isFalse();
        assertThat(isMember(db, group, attacker)).as("the attacker's role is a member of the group").isFalse();
        assertThat(world.currentValue(arn).equals(before)).as("AWSCURRENT unchanged (not shown)").isTrue();
        world.assertNoPasswordInLogs();
    }

    /** A secret for {@code x_clone} where {@code x} is an ordinary user that {@code x_clone} was never paired with. */
    @Test
    void setSecret_whenTheCurrentUserIsACloneThatIsNoMemberOfTheExistingBaseRole_refuses() throws SQLException {
        TestDatabase db = world.db;
        String victim = "vic_" + Long.toHexString(System.nanoTime());
        extraRoles.add(victim);
        String victimPassword = world.newPassword();
        db.createAppUser(world.dbName, victim, victimPassword);
        String attacker = victim + "_clone";
        String password = world.newPassword();
        world.newAppUser(attacker, password);
        String masterArn = world.newMasterSecret(victim);
        String arn = world.createSecret(world.appSecret(attacker, password, masterArn).write());

        RotationOutcome outcome = world.rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.reason()).contains("'" + victim + "'").contains("member");
        assertThat(db.canLogin(world.dbName, victim, victimPassword)).as("the victim's password still works").isTrue();
        assertThat(isMember(db, victim, attacker)).isFalse();
    }

    @Test
    void setSecret_whenTheOtherUserHasCreaterole_refuses() throws SQLException {
        TestDatabase db = world.db;
        String strong = "adm_" + Long.toHexString(System.nanoTime());
        extraRoles.add(strong);
        String strongPassword = world.newPassword();
        db.createAppUser(world.dbName, strong, strongPassword);
        admin(db, "ALTER ROLE " + PostgresEngine.quote(strong) + " CREATEROLE");
        String attacker = strong + "_clone";
        String password = world.newPassword();
        world.newAppUser(attacker, password);
        String masterArn = world.newMasterSecret(strong);
        String arn = world.createSecret(world.appSecret(attacker, password, masterArn).write());

        RotationOutcome outcome = world.rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.reason()).contains("'" + strong + "'").contains("CREATEROLE");
        assertThat(db.canLogin(world.dbName, strong, strongPassword)).isTrue();
    }

    @Test
    void setSecret_whenTheOtherUserIsAMemberOfARoleTheCurrentUserIsNot_refuses() throws SQLException {
        TestDatabase db = world.db;
        String readers = "readers_" + Long.toHexString(System.nanoTime());
        extraRoles.add(readers);
        admin(db, "CREATE ROLE " + PostgresEngine.quote(readers) + " NOLOGIN");
        String base = "app_" + Long.toHexString(System.nanoTime());
        String password = world.newPassword();
        world.newAppUser(base, password);
        String clonePassword = world.newPassword();
        db.createAppUser(world.dbName, base + "_clone", clonePassword);
        admin(db, "GRANT " + PostgresEngine.quote(readers) + " TO " + PostgresEngine.quote(base + "_clone"));
        String masterArn = world.newMasterSecret(base);
        String arn = world.createSecret(world.appSecret(base, password, masterArn).write());

        RotationOutcome outcome = world.rotate(arn);

        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.reason()).contains("'" + base + "_clone'").contains("'" + readers + "'");
        assertThat(db.canLogin(world.dbName, base + "_clone", clonePassword)).isTrue();
    }

    // ---- catalog checks, as the test server's administrator ------------------------------------

    private static void admin(TestDatabase db, String sql) {
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement failed: " + e.getMessage(), e);
        }
    }

    private static boolean roleExists(TestDatabase db, String role) throws SQLException {
        return query(db, "SELECT 1 FROM pg_roles WHERE rolname = ?", role);
    }

    private static boolean canLogin(TestDatabase db, String role) throws SQLException {
        return query(db, "SELECT 1 FROM pg_roles WHERE rolname = ? AND rolcanlogin", role);
    }

    private static boolean hasPassword(TestDatabase db, String role) throws SQLException {
        return query(db, "SELECT 1 FROM pg_authid WHERE rolname = ? AND rolpassword IS NOT NULL", role);
    }

    private static boolean isMember(TestDatabase db, String role, String member) throws SQLException {
        return query(db, "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                + " JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = ? AND u.rolname = ?", role, member);
    }

    private static List<String> roleSettings(TestDatabase db, String role) throws SQLException {
        try (Connection c = db.admin(); PreparedStatement s = c.prepareStatement("SELECT unnest(setconfig)"
                + " FROM pg_db_role_setting d JOIN pg_roles r ON r.oid = d.setrole WHERE r.rolname = ?")) {
            s.setString(1, role);
            List<String> settings = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    settings.add(rows.getString(1));
                }
            }
            return settings;
        }
    }

    private static boolean query(TestDatabase db, String sql, String... parameters) throws SQLException {
        try (Connection c = db.admin(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = s.executeQuery()) {
                return rows.next();
            }
        }
    }
}
