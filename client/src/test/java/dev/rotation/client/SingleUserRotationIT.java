package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.mysql.MySqlTarget;
import dev.rotation.postgres.PostgresTarget;
import org.junit.jupiter.api.Test;

/**
 * Single-user rotation while the application works ({@link ContinuousRotation}): between setSecret and
 * finishSecret only the AWSPENDING password logs in, so every rotation must be bridged with it.
 */
class SingleUserRotationIT {

    @Test
    void dataSource_whileMariaDbRotatesContinuously_failsNoQuery() {
        assertBridgedEveryWindow(ContinuousRotation.run(new MySqlTarget(), false, false));
    }

    @Test
    void hikariOverDataSource_whileMariaDbRotatesContinuously_failsNoQuery() {
        assertBridgedEveryWindow(ContinuousRotation.run(new MySqlTarget(), true, false));
    }

    @Test
    void dataSource_whilePostgresRotatesContinuously_failsNoQuery() {
        assertBridgedEveryWindow(
                ContinuousRotation.run(new PostgresTarget(), false, false));
    }

    @Test
    void hikariOverDataSource_whilePostgresRotatesContinuously_failsNoQuery() {
        assertBridgedEveryWindow(
                ContinuousRotation.run(new PostgresTarget(), true, false));
    }

    private static void assertBridgedEveryWindow(ContinuousRotation.Report report) {
        assertThat(report.dataSource().pendingLogins()).as("logins bridged with AWSPENDING")
                .isGreaterThanOrEqualTo(ContinuousRotation.ROTATIONS);
    }
}
