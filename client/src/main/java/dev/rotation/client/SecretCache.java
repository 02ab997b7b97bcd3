package dev.rotation.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * An in-memory cache of secrets, safe for any number of threads.
 *
 * <p>The first {@link #getSecret} of a secret reads its {@code AWSCURRENT} version
 * ({@code GetSecretValue}). After the time-to-live, the next caller checks whether
 * {@code AWSCURRENT} moved ({@code DescribeSecret}, which returns no secret value) and reads the
 * value again only if it did; meanwhile other callers keep getting the previous value, so a check
 * never makes a caller wait. At most one request per secret is in flight at any time: callers that
 * ask for a refresh while one is running wait for it and share its result.
 *
 * <p>If a check fails (throttling, a network problem), the cache keeps serving the value it has and
 * tries again after the time-to-live or 10 seconds, whichever is shorter. Only the first read of a
 * secret, {@link #refresh} and {@link #getPendingSecret} throw the SDK's exception.
 *
 * <p>Permissions: {@code secretsmanager:GetSecretValue} and {@code secretsmanager:DescribeSecret} on
 * the secret (and {@code kms:Decrypt} for a customer managed key).
 *
 * <pre>{@code
 * SecretCache cache = SecretCache.builder()
 *         .client(SecretsManagerClient.create())
 *         .ttl(Duration.ofMinutes(5))
 *         .build();
 * DatabaseCredentials db = cache.getSecret("prod/dbCredentials").databaseCredentials();
 * }</pre>
 */
public final class SecretCache {
    /** Default time-to-live: how long a value is used before checking whether AWSCURRENT moved. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    private static final Duration MAX_ERROR_RETRY = Duration.ofSeconds(10);
    static final String CURRENT = "AWSCURRENT";
    static final String PENDING = "AWSPENDING";

    private final SecretsManagerClient client;
    private final Duration ttl;
    private final Duration errorRetry;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final SecretCacheMetrics.Counters counters = new SecretCacheMetrics.Counters();

    private SecretCache(Builder b) {
        this.client = Objects.requireNonNull(b.client, "client is required");
        this.ttl = b.ttl;
        this.errorRetry = ttl.compareTo(MAX_ERROR_RETRY) < 0 ? ttl : MAX_ERROR_RETRY;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A cache with the default time-to-live over {@code client}. */
    public static SecretCache create(SecretsManagerClient client) {
        return builder().client(client).build();
    }

    /**
     * The secret's {@code AWSCURRENT} version, from the cache when it is younger than the
     * time-to-live.
     *
     * @param secretId the secret's name or ARN
     */
    public CachedSecret getSecret(String secretId) {
        return state(secretId).current;
    }

    /** The {@code AWSCURRENT} value as a string; a shortcut for {@code getSecret(id).secretString()}. */
    public String getSecretString(String secretId) {
        return getSecret(secretId).secretString();
    }

    /** The {@code AWSCURRENT} value as database credentials; see {@link DatabaseCredentials#fromJson}. */
    public DatabaseCredentials getDatabaseCredentials(String secretId) {
        return getSecret(secretId).databaseCredentials();
    }

    /**
     * Checks now whether {@code AWSCURRENT} moved, and reads it again if it did. Callers that arrive
     * while a check is running wait for it and share its result instead of sending another request.
     */
    public CachedSecret refresh(String secretId) {
        Entry entry = entry(secretId);
        State seen = entry.state;
        return refreshSince(secretId, seen == null ? 0 : seen.generation).current;
    }

    /**
     * The value of the version labelled {@code AWSPENDING}, as of the latest check of the secret, when
     * that is a different version from {@code AWSCURRENT} and already holds a value: during a rotation,
     * after createSecret stored the new credentials and before finishSecret made them current.
     * A pending value is read once per version.
     */
    public Optional<CachedSecret> getPendingSecret(String secretId) {
        State state = state(secretId);
        if (!state.stagesKnown) {
            state = refreshSince(secretId, state.generation);
        }
        return pending(secretId, state);
    }

    /** What the cache has done so far: requests sent, refreshes, hits. */
    public SecretCacheMetrics metrics() {
        return counters.snapshot();
    }

    // ---- package-private: what SecretsManagerDataSource builds on --------------------------------

    /** The current state, reading the secret on first use and checking it after the time-to-live. */
    State state(String secretId) {
        Entry entry = entry(secretId);
        State state = entry.state;
        if (state != null && clock.instant().isBefore(state.nextCheck)) {
            counters.hits.increment();
            return state;
        }
        if (state == null) {
            entry.lock.lock();
            try {
                state = entry.state;
                if (state == null) {
                    state = load(secretId, entry);
                }
                return state;
            } finally {
                entry.lock.unlock();
            }
        }
        if (!entry.lock.tryLock()) {
            // Someone is already asking Secrets Manager; serve what we have rather than queue.
            counters.staleServed.increment();
            return state;
        }
        try {
            State latest = entry.state;
            if (latest.generation != state.generation || clock.instant().isBefore(latest.nextCheck)) {
                return latest;
            }
            try {
                return check(secretId, entry, latest);
            } catch (RuntimeException e) {
                // Keep serving the value we have; try again soon.
                counters.failedChecks.increment();
                State retryLater = latest.withNextCheck(clock.instant().plus(errorRetry));
                entry.state = retryLater;
                return retryLater;
            }
        } finally {
            entry.lock.unlock();
        }
    }

    /**
     * Checks the secret unless a check completed after the state with {@code generation} was read:
     * then that newer state is returned without a request. This is what keeps a crowd of callers
     * that saw the same stale value down to one request.
     */
    State refreshSince(String secretId, long generation) {
        Entry entry = entry(secretId);
        entry.lock.lock();
        try {
            State state = entry.state;
            if (state == null) {
                return load(secretId, entry);
            }
            if (state.generation > generation) {
                counters.coalesced.increment();
                return state;
            }
            return check(secretId, entry, state);
        } finally {
            entry.lock.unlock();
        }
    }

    /** The pending value for {@code state}'s AWSPENDING version, read at most once per version. */
    Optional<CachedSecret> pending(String secretId, State state) {
        String pendingId = state.pendingVersionId;
        if (pendingId == null || pendingId.equals(state.current.versionId())) {
            return Optional.empty();
        }
        Entry entry = entry(secretId);
        CachedSecret known = entry.pending;
        if (known != null && known.versionId().equals(pendingId)) {
            counters.hits.increment();
            return Optional.of(known);
        }
        entry.lock.lock();
        try {
            known = entry.pending;
            if (known != null && known.versionId().equals(pendingId)) {
                counters.coalesced.increment();
                return Optional.of(known);
            }
            counters.getSecretValue.increment();
            GetSecretValueResponse r;
            try {
                r = client.getSecretValue(b -> b.secretId(secretId).versionId(pendingId).versionStage(PENDING));
            } catch (ResourceNotFoundException e) {
                // The rotation created the version but createSecret has not stored its value yet, or the
                // label moved on since the check. Either way there is nothing to bridge with.
                return Optional.empty();
            }
            CachedSecret value = toCached(r);
            entry.pending = value;
            return Optional.of(value);
        } finally {
            entry.lock.unlock();
        }
    }

    // ---- requests; each runs with the entry's lock held -------------------------------------------

    private State load(String secretId, Entry entry) {
        CachedSecret current = readCurrent(secretId);
        State state = new State(current, null, false, clock.instant().plus(ttl), 1);
        entry.state = state;
        return state;
    }

    private State check(String secretId, Entry entry, State previous) {
        counters.describeSecret.increment();
        DescribeSecretResponse d = client.describeSecret(b -> b.secretId(secretId));
        String currentId = null;
        String pendingId = null;
        for (Map.Entry<String, List<String>> v : d.versionIdsToStages().entrySet()) {
            if (v.getValue().contains(CURRENT)) {
                currentId = v.getKey();
            }
            if (v.getValue().contains(PENDING)) {
                pendingId = v.getKey();
            }
        }
        CachedSecret current = previous.current;
        if (currentId == null || !currentId.equals(current.versionId())) {
            current = readCurrent(secretId);
            counters.refreshes.increment();
        }
        State state = new State(current, pendingId, true, clock.instant().plus(ttl), previous.generation + 1);
        entry.state = state;
        return state;
    }

    private CachedSecret readCurrent(String secretId) {
        counters.getSecretValue.increment();
        // Always name the stage: never rely on the service's default.
        return toCached(client.getSecretValue(b -> b.secretId(secretId).versionStage(CURRENT)));
    }

    private static CachedSecret toCached(GetSecretValueResponse r) {
        return CachedSecret.of(r.arn(), r.name(), r.versionId(), r.secretString(), r.secretBinary());
    }

    private Entry entry(String secretId) {
        if (secretId == null || secretId.isBlank()) {
            throw new IllegalArgumentException("secretId must be a secret name or ARN");
        }
        return entries.computeIfAbsent(secretId, id -> new Entry());
    }

    /** One secret: its latest state and the lock that keeps its requests one at a time. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        volatile State state;
        volatile CachedSecret pending;
    }

    /**
     * What the cache knows about a secret after a read or check. {@code generation} grows by one with
     * every completed check, so a caller can tell whether anything was learnt since it looked.
     */
    static final class State {
        final CachedSecret current;
        final String pendingVersionId;
        final boolean stagesKnown;
        final Instant nextCheck;
        final long generation;

        State(CachedSecret current, String pendingVersionId, boolean stagesKnown, Instant nextCheck, long generation) {
            this.current = current;
            this.pendingVersionId = pendingVersionId;
            this.stagesKnown = stagesKnown;
            this.nextCheck = nextCheck;
            this.generation = generation;
        }

        State withNextCheck(Instant next) {
            return new State(current, pendingVersionId, stagesKnown, next, generation);
        }
    }

    /** Settings for a {@link SecretCache}. */
    public static final class Builder {
        private SecretsManagerClient client;
        private Duration ttl = DEFAULT_TTL;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The Secrets Manager client to read with (required). The cache does not close it. */
        public Builder client(SecretsManagerClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** How long a value is used before checking whether AWSCURRENT moved (default 5 minutes). */
        public Builder ttl(Duration ttl) {
            if (ttl == null || ttl.isZero() || ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must be a positive duration");
            }
            this.ttl = ttl;
            return this;
        }

        /** The clock the time-to-live is measured with (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SecretCache build() {
            return new SecretCache(this);
        }
    }
}
