package dev.rotation.client;

import java.time.Duration;

/**
 * How {@link SecretsManagerDataSource} retries a refused login: up to {@link #maxRounds()} rounds, each
 * trying the freshly checked AWSCURRENT and then AWSPENDING credentials. The first round runs at once;
 * before each later round it waits an exponentially growing, jittered delay: for round {@code n ≥ 1} a
 * random time between half and all of {@code min(maxDelay, baseDelay × 2^(n-1))}. The jitter keeps a
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

    private RetryPolicy(Builder b) {
        this.maxRounds = b.maxRounds;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
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

    /** The upper bound of the delay before round {@code round} (1-based; round 0 has none). */
    Duration ceiling(int round) {
        if (round <= 0) {
            return Duration.ZERO;
        }
        Duration d = baseDelay;
        for (int i = 1; i < round && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    /** The delay before round {@code round}, for {@code unitRandom} in [0, 1). */
    Duration delay(int round, double unitRandom) {
        Duration ceiling = ceiling(round);
        long nanos = ceiling.toNanos();
        double r = Math.min(Math.max(unitRandom, 0.0), 1.0);
        return Duration.ofNanos(nanos / 2 + (long) (r * (nanos - nanos / 2)));
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

        /** Delay ceiling before the second round; doubles each round (default 50 ms). */
        public Builder baseDelay(Duration baseDelay) {
            if (baseDelay == null || baseDelay.isNegative() || baseDelay.isZero()) {
                throw new IllegalArgumentException("baseDelay must be a positive duration");
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
