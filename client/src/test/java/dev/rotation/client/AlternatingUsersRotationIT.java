package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.mysql.MySqlEngine;
import dev.rotation.postgres.PostgresEngine;
import dev.rotation.shared.AlternatingUsersRotationHandler;
import org.junit.jupiter.api.Test;

/**
 * Alternating-users rotation while the application works ({@link ContinuousRotation}): the current
 * user keeps its password until the rotation after next, so a refused login (from a cache one rotation
 * behind) is answered by the new AWSCURRENT; AWSPENDING is needed only when a check raced a rotation.
 */
class AlternatingUsersRotationIT {

    @Test
    void dataSource_whileMariaDbAlternatesUsersContinuously_failsNoQuery() {
        assertRarelyNeedsPending(ContinuousRotation.run(TestDatabases.mysql(),
                (client, env, log) -> new AlternatingUsersRotationHandler(client, env, new MySqlEngine(), new MySqlEngine(), log), false, true));
    }

    @Test
    void hikariOverDataSource_whileMariaDbAlternatesUsersContinuously_failsNoQuery() {
        assertRarelyNeedsPending(ContinuousRotation.run(TestDatabases.mysql(),
                (client, env, log) -> new AlternatingUsersRotationHandler(client, env, new MySqlEngine(), new MySqlEngine(), log), true, true));
    }

    @Test
    void dataSource_whilePostgresAlternatesUsersContinuously_failsNoQuery() {
        assertRarelyNeedsPending(ContinuousRotation.run(TestDatabases.postgres(),
                (client, env, log) -> new AlternatingUsersRotationHandler(client, env, new PostgresEngine(), new PostgresEngine(), log), false, true));
    }

    private static void assertRarelyNeedsPending(ContinuousRotation.Report report) {
        assertThat(report.dataSource().pendingLogins()).isLessThan(ContinuousRotation.ROTATIONS);
        assertThat(report.dataSource().refusedLogins())
                .isLessThanOrEqualTo((long) (ContinuousRotation.THREADS + 1) * ContinuousRotation.ROTATIONS);
    }
}
