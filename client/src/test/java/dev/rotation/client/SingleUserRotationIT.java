package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.mysql.MySqlRotationHandler;
import dev.rotation.postgres.PostgresRotationHandler;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An application keeps opening connections and querying while the single-user rotation function
 * rotates the password again and again. Each rotation is held between setSecret and finishSecret —
 * the window in which only the AWSPENDING password logs in — until the application has finished
 * {@value #QUERIES_IN_WINDOW} more queries, so every rotation really tests the bridge.
 */
class SingleUserRotationIT {
    static final int ROTATIONS = 12;
    static final int THREADS = 4;
    static final int QUERIES_IN_WINDOW = 12;
    static final int QUERIES_BETWEEN_ROTATIONS = 12;
    static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void dataSource_whileMariaDbRotatesContinuously_failsNoQuery() {
        run(TestDatabases.mysql(), MySqlRotationHandler::new, false);
    }

    @Test
    void hikariOverDataSource_whileMariaDbRotatesContinuously_failsNoQuery() {
        run(TestDatabases.mysql(), MySqlRotationHandler::new, true);
    }

    @Test
    void dataSource_whilePostgresRotatesContinuously_failsNoQuery() {
        run(TestDatabases.postgres(), PostgresRotationHandler::new, false);
    }

    @Test
    void hikariOverDataSource_whilePostgresRotatesContinuously_failsNoQuery() {
        run(TestDatabases.postgres(), PostgresRotationHandler::new, true);
    }

    private static void run(TestDatabase db, RotationHarness.HandlerFactory function, boolean pooled) {
        try (RotationHarness h = new RotationHarness(db, function)) {
            String secretId = h.createUserSecret(RotationHarness.unique("app"));
            // A long time-to-live: every refresh in this test is one the rotation made necessary.
            SecretCache cache = SecretCache.builder().client(h.applicationClient).ttl(Duration.ofMinutes(10)).build();
            SecretsManagerDataSource ds = SecretsManagerDataSource.builder().secretId(secretId).secretCache(cache)
                    .build();
            HikariDataSource pool = pooled ? pool(ds) : null;
            DataSource application = pooled ? pool : ds;

            ApplicationLoad load = ApplicationLoad.start(application, THREADS);
            try {
                load.awaitMoreQueries(QUERIES_BETWEEN_ROTATIONS, PROGRESS_TIMEOUT);
                h.duringSetSecretWindow = () -> {
                    if (pool != null) {
                        // Make the pool open new connections inside the window.
                        pool.getHikariPoolMXBean().softEvictConnections();
                    }
                    load.awaitMoreQueries(QUERIES_IN_WINDOW, PROGRESS_TIMEOUT);
                };
                for (int i = 0; i < ROTATIONS; i++) {
                    h.rotate(secretId);
                    load.awaitMoreQueries(QUERIES_BETWEEN_ROTATIONS, PROGRESS_TIMEOUT);
                }
            } finally {
                load.close();
                if (pool != null) {
                    pool.close();
                }
            }

            String what = db.engine() + (pooled ? " via HikariCP" : " direct");
            Report report = new Report(what, ROTATIONS, load.succeeded(), load.failures.size(),
                    h.applicationRequests.get(), cache.metrics(), ds.metrics());
            System.out.println(report);
            assertThat(load.failures).as("failed application queries (%s)", what).isEmpty();
            assertThat(load.succeeded()).isGreaterThanOrEqualTo(
                    (long) ROTATIONS * (QUERIES_IN_WINDOW + QUERIES_BETWEEN_ROTATIONS) - ROTATIONS * THREADS);
            assertThat(ds.metrics().pendingLogins()).as("logins bridged with AWSPENDING").isGreaterThanOrEqualTo(
                    ROTATIONS);
            assertThat(ds.metrics().failedConnections()).isZero();
            assertThat(cache.metrics().secretsManagerRequests()).isEqualTo(h.applicationRequests.get());
            // Bounded by rotations, not by queries: at worst one check per thread per rotation plus two reads.
            assertThat(h.applicationRequests.get()).isLessThanOrEqualTo((THREADS + 3) * ROTATIONS + 2);
            for (String password : h.passwords) {
                assertThat(report.toString()).doesNotContain(password);
                assertThat(ds.toString()).doesNotContain(password);
            }
        }
    }

    static HikariDataSource pool(SecretsManagerDataSource ds) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(ds);
        config.setMaximumPoolSize(THREADS);
        config.setPoolName("client-it");
        config.setConnectionTimeout(20_000);
        return new HikariDataSource(config);
    }

    /** The numbers each test prints, for the report. */
    record Report(String what, int rotations, long queries, int failedQueries, int secretsManagerRequests,
            SecretCacheMetrics cache, DataSourceMetrics dataSource) {
        @Override
        public String toString() {
            return "[client IT] " + what + ": " + rotations + " rotations, " + queries + " queries, " + failedQueries
                    + " failed, " + secretsManagerRequests + " Secrets Manager requests (" + cache.getSecretValueRequests()
                    + " GetSecretValue, " + cache.describeSecretRequests() + " DescribeSecret), "
                    + dataSource.connectionsOpened() + " connections opened, " + dataSource.refusedLogins()
                    + " refused logins, " + dataSource.pendingLogins() + " AWSPENDING logins, " + dataSource.retries()
                    + " retried logins, " + dataSource.backoffs() + " backoffs";
        }
    }
}
