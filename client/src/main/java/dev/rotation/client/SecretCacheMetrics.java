package dev.rotation.client;

import java.util.concurrent.atomic.LongAdder;

/**
 * A snapshot of what a {@link SecretCache} has done since it was built. Counts only, never a value.
 *
 * @param getSecretValueRequests {@code GetSecretValue} requests sent (first reads, reloads after AWSCURRENT
 *     moved, AWSPENDING reads)
 * @param describeSecretRequests {@code DescribeSecret} requests sent (checks whether AWSCURRENT moved)
 * @param refreshes times a check found that AWSCURRENT had moved and the value was read again
 * @param cacheHits answers given from memory without a request
 * @param coalescedRefreshes refreshes asked for that were answered by another caller's request
 * @param staleServed answers given from memory past the time-to-live while another caller was checking
 * @param failedChecks time-to-live checks that failed (the previous value kept being served)
 */
public record SecretCacheMetrics(long getSecretValueRequests, long describeSecretRequests, long refreshes,
        long cacheHits, long coalescedRefreshes, long staleServed, long failedChecks) {

    /** All requests sent to Secrets Manager. */
    public long secretsManagerRequests() {
        return getSecretValueRequests + describeSecretRequests;
    }

    /** The live counters behind the snapshots. */
    static final class Counters {
        final LongAdder getSecretValue = new LongAdder();
        final LongAdder describeSecret = new LongAdder();
        final LongAdder refreshes = new LongAdder();
        final LongAdder hits = new LongAdder();
        final LongAdder coalesced = new LongAdder();
        final LongAdder staleServed = new LongAdder();
        final LongAdder failedChecks = new LongAdder();

        SecretCacheMetrics snapshot() {
            return new SecretCacheMetrics(getSecretValue.sum(), describeSecret.sum(), refreshes.sum(), hits.sum(),
                    coalesced.sum(), staleServed.sum(), failedChecks.sum());
        }
    }
}
