package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.mysql.MySqlEngine;
import dev.rotation.postgres.PostgresEngine;
import dev.rotation.shared.SingleUserRotationHandler;
import org.junit.jupiter.api.Test;

/**
 * Single-user rotation while the application works ({@link ContinuousRotation}): between setSecret and
 * finishSecret only the AWSPENDING password logs in, so every rotation must be bridged with it.
 */
class SingleUserRotationIT {

    @Test
    void dataSource_whileMariaDbRotatesContinuously_failsNoQuery() {
        assertBridgedEveryWindow(ContinuousRotation.run(TestDatabases.mysql(), (client, env, log) -> new SingleUserRotationHandler(client, env, new MySqlEngine(), log), false, false));
    }

    @Test
    void hikariOverDataSource_whileMariaDbRotatesContinuously_failsNoQuery() {
        assertBridgedEveryWindow(ContinuousRotation.run(TestDatabases.mysql(), (client, env, log) -> new SingleUserRotationHandler(client, env, new MySqlEngine(), log), true, false));
    }

    @Test
    void dataSource_whilePostgresRotatesContinuously_failsNoQuery() {
        assertBridgedEveryWindow(
                ContinuousRotation.run(TestDatabases.postgres(), (client, env, log) -> new SingleUserRotationHandler(client, env, new PostgresEngine(), log), false, false));
    }

    @Test
    void hikariOverDataSource_whilePostgresRotatesContinuously_failsNoQuery() {
        assertBridgedEveryWindow(
                ContinuousRotation.run(TestDatabases.postgres(), (client, env, log) -> new SingleUserRotationHandler(client, env, new PostgresEngine(), log), true, false));
    }

    private static void assertBridgedEveryWindow(ContinuousRotation.Report report) {
        assertThat(report.dataSource().pendingLogins()).as("logins bridged with AWSPENDING")
                .isGreaterThanOrEqualTo(ContinuousRotation.ROTATIONS);
    }
}
