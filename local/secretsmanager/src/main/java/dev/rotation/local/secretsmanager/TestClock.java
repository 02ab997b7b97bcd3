package dev.rotation.local.secretsmanager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when a test says so, for driving the server's rotation schedule and
 * version timestamps (see {@link LocalSecretsManager.Builder}) and any other code under test that
 * takes a {@link Clock}. Part of the local server's test-support surface, like the testdb package,
 * so the server's own tests, the client's tests and the Lambda runtime's tests share one.
 */
public final class TestClock extends Clock {
    private volatile Instant now;

    private TestClock(Instant start) {
        this.now = start;
    }

    /** A clock standing at {@code isoInstant}, e.g. {@code "2026-03-02T10:15:00Z"}. */
    public static TestClock at(String isoInstant) {
        return new TestClock(Instant.parse(isoInstant));
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant t) {
        now = t;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: tests compare instants, and a copy that did not move with this one would mislead. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
