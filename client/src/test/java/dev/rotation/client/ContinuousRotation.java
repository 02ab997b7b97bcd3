package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.Strategy;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The scenario both rotation ITs run: an application thread pool keeps opening connections and
 * querying — through {@link SecretsManagerDataSource} directly or through HikariCP over it — while the
 * rotation function rotates the secret {@value #ROTATIONS} times, each triggered by RotateSecret and
 * awaited. Each rotation is held after setSecret (for single user: the window in which only the
 * AWSPENDING password logs in) until the application has finished {@value #QUERIES_IN_WINDOW} more
 * queries and, for single user, until a connection was opened inside the window, so every rotation
 * really exercises it.
 */
final class ContinuousRotation {
    static final int ROTATIONS = 12;
    static final int THREADS = 4;
    static final int QUERIES_IN_WINDOW = 12;
    static final int QUERIES_BETWEEN_ROTATIONS = 12;
    static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(30);

    private ContinuousRotation() {
    }

    /** Runs the scenario, prints and returns its numbers, and asserts what holds for every strategy. */
    static Report run(EngineTarget target, boolean pooled, boolean alternating) {
        try (RotationHarness h = new RotationHarness(target,
                alternating ? Strategy.ALTERNATING_USERS : Strategy.SINGLE_USER)) {
            String secretId = alternating ? h.createAlternatingUserSecret("app") : h.createUserSecret("app");
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
                    long bridged = ds.metrics().pendingLogins();
                    if (pool != null) {
                        // Make the pool open new connections inside the window.
                        pool.getHikariPoolMXBean().softEvictConnections();
                    }
                    load.awaitMoreQueries(QUERIES_IN_WINDOW, PROGRESS_TIMEOUT);
                    if (!alternating) {
                        // A pool may have served the window with a connection opened just before setSecret;
                        // keep the window open until one was opened inside it, which only AWSPENDING can do.
                        long deadline = System.nanoTime() + PROGRESS_TIMEOUT.toNanos();
                        while (ds.metrics().pendingLogins() == bridged && System.nanoTime() < deadline) {
                            load.awaitMoreQueries(1, PROGRESS_TIMEOUT);
                        }
                    }
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

            String what = h.world.db.engine() + (alternating ? " alternating users" : " single user")
                    + (pooled ? " via HikariCP" : " direct");
            Report report = new Report(what, ROTATIONS, load.succeeded(), load.failures.size(),
                    h.applicationRequests.get(), cache.metrics(), ds.metrics());
            System.out.println(report);
            assertThat(load.failures).as("failed application queries (%s)", what).isEmpty();
            assertThat(load.succeeded()).isGreaterThanOrEqualTo(
                    (long) ROTATIONS * (QUERIES_IN_WINDOW + QUERIES_BETWEEN_ROTATIONS) - ROTATIONS * THREADS);
            assertThat(ds.metrics().failedConnections()).isZero();
            // The rotation functions keep engine, host, port and ssl: no pending version is ever skipped.
            assertThat(ds.metrics().pendingIgnored()).isZero();
            assertThat(cache.metrics().secretsManagerRequests()).isEqualTo(h.applicationRequests.get());
            // Bounded by rotations, not by queries: at worst one check per thread per rotation plus two reads.
            assertThat(h.applicationRequests.get()).isLessThanOrEqualTo((THREADS + 3) * ROTATIONS + 2);
            for (String password : h.passwords()) {
                assertThat(report.toString()).doesNotContain(password);
                assertThat(ds.toString()).doesNotContain(password);
                assertThat(load.failures).allSatisfy(f -> assertThat(String.valueOf(f)).doesNotContain(password));
            }
            return report;
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
