package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.mysql.MySqlAlternatingUsersRotationHandler;
import dev.rotation.postgres.PostgresAlternatingUsersRotationHandler;
import org.junit.jupiter.api.Test;

/**
 * Alternating-users rotation while the application works ({@link ContinuousRotation}): the current
 * user keeps its password until the rotation after next, so a refused login is answered by the new
 * AWSCURRENT and never needs AWSPENDING.
 */
class AlternatingUsersRotationIT {

    @Test
    void dataSource_whileMariaDbAlternatesUsersContinuously_failsNoQuery() {
        assertNeverNeededPending(ContinuousRotation.run(TestDatabases.mysql(),
                MySqlAlternatingUsersRotationHandler::new, false, true));
    }

    @Test
    void hikariOverDataSource_whileMariaDbAlternatesUsersContinuously_failsNoQuery() {
        assertNeverNeededPending(ContinuousRotation.run(TestDatabases.mysql(),
                MySqlAlternatingUsersRotationHandler::new, true, true));
    }

    @Test
    void dataSource_whilePostgresAlternatesUsersContinuously_failsNoQuery() {
        assertNeverNeededPending(ContinuousRotation.run(TestDatabases.postgres(),
                PostgresAlternatingUsersRotationHandler::new, false, true));
    }

    private static void assertNeverNeededPending(ContinuousRotation.Report report) {
        assertThat(report.dataSource().pendingLogins()).isZero();
        assertThat(report.dataSource().backoffs()).isZero();
    }
}
