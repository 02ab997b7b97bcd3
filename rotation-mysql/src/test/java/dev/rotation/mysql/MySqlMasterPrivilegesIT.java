package dev.rotation.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.testdb.ServerVersion;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.compat.MatrixServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * MariaDB 11.3 added SHOW CREATE ROUTINE, which ALL PRIVILEGES on a database includes. A master that
 * lacks it (granted the privilege list of older versions) cannot give the clone what the application user
 * holds: setSecret must say so, naming the master and what it needs, not only the server's bare
 * "Access denied ... to database".
 */
class MySqlMasterPrivilegesIT {
    private final MySqlTarget target = new MySqlTarget();

    @Test
    void alternatingUsers_onMariaDb114_whenTheMasterLacksShowCreateRoutine_failsNamingTheMissingGrant()
            throws SQLException {
        TestDatabase db = MatrixServers.server(ServerVersion.MARIADB_11_4);
        try (RotationWorld world = RotationWorld.builder(target).server(db).strategy(Strategy.ALTERNATING_USERS)
                .build()) {
            String base = RotationWorld.unique("scr");
            String password = world.newPassword();
            world.newAppUser(base, password);
            String masterArn = world.newMasterSecret(base);
            String master = world.masterUserOf(masterArn);
            try (Connection c = db.admin(); Statement s = c.createStatement()) {
                s.execute("REVOKE SHOW CREATE ROUTINE ON *.* FROM `" + master + "`@`%`");
            }
            String arn = world.createSecret(world.appSecret(base, password, masterArn).write());

            RotationOutcome outcome = world.rotate(arn);

            assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(outcome.reason()).contains("the master user '" + master + "' cannot grant")
                    .contains("WITH GRANT OPTION").contains("SHOW CREATE ROUTINE");
            assertThat(world.current(arn).password().equals(password)).as("AWSCURRENT unchanged").isTrue();
            assertThat(world.canLogin(base, password)).isTrue();
            world.assertNoPasswordInLogs();
        }
    }
}
