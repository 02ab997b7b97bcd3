package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.mysql.MySqlTarget;
import dev.rotation.postgres.PostgresTarget;
import org.junit.jupiter.api.Test;

/**
 * Alternating-users rotation while the application works ({@link ContinuousRotation}): the current
 * user keeps its password until the rotation after next, so a refused login (from a cache one rotation
 * behind) is answered by the new AWSCURRENT; AWSPENDING is needed only when a check raced a rotation.
 */
class AlternatingUsersRotationIT {

    @Test
    void dataSource_whileMariaDbAlternatesUsersContinuously_failsNoQuery() {
        assertRarelyNeedsPending(ContinuousRotation.run(new MySqlTarget(), false, true));
    }

    @Test
    void hikariOverDataSource_whileMariaDbAlternatesUsersContinuously_failsNoQuery() {
        assertRarelyNeedsPending(ContinuousRotation.run(new MySqlTarget(), true, true));
    }

    @Test
    void dataSource_whilePostgresAlternatesUsersContinuously_failsNoQuery() {
        assertRarelyNeedsPending(ContinuousRotation.run(new PostgresTarget(), false, true));
    }

    private static void assertRarelyNeedsPending(ContinuousRotation.Report report) {
        assertThat(report.dataSource().pendingLogins()).isLessThan(ContinuousRotation.ROTATIONS);
        assertThat(report.dataSource().refusedLogins())
                .isLessThanOrEqualTo((long) (ContinuousRotation.THREADS + 1) * ContinuousRotation.ROTATIONS);
    }
}
