package dev.rotation.testkit.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Counts every external call a rotation makes (each Secrets Manager request, each database login,
 * statement and engine call) and makes the one at the armed position fail in the armed way. A dry
 * run with nothing armed lists the positions; a fault run arms one position and kind.
 *
 * <p>Calls are numbered from 1 in the order they happen since the last {@link #reset}. Only the
 * handler's own clients and engine report here; the test's checks use separate clients, so they
 * never shift the numbering.
 */
public final class FaultInjector {

    /** Where a call goes. */
    public enum Site { SECRETS_MANAGER, DATABASE }

    /** How the armed call fails. */
    public enum Kind {
        /** Secrets Manager answers 500 InternalServiceError; the request never took effect. */
        SM_ERROR(Site.SECRETS_MANAGER),
        /** The request took effect in Secrets Manager, then the connection broke before the answer arrived. */
        SM_ANSWER_LOST(Site.SECRETS_MANAGER),
        /** The request took effect in Secrets Manager, but the answer came after the SDK's attempt timeout. */
        SM_TIMEOUT(Site.SECRETS_MANAGER),
        /** The database connection breaks before the call reaches the server. */
        DB_BEFORE(Site.DATABASE),
        /** The server executed the call, then the connection broke before the answer arrived. */
        DB_AFTER(Site.DATABASE);

        private final Site site;

        Kind(Site site) {
            this.site = site;
        }

        public Site site() {
            return site;
        }

        /** Whether the call took effect before it failed (the answer, not the request, is lost). */
        public boolean afterEffect() {
            return this != SM_ERROR && this != DB_BEFORE;
        }
    }

    /** One counted call. */
    public record Call(int position, Site site, String description) {
        @Override
        public String toString() {
            return "#" + position + " " + (site == Site.SECRETS_MANAGER ? "SM " : "DB ") + description;
        }
    }

    private final AtomicInteger counter = new AtomicInteger();
    private final List<Call> calls = new ArrayList<>();
    private volatile int armedPosition = -1;
    private volatile Kind armedKind;
    private volatile Call fired;
    private volatile BiConsumer<Call, Boolean> listener = (call, armed) -> { };

    /** Forgets all calls and disarms. */
    public synchronized void reset() {
        counter.set(0);
        calls.clear();
        armedPosition = -1;
        armedKind = null;
        fired = null;
        listener = (call, armed) -> { };
    }

    /** Makes the call at {@code position} (counted from the next {@link #reset}-free call) fail as {@code kind}. */
    public synchronized void arm(int position, Kind kind) {
        armedPosition = position;
        armedKind = kind;
        fired = null;
    }

    /**
     * Runs {@code listener} on every call before it happens (in the calling thread, so it may block
     * the call, e.g. on a latch, or restart the server under it). The Boolean says whether the call
     * is the armed one.
     */
    public void onCall(BiConsumer<Call, Boolean> listener) {
        this.listener = listener;
    }

    /** Every call counted since the last reset, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The call the armed fault hit, once it fired. */
    public Optional<Call> fired() {
        return Optional.ofNullable(fired);
    }

    /** Reports a call; returns the fault to inject into it, if it is the armed one. */
    Optional<Kind> next(Site site, String description) {
        Call call;
        boolean hit;
        synchronized (this) {
            call = new Call(counter.incrementAndGet(), site, description);
            calls.add(call);
            hit = call.position() == armedPosition && armedKind != null && armedKind.site() == site;
            if (hit) {
                fired = call;
            }
        }
        listener.accept(call, hit);
        return hit ? Optional.of(armedKind) : Optional.empty();
    }
}
