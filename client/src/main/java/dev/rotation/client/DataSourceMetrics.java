package dev.rotation.client;

import java.util.concurrent.atomic.LongAdder;

/**
 * A snapshot of what a {@link SecretsManagerDataSource} has done since it was built. Counts only.
 *
 * @param connectionsOpened connections handed out
 * @param loginAttempts logins tried against the database
 * @param refusedLogins logins the database refused as an authentication failure
 * @param retries logins tried after a refused one, within the same {@code getConnection} call
 * @param backoffs waits between retry rounds
 * @param pendingLogins connections opened with the AWSPENDING credentials (bridging a rotation window)
 * @param pendingIgnored times AWSPENDING was not tried after a refused login because it names another server
 *     (engine, host or port) than AWSCURRENT, or turns TLS off
 * @param failedConnections {@code getConnection} calls that threw
 */
public record DataSourceMetrics(long connectionsOpened, long loginAttempts, long refusedLogins, long retries,
        long backoffs, long pendingLogins, long pendingIgnored, long failedConnections) {

    /** The live counters behind the snapshots. */
    static final class Counters {
        final LongAdder opened = new LongAdder();
        final LongAdder attempts = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder retries = new LongAdder();
        final LongAdder backoffs = new LongAdder();
        final LongAdder pending = new LongAdder();
        final LongAdder pendingIgnored = new LongAdder();
        final LongAdder failed = new LongAdder();

        DataSourceMetrics snapshot() {
            return new DataSourceMetrics(opened.sum(), attempts.sum(), refused.sum(), retries.sum(), backoffs.sum(),
                    pending.sum(), pendingIgnored.sum(), failed.sum());
        }
    }
}
