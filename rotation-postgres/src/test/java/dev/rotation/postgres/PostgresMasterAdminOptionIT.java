package dev.rotation.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.testdb.ServerVersion;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.compat.MatrixServers;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hard case of PostgreSQL 16's CREATEROLE rules, on every version of the matrix, with an RDS-like master
 * (CREATEROLE, CREATEDB, a member of rds_superuser, no superuser): the application role was created by
 * someone else, not the master. Up to 15 CREATEROLE suffices and alternating users work; from 16 on the
 * master needs ADMIN OPTION on the role, and without it setSecret must refuse before creating anything
 * (no password-less clone left behind), naming the master and the grant that is missing. With the grant
 * (as {@code TestDatabase.createMaster} gives it) the contract tests show the rotations work.
 */
class PostgresMasterAdminOptionIT {
    private final PostgresTarget target = new PostgresTarget();

    static List<ServerVersion> versions() {
        List<ServerVersion> versions = ServerVersion.of("postgres");
        MatrixServers.startAll(versions);
        return versions;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void alternatingUsers_onAnAppRoleTheMasterDidNotCreate_withoutAdminOption(ServerVersion version) {
        TestDatabase db = MatrixServers.server(version);
        try (RotationWorld world = RotationWorld.builder(target).server(db).strategy(Strategy.ALTERNATING_USERS)
                .build()) {
            String base = RotationWorld.unique("foreign");
            String password = world.newPassword();
            world.newAppUser(base, password);
            String masterArn = world.newMasterSecret(null);
            String master = world.masterUserOf(masterArn);
            String arn = world.createSecret(world.appSecret(base, password, masterArn).write());

            if (Integer.parseInt(version.major()) < 16) {
                world.rotateSuccessfully(arn);
                world.rotateSuccessfully(arn);
                DatabaseSecret now = world.current(arn);
                assertThat(now.username()).isEqualTo(base);
                assertThat(world.canLogin(now)).isTrue();
                return;
            }
            RotationOutcome outcome = world.rotate(arn);

            assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(outcome.step()).isEqualTo("setSecret");
            assertThat(outcome.reason()).contains("'" + master + "'").contains("ADMIN OPTION")
                    .contains("GRANT \"" + base + "\" TO \"" + master + "\" WITH ADMIN OPTION")
                    .contains("nothing was changed");
            assertThat(db.userExists(base + "_clone")).as("a clone left behind").isFalse();
            assertThat(world.current(arn).username()).isEqualTo(base);
            assertThat(world.current(arn).password().equals(password)).as("AWSCURRENT unchanged").isTrue();
            assertThat(world.canLogin(base, password)).isTrue();
            world.assertNoPasswordInLogs();
        }
    }
}
