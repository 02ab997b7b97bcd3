package dev.rotation.client;

import java.time.Duration;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * How {@link SecretsManagerDataSource} retries a refused login: up to {@link #maxRounds()} rounds, each
 * trying the freshly checked AWSCURRENT and then AWSPENDING credentials. The first round runs at once;
 * before each later round it waits the AWS SDK's
 * {@link BackoffStrategy#exponentialDelayHalfJitter(Duration, Duration) exponential delay with half
 * jitter}: before round {@code n ≥ 1} (the second round is {@code n = 1}) a random time between half
 * and all of {@code min(maxDelay, baseDelay × 2^(n-1))}, in whole milliseconds. The jitter keeps a
 * fleet of clients from retrying in step; the cap bounds the whole wait.
 *
 * <pre>{@code
 * RetryPolicy.builder().maxRounds(5).baseDelay(Duration.ofMillis(50)).maxDelay(Duration.ofSeconds(1)).build()
 * }</pre>
 */
public final class RetryPolicy {
    private final int maxRounds;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final BackoffStrategy backoff;

    private RetryPolicy(Builder b) {
        this.maxRounds = b.maxRounds;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.backoff = BackoffStrategy.exponentialDelayHalfJitter(baseDelay, maxDelay);
    }

    /** 5 rounds, 50 ms base delay, 1 s maximum delay: at most 0.75 s of waiting in all. */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxRounds() {
        return maxRounds;
    }

    public Duration baseDelay() {
        return baseDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    /** The delay before round {@code round} (0-based: round 0, the first, runs at once). */
    Duration delayBefore(int round) {
        // The SDK counts attempts from 1 and waits nothing before the first: round n is its attempt n + 1.
        return round <= 0 ? Duration.ZERO : backoff.computeDelay(round + 1);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRounds=" + maxRounds + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay + "}";
    }

    /** Settings for a {@link RetryPolicy}. */
    public static final class Builder {
        private int maxRounds = 5;
        private Duration baseDelay = Duration.ofMillis(50);
        private Duration maxDelay = Duration.ofSeconds(1);

        private Builder() {
        }

        /** Rounds of (refresh AWSCURRENT, try it, try AWSPENDING) after a refused login; 1–20, default 5. */
        public Builder maxRounds(int maxRounds) {
            if (maxRounds < 1 || maxRounds > 20) {
                throw new IllegalArgumentException("maxRounds must be between 1 and 20, got " + maxRounds);
            }
            this.maxRounds = maxRounds;
            return this;
        }

        /** Delay ceiling before the second round; doubles each round (default 50 ms, at least 1 ms). */
        public Builder baseDelay(Duration baseDelay) {
            // The SDK's strategy counts whole milliseconds; less would mean no wait at all.
            if (baseDelay == null || baseDelay.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("baseDelay must be at least 1 ms");
            }
            this.baseDelay = baseDelay;
            return this;
        }

        /** The largest delay between rounds (default 1 s). */
        public Builder maxDelay(Duration maxDelay) {
            if (maxDelay == null || maxDelay.isNegative() || maxDelay.isZero()) {
                throw new IllegalArgumentException("maxDelay must be a positive duration");
            }
            this.maxDelay = maxDelay;
            return this;
        }

        /** @throws IllegalArgumentException if maxDelay is shorter than baseDelay */
        public RetryPolicy build() {
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must not be shorter than baseDelay");
            }
            return new RetryPolicy(this);
        }
    }
}
