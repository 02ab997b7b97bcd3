package dev.rotation.client;

import java.time.Duration;

/**
 * Waits between login retries. The default is {@link #system()}; tests pass one that records the
 * delays and returns at once.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits for {@code duration}; throws if the thread is interrupted meanwhile. */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(long)}. */
    static Sleeper system() {
        return duration -> Thread.sleep(duration.toMillis());
    }
}
