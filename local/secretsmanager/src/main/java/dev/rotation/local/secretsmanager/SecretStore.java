package dev.rotation.local.secretsmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The secrets and the service's rules over them, independent of HTTP: staging labels, token
 * idempotency, deprecated versions and pruning, deletion and recovery, and the bookkeeping of
 * rotations (the {@link Rotator} runs the steps). Every operation validates all its input before it
 * changes anything, and persists before it returns.
 *
 * <p>Locking: each secret is its own lock, so requests on different secrets run in parallel; only
 * creating and dropping a secret also take the store's {@link #structure} lock (always before the
 * secret's). A secret is found without a lock, then locked and checked not to have been dropped
 * meanwhile ({@link #withSecret}). Names and ARNs are looked up in hash maps, staging labels in the
 * secret's label index: no operation on one secret scans the others or its versions.
 */
final class SecretStore {
    static final String AWSCURRENT = "AWSCURRENT";
    static final String AWSPREVIOUS = "AWSPREVIOUS";
    static final String AWSPENDING = "AWSPENDING";
    static final int MAX_VERSIONS = 100;
    static final Duration VERSION_MIN_AGE = Duration.ofHours(24);
    /** The system tag the service puts on every secret another service manages. */
    static final String OWNING_SERVICE_TAG = "aws:secretsmanager:owningService";
    private static final Pattern LAMBDA_ARN = Pattern.compile(
            "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?");
    private static final String ARN_SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** The service's refusal of a change made through a replica's region. */
    static final String REPLICA_READ_ONLY =
            "Operation not permitted on a replica secret. Call must be made in primary secret's region.";
    private static final String MARKED_DELETED =
            "You can't perform this operation on the secret because it was marked for deletion.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A secret's identity as most operations answer it. */
    record Ref(String arn, String name, String versionId) {
    }

    /** GetSecretValue's answer. toString() hides the value. */
    record Read(String arn, String name, String versionId, SecretValue value, List<String> stages,
                Instant createdDate) {
    }

    record Written(String arn, String name, String versionId, List<String> stages) {
    }

    record Deleted(String arn, String name, Instant deletionDate) {
    }

    record VersionPage(Secret secret, List<SecretVersion> versions, String nextToken) {
    }

    record SecretPage(List<Secret> secrets, String nextToken) {
    }

    /** A ListSecrets filter: key name, description, tag-key, tag-value, primary-region, owning-service or all. */
    record Filter(String key, List<String> values) {
    }

    /** RotationRules as the request gave them, validated by the store against its clock. */
    record RulesInput(Long automaticallyAfterDays, String scheduleExpression, String duration) {
    }

    /** A rotation the store has set up and the {@link Rotator} should run (if {@code run}). */
    record RotationTicket(String arn, String name, String versionId, String lambdaArn, boolean testOnly,
                          long generation, String rotationToken, boolean run) {
    }

    private final Clock clock;
    private final String region;
    private final String accountId;
    private final SecretPersistence persistence;
    private final AuditTrail audit;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Secret> byName = new ConcurrentHashMap<>();
    private final Map<String, Secret> byArn = new ConcurrentHashMap<>();
    /** Held (before any secret's lock) to add or drop a secret. */
    private final Object structure = new Object();
    /** The last state written to disk, per name, to roll back to when a write fails (not kept in memory mode). */
    private final Map<String, Secret> committed = new ConcurrentHashMap<>();
    /** The other regions' stores, for replication; none until {@link #peers(Peers)} is called. */
    private volatile Peers peers = Peers.NONE;

    /** The stores of the other regions this server answers. */
    interface Peers {
        /** The store of {@code region}, made if need be. */
        SecretStore store(String region);

        /** The store of {@code region} if one was made. */
        Optional<SecretStore> existing(String region);

        Peers NONE = new Peers() {
            @Override
            public SecretStore store(String region) {
                throw ServiceException.invalidParameter("This server answers a single region.");
            }

            @Override
            public Optional<SecretStore> existing(String region) {
                return Optional.empty();
            }
        };
    }

    SecretStore(Clock clock, String region, String accountId, SecretPersistence persistence) {
        this(clock, region, accountId, persistence, AuditTrail.inMemory());
    }

    SecretStore(Clock clock, String region, String accountId, SecretPersistence persistence, AuditTrail audit) {
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
        this.persistence = persistence;
        this.audit = audit;
        for (Secret s : persistence.loadAll()) {
            if (s.lastOutcome != null && !s.lastOutcome.finished()) {
                s.lastOutcome = new RotationOutcome(s.lastOutcome.versionId(), RotationOutcome.FAILED,
                        s.lastOutcome.step(), s.lastOutcome.attempts(), "the server stopped during the rotation",
                        now());
            }
            byName.put(s.name, s);
            byArn.put(s.arn, s);
            if (persistence != SecretPersistence.IN_MEMORY) {
                committed.put(s.name, s.copy());
            }
        }
    }

    String region() {
        return region;
    }

    void peers(Peers peers) {
        this.peers = peers;
    }

    String accountId() {
        return accountId;
    }

    /** Records one of the service's own events (RotationStarted, EndSecretVersionDelete, ...). */
    void serviceEvent(String name, String secretArn, String versionId) {
        audit.record(AuditEvent.serviceEvent(now(), region, name, secretArn, versionId, accountId));
    }

    /**
     * Runs {@code op} on the secret {@code secretId} names, holding its lock. Throws
     * ResourceNotFoundException if there is none, and for {@code live} InvalidRequestException if it
     * is scheduled for deletion.
     */
    private <T> T withSecret(String secretId, boolean live, Function<Secret, T> op) {
        while (true) {
            Secret s = find(secretId);
            synchronized (s) {
                if (s.removed) {
                    continue; // dropped between the lookup and the lock: look again
                }
                if (live && s.deleted()) {
                    throw ServiceException.invalidRequest(MARKED_DELETED);
                }
                return op.apply(s);
            }
        }
    }

    /**
     * Runs {@code op} on the secret {@code secretId} names, holding its lock, unless the secret is a
     * replica: changes are made through the primary's region (InvalidParameterException otherwise).
     */
    private <T> T withPrimary(String secretId, boolean live, Function<Secret, T> op) {
        return withSecret(secretId, live, s -> {
            refuseReplica(s);
            return op.apply(s);
        });
    }

    private static void refuseReplica(Secret s) {
        if (s.primaryRegion != null) {
            throw ServiceException.invalidParameter(REPLICA_READ_ONLY);
        }
    }

    /**
     * Persists a changed secret, then brings its replicas up to date. If the write fails, the in-memory
     * secret goes back to what was last written, so memory never shows a change that is not on disk,
     * and the error propagates.
     */
    private void save(Secret s) {
        if (persistence != SecretPersistence.IN_MEMORY) {
            try {
                persistence.save(s);
                committed.put(s.name, s.copy());
            } catch (RuntimeException e) {
                Secret before = committed.get(s.name);
                if (before != null) {
                    s.restore(before);
                }
                throw e;
            }
        }
        for (Secret.Replica r : s.replicas) {
            if (r.inSync()) {
                peers.store(r.region()).mirror(s, region, r.kmsKeyId(), false, false);
            }
        }
    }

    /** Drops a secret; the caller holds {@link #structure} and the secret's lock. */
    private void forget(Secret s) {
        persistence.delete(s);
        committed.remove(s.name);
        byName.remove(s.name, s);
        byArn.remove(s.arn, s);
        s.removed = true;
    }

    Instant now() {
        return clock.instant();
    }

    Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- create, read, write

    Ref createSecret(String name, String token, String description, String kmsKeyId, SecretValue value,
                     Map<String, String> tags) {
        Validation.name(name);
        Validation.maxLength(description, 2048, "Description");
        Validation.maxLength(kmsKeyId, 2048, "KmsKeyId");
        validateTags(tags, Map.of());
        if (token != null) {
            Validation.token(token, "ClientRequestToken");
        }
        synchronized (structure) {
            Secret existing = byName.get(name);
            if (existing != null) {
                synchronized (existing) {
                    if (!purgeIfExpired(existing)) {
                        if (existing.deleted()) {
                            throw ServiceException.invalidRequest("You can't create this secret because a secret with "
                                    + "the name " + name + " is already scheduled for deletion.");
                        }
                        SecretVersion same = token == null ? null : existing.versions.get(token);
                        if (same != null && value != null && value.equals(same.value)) {
                            return new Ref(existing.arn, existing.name, same.versionId); // an idempotent retry
                        }
                        throw ServiceException.exists("The operation failed because the secret " + name
                                + " already exists.");
                    }
                }
            }
            Secret s = new Secret(UUID.randomUUID().toString(), arnFor(name), name, now());
            s.description = description;
            s.kmsKeyId = defaultKeyIsNull(kmsKeyId);
            if (tags != null) {
                s.tags.putAll(tags);
            }
            return insert(s, token, value);
        }
    }

    /** An empty KmsKeyId means the default key, aws/secretsmanager, which DescribeSecret does not show. */
    private static String defaultKeyIsNull(String kmsKeyId) {
        return kmsKeyId == null || kmsKeyId.isEmpty() ? null : kmsKeyId;
    }

    /**
     * A secret as another AWS service creates it (RDS for a managed master user password): owned by
     * {@code owningService}, with system tags ({@code aws:...}) that the public API refuses, plus
     * {@value #OWNING_SERVICE_TAG}, as the service adds. Its value is AWSCURRENT.
     */
    Ref createManagedSecret(String name, String owningService, SecretValue value, Map<String, String> systemTags) {
        Validation.managedName(name);
        Map<String, String> tags = new LinkedHashMap<>(systemTags);
        tags.put(OWNING_SERVICE_TAG, owningService);
        for (String key : tags.keySet()) {
            if (!reserved(key)) {
                throw ServiceException.invalidParameter("A system tag's key starts with aws:, got '"
                        + Validation.printable(key) + "'.");
            }
        }
        validateTagLimits(tags, Map.of());
        synchronized (structure) {
            Secret existing = byName.get(name);
            if (existing != null) {
                synchronized (existing) {
                    if (!purgeIfExpired(existing)) {
                        throw ServiceException.exists("The operation failed because the secret " + name
                                + " already exists.");
                    }
                }
            }
            Secret s = new Secret(UUID.randomUUID().toString(), arnFor(name), name, now());
            s.owningService = owningService;
            s.tags.putAll(tags);
            return insert(s, null, value);
        }
    }

    /** Stores a new secret, with {@code value} (if any) as its AWSCURRENT version under the token. */
    private Ref insert(Secret s, String token, SecretValue value) {
        String versionId = null;
        if (value != null) {
            versionId = token != null ? token : UUID.randomUUID().toString();
            SecretVersion v = new SecretVersion(versionId, s.createdDate, value);
            v.labels.add(AWSCURRENT);
            s.addVersion(v);
        }
        try {
            save(s);
        } catch (RuntimeException e) {
            committed.remove(s.name);
            throw e;
        }
        byName.put(s.name, s);
        byArn.put(s.arn, s);
        return new Ref(s.arn, s.name, versionId);
    }

    /** A full copy of the secret, with every version (tests and the Java API). */
    Secret describe(String secretId) {
        return withSecret(secretId, false, Secret::copy);
    }

    /** What DescribeSecret shows: the metadata and the versions that have a staging label. */
    Secret summary(String secretId) {
        return withSecret(secretId, false, Secret::copyLabeled);
    }

    Read getSecretValue(String secretId, String versionId, String stage) {
        if (versionId != null) {
            Validation.versionId(versionId);
        }
        if (stage != null) {
            Validation.stage(stage);
        }
        return withSecret(secretId, true, s -> read(s, versionId, stage));
    }

    private Read read(Secret s, String versionId, String stage) {
        SecretVersion v;
        if (versionId != null) {
            v = s.versions.get(versionId);
            if (v == null || v.value == null) {
                throw ServiceException.notFound(
                        "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
            }
            if (stage != null && !v.labels.contains(stage)) {
                throw ServiceException.notFound("You provided a VersionStage that is not associated to the provided "
                        + "VersionId.");
            }
        } else {
            String label = stage != null ? stage : AWSCURRENT;
            v = s.versionWithLabel(label).filter(x -> x.value != null).orElseThrow(() -> ServiceException.notFound(
                    "Secrets Manager can't find the specified secret value for staging label: " + label));
        }
        Instant today = now().truncatedTo(ChronoUnit.DAYS);
        if (!today.equals(s.lastAccessedDate) || !today.equals(v.lastAccessedDate)) {
            // The service records access per day only; persisting once a day keeps reads cheap.
            s.lastAccessedDate = today;
            v.lastAccessedDate = today;
            save(s);
        }
        return new Read(s.arn, s.name, v.versionId, v.value, List.copyOf(v.labels), v.createdDate);
    }

    /** One secret of BatchGetSecretValue: its AWSCURRENT value, or the error the service would give. */
    record BatchItem(String secretId, Read read, ServiceException error) {
    }

    /**
     * BatchGetSecretValue's reads: {@code ids} by name or ARN, each answered or failed on its own (the
     * caller checks access per secret with {@code allowed}, which throws to refuse one).
     */
    List<BatchItem> batchGet(List<String> ids, java.util.function.BiConsumer<String, Secret> allowed) {
        List<BatchItem> out = new ArrayList<>();
        for (String id : ids) {
            try {
                out.add(new BatchItem(id, withSecret(id, true, s -> {
                    allowed.accept(id, s);
                    return read(s, null, null);
                }), null));
            } catch (ServiceException e) {
                out.add(new BatchItem(id, null, e));
            }
        }
        return out;
    }

    Written putSecretValue(String secretId, String token, SecretValue value, List<String> stages) {
        if (value == null) {
            throw ServiceException.invalidParameter("You must provide either SecretString or SecretBinary.");
        }
        if (token != null) {
            Validation.token(token, "ClientRequestToken");
        }
        if (stages != null) {
            Validation.stages(stages);
        }
        return withPrimary(secretId, true, s -> {
            SecretVersion v = writeVersion(s, token, value, stages == null ? List.of(AWSCURRENT) : stages);
            return new Written(s.arn, s.name, v.versionId, List.copyOf(v.labels));
        });
    }

    Ref updateSecret(String secretId, String token, String description, String kmsKeyId, SecretValue value) {
        Validation.maxLength(description, 2048, "Description");
        Validation.maxLength(kmsKeyId, 2048, "KmsKeyId");
        if (token != null) {
            Validation.token(token, "ClientRequestToken");
        }
        String[] keyChange = new String[3];
        Ref ref = withSecret(secretId, true, s -> {
            if (s.primaryRegion != null) {
                // "A replica secret can't be updated independently from its primary secret, except for its
                // encryption key."
                if (value != null || description != null || kmsKeyId == null) {
                    throw ServiceException.invalidParameter(REPLICA_READ_ONLY);
                }
                s.kmsKeyId = defaultKeyIsNull(kmsKeyId);
                s.lastChangedDate = now();
                save(s);
                keyChange[0] = s.primaryRegion;
                keyChange[1] = primaryArn(s);
                keyChange[2] = s.kmsKeyId;
                return new Ref(s.arn, s.name, null);
            }
            String versionId = null;
            if (value != null) {
                versionId = writeVersion(s, token, value, List.of(AWSCURRENT)).versionId;
            }
            boolean changed = false;
            if (description != null) {
                s.description = description;
                changed = true;
            }
            if (kmsKeyId != null) {
                s.kmsKeyId = defaultKeyIsNull(kmsKeyId);
                changed = true;
            }
            if (changed) {
                s.lastChangedDate = now();
                save(s);
            }
            return new Ref(s.arn, s.name, versionId);
        });
        if (keyChange[0] != null) {
            // After the replica's lock is released: locks are taken primary first, then replica.
            peers.store(keyChange[0]).replicaKeyChanged(keyChange[1], region, keyChange[2]);
        }
        return ref;
    }

    /**
     * Creates (or, for a value-less pending version, fills in) the version {@code token} and gives
     * it {@code stages}. Same token and same value: nothing changes. Same token, other value:
     * ResourceExistsException. A new AWSCURRENT version abandons an unfinished rotation, as the
     * service does: AWSPENDING is taken off the rotation's version (RotationAbandoned).
     */
    private SecretVersion writeVersion(Secret s, String token, SecretValue value, List<String> stages) {
        String versionId = token != null ? token : UUID.randomUUID().toString();
        SecretVersion existing = s.versions.get(versionId);
        if (existing != null && existing.value != null) {
            if (existing.value.equals(value)) {
                return existing;
            }
            throw ServiceException.exists("You can't modify an existing version, you can only create a new version: "
                    + "version " + versionId + " already has a different value.");
        }
        Set<String> labels = new java.util.LinkedHashSet<>(stages);
        if (existing == null && s.versions.isEmpty()) {
            // The first version of a secret always becomes current. Filling in the value-less
            // version RotateSecret created does not create a version: finishSecret moves AWSCURRENT.
            labels.add(AWSCURRENT);
        }
        checkLabelCount(s, existing, labels);
        SecretVersion current = s.versionWithLabel(AWSCURRENT).orElse(null);
        SecretVersion abandoned = labels.contains(AWSCURRENT) && !labels.contains(AWSPENDING)
                ? s.versionWithLabel(AWSPENDING).filter(p -> p != current && p != existing).orElse(null) : null;
        Instant now = now();
        SecretVersion v = existing;
        if (v == null) {
            v = new SecretVersion(versionId, now, value);
            s.addVersion(v);
        } else {
            v.value = value;
        }
        for (String label : labels) {
            attach(s, label, v);
        }
        if (abandoned != null) {
            s.detachLabel(abandoned, AWSPENDING);
        }
        if (labels.contains(AWSCURRENT) && Boolean.TRUE.equals(s.rotationEnabled)) {
            s.scheduleBase = now; // a manual change of the current value counts as a rotation
        }
        s.lastChangedDate = now;
        prune(s);
        save(s);
        if (abandoned != null) {
            serviceEvent("RotationAbandoned", s.arn, abandoned.versionId);
        }
        return v;
    }

    // ---------------------------------------------------------------- staging labels

    Ref updateSecretVersionStage(String secretId, String stage, String moveTo, String removeFrom) {
        Validation.stage(stage);
        if (moveTo != null) {
            Validation.versionId(moveTo);
        }
        if (removeFrom != null) {
            Validation.versionId(removeFrom);
        }
        if (moveTo == null && removeFrom == null) {
            throw ServiceException.invalidParameter("Specify MoveToVersionId to attach the staging label " + stage
                    + ", RemoveFromVersionId to detach it, or both to move it.");
        }
        return withPrimary(secretId, true, s -> {
            moveStage(s, stage, moveTo, removeFrom);
            return new Ref(s.arn, s.name, null);
        });
    }

    private void moveStage(Secret s, String stage, String moveTo, String removeFrom) {
        SecretVersion holder = s.versionWithLabel(stage).orElse(null);
        if (moveTo != null) {
            SecretVersion target = s.versions.get(moveTo);
            if (target == null) {
                throw ServiceException.notFound("Secrets Manager can't find the specified secret version: " + moveTo);
            }
            if (holder != null && holder != target && !holder.versionId.equals(removeFrom)) {
                throw ServiceException.invalidParameter(removeFrom == null
                        ? "The staging label " + stage + " is attached to version " + holder.versionId
                                + "; name that version in RemoveFromVersionId to move the label."
                        : "RemoveFromVersionId " + removeFrom + " doesn't hold the staging label " + stage
                                + "; version " + holder.versionId + " does.");
            }
            if (holder == null && removeFrom != null && !removeFrom.equals(moveTo)) {
                throw ServiceException.invalidParameter("RemoveFromVersionId " + removeFrom
                        + " doesn't hold the staging label " + stage + "; no version does.");
            }
            if (holder != target) {
                checkLabelCount(s, target, Set.of(stage));
                attach(s, stage, target);
            }
        } else {
            SecretVersion from = s.versions.get(removeFrom);
            if (from == null) {
                throw ServiceException.notFound("Secrets Manager can't find the specified secret version: "
                        + removeFrom);
            }
            if (!from.labels.contains(stage)) {
                throw ServiceException.invalidParameter("The staging label " + stage + " isn't attached to version "
                        + removeFrom + ".");
            }
            if (AWSCURRENT.equals(stage)) {
                throw ServiceException.invalidParameter("You can only move staging label AWSCURRENT to a different "
                        + "secret version. It can't be completely detached.");
            }
            s.detachLabel(from, stage);
        }
        s.lastChangedDate = now();
        prune(s);
        save(s);
    }

    /** Puts {@code label} on {@code target}, taking it off the version holding it; AWSCURRENT drags AWSPREVIOUS. */
    private static void attach(Secret s, String label, SecretVersion target) {
        SecretVersion holder = s.versionWithLabel(label).orElse(null);
        if (holder == target) {
            return;
        }
        s.attachLabel(target, label);
        if (AWSCURRENT.equals(label) && holder != null) {
            s.attachLabel(holder, AWSPREVIOUS);
        }
    }

    /**
     * The service's quotas: 20 staging labels on a version, and 20 attached across all versions of a
     * secret ("Staging labels attached across all versions of a secret: 20").
     */
    private static void checkLabelCount(Secret s, SecretVersion target, Set<String> adding) {
        Set<String> all = new HashSet<>(adding);
        if (target != null) {
            all.addAll(target.labels);
        }
        if (all.size() > Validation.MAX_LABELS_PER_VERSION) {
            throw ServiceException.limitExceeded("A secret version can have at most "
                    + Validation.MAX_LABELS_PER_VERSION + " staging labels; this change would give it " + all.size()
                    + ".");
        }
        long fresh = adding.stream().filter(l -> s.versionWithLabel(l).isEmpty()).count();
        if (adding.contains(AWSCURRENT) && s.versionWithLabel(AWSCURRENT).isPresent()
                && s.versionWithLabel(AWSPREVIOUS).isEmpty() && !adding.contains(AWSPREVIOUS)) {
            fresh++; // moving AWSCURRENT gives its old version AWSPREVIOUS
        }
        if (s.labelCount() + fresh > Validation.MAX_LABELS_PER_SECRET) {
            throw ServiceException.limitExceeded("A secret can have at most " + Validation.MAX_LABELS_PER_SECRET
                    + " staging labels attached across all its versions; this change would give it "
                    + (s.labelCount() + fresh) + ".");
        }
    }

    /**
     * Drops the oldest deprecated versions beyond 100, never one younger than 24 hours. Versions are
     * kept in creation order, so this stops at the first version that is too young: the cost is that
     * of what it removes (plus the at most 20 labelled versions it passes), not of the whole list.
     */
    private void prune(Secret s) {
        if (s.versions.size() <= MAX_VERSIONS) {
            return;
        }
        Instant cutoff = now().minus(VERSION_MIN_AGE);
        List<SecretVersion> drop = new ArrayList<>();
        int left = s.versions.size();
        for (SecretVersion v : s.versions.values()) {
            if (left <= MAX_VERSIONS || !v.createdDate.isBefore(cutoff)) {
                break;
            }
            if (v.deprecated()) {
                drop.add(v);
                left--;
            }
        }
        drop.forEach(s::removeVersion);
    }

    // ---------------------------------------------------------------- listing

    VersionPage listSecretVersionIds(String secretId, boolean includeDeprecated, Integer maxResults,
                                     String nextToken) {
        int max = Paging.maxResults(maxResults);
        int offset = Paging.offset(nextToken);
        return withSecret(secretId, false, s -> {
            List<SecretVersion> all = includeDeprecated ? s.versionsNewestFirst() : s.labeledNewestFirst();
            List<SecretVersion> page = Paging.page(all, offset, max).stream().map(SecretVersion::copy).toList();
            Secret meta = s.copyLabeled();
            return new VersionPage(meta, page, Paging.nextToken(all.size(), offset, max));
        });
    }

    SecretPage listSecrets(List<Filter> filters, boolean includePlannedDeletion, Integer maxResults,
                           String nextToken, String sortOrder, String sortBy) {
        int max = Paging.maxResults(maxResults);
        int offset = Paging.offset(nextToken);
        List<Secret> all = matching(filters, includePlannedDeletion, sortOrder, sortBy);
        return new SecretPage(Paging.page(all, offset, max), Paging.nextToken(all.size(), offset, max));
    }

    /** The secrets the filters select, as labelled copies, in the given order (ListSecrets, BatchGetSecretValue). */
    List<Secret> matching(List<Filter> filters, boolean includePlannedDeletion, String sortOrder, String sortBy) {
        Predicate<Secret> match = SecretFilters.of(filters, region);
        Comparator<Secret> order = switch (sortBy == null ? "created-date" : sortBy) {
            case "created-date" -> Comparator.comparing((Secret x) -> x.createdDate);
            case "name" -> Comparator.comparing((Secret x) -> x.name);
            case "last-changed-date" -> Comparator.comparing((Secret x) -> x.lastChangedDate);
            case "last-accessed-date" -> Comparator.comparing((Secret x) -> x.lastAccessedDate,
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            default -> throw ServiceException.invalidParameter("SortBy must be created-date, name, last-changed-date "
                    + "or last-accessed-date, got '" + Validation.printable(sortBy) + "'.");
        };
        if (sortOrder != null && !sortOrder.equals("asc") && !sortOrder.equals("desc")) {
            throw ServiceException.invalidParameter("SortOrder must be asc or desc, got '"
                    + Validation.printable(sortOrder) + "'.");
        }
        if ("desc".equals(sortOrder)) {
            order = order.reversed();
        }
        purgeExpired();
        List<Secret> copies = new ArrayList<>();
        for (Secret x : byName.values()) {
            synchronized (x) {
                if (!x.removed && (includePlannedDeletion || !x.deleted()) && match.test(x)) {
                    copies.add(x.copyLabeled());
                }
            }
        }
        copies.sort(order.thenComparing(x -> x.name));
        return copies;
    }

    // ---------------------------------------------------------------- deletion

    Deleted deleteSecret(String secretId, Long recoveryWindowInDays, boolean force) {
        if (force && recoveryWindowInDays != null) {
            throw ServiceException.invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with "
                    + "RecoveryWindowInDays.");
        }
        long days = recoveryWindowInDays == null ? 30 : recoveryWindowInDays;
        if (days < 7 || days > 30) {
            throw ServiceException.invalidParameter("RecoveryWindowInDays must be between 7 and 30, got " + days + ".");
        }
        Instant now = now();
        if (force) {
            // "If you forcibly delete an already deleted or nonexistent secret, the operation does not
            // return ResourceNotFoundException."
            Validation.secretId(secretId);
            synchronized (structure) {
                Secret s = lookup(secretId);
                if (s == null) {
                    return new Deleted(secretId.startsWith("arn:") ? secretId : arnFor(secretId),
                            nameOf(secretId), now);
                }
                synchronized (s) {
                    refuseReplica(s);
                    refuseWhileReplicated(s);
                    s.rotationGeneration++;
                    forget(s);
                    versionEvents(s, "EndSecretVersionDelete");
                    return new Deleted(s.arn, s.name, now);
                }
            }
        }
        return withPrimary(secretId, false, s -> {
            if (s.deleted()) {
                throw ServiceException.invalidRequest("You tried to perform the operation on a secret that's currently "
                        + "marked deleted.");
            }
            refuseWhileReplicated(s);
            s.deletedDate = now.plus(Duration.ofDays(days));
            s.rotationGeneration++;
            s.lastChangedDate = now;
            save(s);
            versionEvents(s, "StartSecretVersionDelete");
            return new Deleted(s.arn, s.name, s.deletedDate);
        });
    }

    /** The name in a SecretId: the id itself, or the ARN's resource part without its random suffix. */
    private static String nameOf(String secretId) {
        int at = secretId.indexOf(":secret:");
        if (!secretId.startsWith("arn:") || at < 0) {
            return secretId;
        }
        String rest = secretId.substring(at + 8);
        return rest.length() > 7 && rest.charAt(rest.length() - 7) == '-' ? rest.substring(0, rest.length() - 7) : rest;
    }

    /** One deletion event per version, as the service records them. */
    private void versionEvents(Secret s, String name) {
        for (SecretVersion v : s.versions.values()) {
            serviceEvent(name, s.arn, v.versionId);
        }
    }

    Ref restoreSecret(String secretId) {
        return withPrimary(secretId, false, s -> {
            if (s.deleted()) {
                s.deletedDate = null;
                s.lastChangedDate = now();
                save(s);
                versionEvents(s, "CancelSecretVersionDelete");
            }
            return new Ref(s.arn, s.name, null);
        });
    }

    /** Removes every secret whose recovery window has ended; returns how many. */
    int purgeExpired() {
        int n = 0;
        Instant now = now();
        for (Secret s : byName.values()) {
            Instant d = s.deletedDate; // read without the lock: purgeIfExpired checks again under it
            if (d != null && !now.isBefore(d)) {
                synchronized (structure) {
                    synchronized (s) {
                        if (purgeIfExpired(s)) {
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    /** Drops {@code s} if its recovery window ended; the caller holds {@link #structure} and its lock. */
    private boolean purgeIfExpired(Secret s) {
        if (!s.removed && s.deleted() && !now().isBefore(s.deletedDate)) {
            forget(s);
            versionEvents(s, "EndSecretVersionDelete");
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- replication
    //
    // Each region is its own store. A primary lists its replicas; every change saved to it is mirrored,
    // under its lock, into each replica (a secret of the same name and ARN suffix in the replica's region,
    // read-only there). Locks are always taken primary first, then replica.

    /** "Pattern: ^([a-z]+-)+\\d+$" (ReplicaRegionType's Region). */
    private static final Pattern REGION = Pattern.compile("([a-z]+-)+\\d+");

    /** A region to replicate to, as AddReplicaRegions gives it. */
    record ReplicaRequest(String region, String kmsKeyId) {
    }

    /** One entry of ReplicationStatus. */
    record ReplicaStatus(String region, String kmsKeyId, String status, String statusMessage,
                         Instant lastAccessedDate) {
    }

    record Replication(String arn, List<ReplicaStatus> statuses) {
    }

    static boolean isRegion(String name) {
        return name != null && name.length() <= 128 && REGION.matcher(name).matches();
    }

    /** Checks AddReplicaRegions before anything changes (CreateSecret checks them before creating the secret). */
    void validateReplicaRequests(List<ReplicaRequest> add) {
        // "Array Members: Minimum number of 1 item."
        if (add == null || add.isEmpty()) {
            throw ServiceException.invalidParameter("AddReplicaRegions must list at least one Region.");
        }
        Set<String> seen = new HashSet<>();
        for (ReplicaRequest r : add) {
            if (!isRegion(r.region())) {
                throw ServiceException.invalidParameter("Invalid replica region: a Region code such as eu-west-1 is "
                        + "expected, got '" + Validation.printable(r.region()) + "'.");
            }
            if (r.region().equals(region)) {
                throw ServiceException.invalidParameter("Invalid replica region: " + region
                        + " is the primary secret's own Region.");
            }
            if (!seen.add(r.region())) {
                throw ServiceException.invalidParameter("AddReplicaRegions lists " + r.region() + " more than once.");
            }
            Validation.maxLength(r.kmsKeyId(), 2048, "KmsKeyId");
        }
    }

    /**
     * ReplicateSecretToRegions (and CreateSecret's AddReplicaRegions): creates the replicas. A secret of the
     * same name already in a region makes that replica Failed, unless {@code force} replaces it
     * ("ForceOverwriteReplicaSecret: Specifies whether to overwrite a secret with the same name in the
     * destination Region. By default, secrets aren't overwritten.").
     */
    Replication replicate(String secretId, List<ReplicaRequest> add, boolean force) {
        validateReplicaRequests(add);
        return withPrimary(secretId, true, s -> {
            for (ReplicaRequest r : add) {
                Secret.Replica existing = replicaIn(s, r.region());
                if (existing != null && existing.inSync()) {
                    throw ServiceException.invalidParameter("The secret is already replicated to " + r.region() + ".");
                }
            }
            for (ReplicaRequest r : add) {
                s.replicas.removeIf(x -> x.region().equals(r.region())); // a Failed one is tried again
                String kms = defaultKeyIsNull(r.kmsKeyId());
                String failure = peers.store(r.region()).mirror(s, region, kms, true, force);
                s.replicas.add(new Secret.Replica(r.region(), kms,
                        failure == null ? Secret.Replica.IN_SYNC : Secret.Replica.FAILED, failure));
            }
            s.lastChangedDate = now();
            save(s);
            return new Replication(s.arn, replicationStatus(s));
        });
    }

    /**
     * RemoveRegionsFromReplication: "deletes the secret replicas from the Regions you specify". A region the
     * secret is not replicated to is passed over.
     */
    Replication removeRegions(String secretId, List<String> regions) {
        if (regions == null || regions.isEmpty()) {
            throw ServiceException.invalidParameter("RemoveReplicaRegions must list at least one Region.");
        }
        for (String r : regions) {
            if (!isRegion(r)) {
                throw ServiceException.invalidParameter("Invalid replica region: a Region code such as eu-west-1 is "
                        + "expected, got '" + Validation.printable(r) + "'.");
            }
        }
        return withPrimary(secretId, false, s -> {
            for (String r : regions) {
                Secret.Replica replica = replicaIn(s, r);
                if (replica != null) {
                    s.replicas.remove(replica);
                    peers.store(r).dropReplica(arnInRegion(s.arn, r));
                }
            }
            s.lastChangedDate = now();
            save(s);
            return new Replication(s.arn, replicationStatus(s));
        });
    }

    /**
     * StopReplicationToReplica, called in the replica's region: "Removes the link between the replica secret
     * and the primary secret and promotes the replica to a primary secret in the replica Region."
     */
    Ref stopReplication(String secretId) {
        String[] primary = withSecret(secretId, false, s -> {
            if (s.primaryRegion == null) {
                throw ServiceException.invalidRequest("The secret " + s.name + " in " + region + " is not a replica; "
                        + "call StopReplicationToReplica in the Region of the replica to promote.");
            }
            return new String[] {s.primaryRegion, primaryArn(s)};
        });
        peers.store(primary[0]).forgetReplica(primary[1], region);
        return withSecret(secretId, false, s -> {
            s.primaryRegion = null;
            s.lastChangedDate = now();
            save(s);
            return new Ref(s.arn, s.name, null);
        });
    }

    /**
     * Makes this region's replica of {@code primary} (whose lock the caller holds) hold its state. With
     * {@code create}, a missing replica is created with {@code kmsKeyId}, and a secret of the same name that is
     * not this primary's replica is replaced only with {@code force}. Returns why it could not, or null.
     */
    String mirror(Secret primary, String primaryRegion, String kmsKeyId, boolean create, boolean force) {
        String arn = arnInRegion(primary.arn, region);
        synchronized (structure) {
            Secret existing = byName.get(primary.name);
            if (existing != null) {
                synchronized (existing) {
                    if (!purgeIfExpired(existing)) {
                        if (existing.arn.equals(arn) && primaryRegion.equals(existing.primaryRegion)) {
                            existing.mirror(primary);
                            if (create) {
                                existing.kmsKeyId = kmsKeyId;
                            }
                            save(existing);
                            return null;
                        }
                        if (!create || !force) {
                            return "Replication failed: Secret name " + primary.name + " already exists in region "
                                    + region + ".";
                        }
                        forget(existing);
                    }
                }
            }
            if (!create) {
                return "Replication failed: the replica in " + region + " was removed.";
            }
            Secret r = new Secret(UUID.randomUUID().toString(), arn, primary.name, primary.createdDate);
            r.primaryRegion = primaryRegion;
            r.kmsKeyId = kmsKeyId;
            r.mirror(primary);
            insert(r, null, null);
            return null;
        }
    }

    /** Removes this region's replica {@code arn}, if it is one. */
    void dropReplica(String arn) {
        synchronized (structure) {
            Secret r = byArn.get(arn);
            if (r != null) {
                synchronized (r) {
                    if (!r.removed && r.primaryRegion != null) {
                        forget(r);
                    }
                }
            }
        }
    }

    /** Takes {@code replicaRegion} off the primary {@code arn}'s replicas (the replica was promoted). */
    void forgetReplica(String arn, String replicaRegion) {
        Secret s = byArn.get(arn);
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (!s.removed && s.replicas.removeIf(r -> r.region().equals(replicaRegion))) {
                s.lastChangedDate = now();
                save(s);
            }
        }
    }

    /** Records a replica's own encryption key (UpdateSecret in its region) in its primary's ReplicationStatus. */
    void replicaKeyChanged(String arn, String replicaRegion, String kmsKeyId) {
        Secret s = byArn.get(arn);
        if (s == null) {
            return;
        }
        synchronized (s) {
            Secret.Replica r = s.removed ? null : replicaIn(s, replicaRegion);
            if (r != null) {
                s.replicas.set(s.replicas.indexOf(r), new Secret.Replica(r.region(), kmsKeyId, r.status(),
                        r.statusMessage()));
                save(s);
            }
        }
    }

    /** The primary's ReplicationStatus, with the date each replica was last read in its region. */
    List<ReplicaStatus> replicationStatus(Secret s) {
        List<ReplicaStatus> out = new ArrayList<>();
        for (Secret.Replica r : s.replicas) {
            Instant accessed = !r.inSync() ? null : peers.existing(r.region())
                    .flatMap(p -> p.lastAccessed(arnInRegion(s.arn, r.region()))).orElse(null);
            out.add(new ReplicaStatus(r.region(), r.kmsKeyId(), r.status(), r.statusMessage(), accessed));
        }
        return out;
    }

    private Optional<Instant> lastAccessed(String arn) {
        Secret s = byArn.get(arn);
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            return Optional.ofNullable(s.lastAccessedDate);
        }
    }

    private static Secret.Replica replicaIn(Secret s, String region) {
        return s.replicas.stream().filter(r -> r.region().equals(region)).findFirst().orElse(null);
    }

    private static void refuseWhileReplicated(Secret s) {
        if (!s.replicas.isEmpty()) {
            throw ServiceException.invalidParameter("You can't delete secret " + s.arn + " that still has replica "
                    + "regions [" + String.join(", ", s.replicas.stream().map(Secret.Replica::region).toList())
                    + "].");
        }
    }

    /** A replica's ARN is its primary's with the Region changed. */
    static String arnInRegion(String arn, String region) {
        String[] parts = arn.split(":", 5);
        return parts[0] + ":" + parts[1] + ":" + parts[2] + ":" + region + ":" + parts[4];
    }

    private static String primaryArn(Secret replica) {
        return arnInRegion(replica.arn, replica.primaryRegion);
    }

    // ---------------------------------------------------------------- tags

    Ref tagResource(String secretId, Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            throw ServiceException.invalidParameter("Tags must list at least one tag.");
        }
        return withPrimary(secretId, true, s -> {
            validateTags(tags, s.tags);
            s.tags.putAll(tags);
            s.lastChangedDate = now();
            save(s);
            return new Ref(s.arn, s.name, null);
        });
    }

    Ref untagResource(String secretId, List<String> keys) {
        if (keys == null) {
            throw ServiceException.invalidParameter("TagKeys is required.");
        }
        for (String key : keys) {
            if (reserved(key)) {
                throw ServiceException.invalidParameter("Tag keys starting with aws: are reserved; system tags "
                        + "can't be removed.");
            }
        }
        return withPrimary(secretId, true, s -> {
            keys.forEach(s.tags::remove);
            s.lastChangedDate = now();
            save(s);
            return new Ref(s.arn, s.name, null);
        });
    }

    private static boolean reserved(String tagKey) {
        return tagKey.toLowerCase(Locale.ROOT).startsWith("aws:");
    }

    /** The user's tags: the limits, and no aws: keys, which are the services' own. */
    private static void validateTags(Map<String, String> tags, Map<String, String> existing) {
        if (tags == null) {
            return;
        }
        if (tags.keySet().stream().anyMatch(SecretStore::reserved)) {
            throw ServiceException.invalidParameter("Tag keys starting with aws: are reserved.");
        }
        validateTagLimits(tags, existing);
    }

    private static void validateTagLimits(Map<String, String> tags, Map<String, String> existing) {
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (t.getKey().isEmpty() || t.getKey().length() > 128) {
                throw ServiceException.invalidParameter("A tag key has 1 to 128 characters, got "
                        + t.getKey().length() + ".");
            }
            if (t.getValue().length() > 256) {
                throw ServiceException.invalidParameter("A tag value has at most 256 characters; the value of tag "
                        + Validation.printable(t.getKey()) + " has " + t.getValue().length() + ".");
            }
        }
        Set<String> keys = new HashSet<>(existing.keySet());
        keys.addAll(tags.keySet());
        if (keys.size() > 50) {
            throw ServiceException.limitExceeded("A secret can have at most 50 tags; this would give it "
                    + keys.size() + ".");
        }
    }

    // ---------------------------------------------------------------- resource policies

    /** The secret's resource policy as the caller stored it, or null. */
    record Policy(String arn, String name, String policy) {
    }

    Policy getResourcePolicy(String secretId) {
        return withSecret(secretId, false, s -> new Policy(s.arn, s.name, s.resourcePolicy));
    }

    /** Stores an already validated policy. */
    Ref putResourcePolicy(String secretId, String policy) {
        return withPrimary(secretId, true, s -> {
            s.resourcePolicy = policy;
            s.lastChangedDate = now();
            save(s);
            return new Ref(s.arn, s.name, null);
        });
    }

    Ref deleteResourcePolicy(String secretId) {
        return withPrimary(secretId, true, s -> {
            if (s.resourcePolicy != null) {
                s.resourcePolicy = null;
                s.lastChangedDate = now();
                save(s);
            }
            return new Ref(s.arn, s.name, null);
        });
    }

    /**
     * What the access check needs to know about a secret, copied under its lock: its ARN, name, tags,
     * resource policy, rotation function, and which staging labels the version {@code versionId} has.
     */
    record AccessView(String arn, String name, Map<String, String> tags, String resourcePolicy,
                      String rotationLambdaArn, String description, String kmsKeyId) {
    }

    /** The access view of {@code secretId}, or empty when there is no such secret (the operation then says so). */
    Optional<AccessView> accessView(String secretId) {
        try {
            return Optional.of(withSecret(secretId, false, this::viewOf));
        } catch (ServiceException e) {
            return Optional.empty();
        }
    }

    AccessView viewOf(Secret s) {
        return new AccessView(s.arn, s.name, Map.copyOf(s.tags), s.resourcePolicy, s.rotationLambdaArn,
                s.description, s.kmsKeyId);
    }

    // ---------------------------------------------------------------- rotation

    /**
     * RotateSecret's synchronous part: validates, stores the configuration and creates the
     * value-less AWSPENDING version under the token. The returned ticket says whether to run.
     */
    RotationTicket startRotation(String secretId, String token, String lambdaArn, RulesInput rules,
                                 boolean rotateImmediately) {
        if (token != null) {
            Validation.token(token, "ClientRequestToken");
        }
        if (lambdaArn != null && !LAMBDA_ARN.matcher(lambdaArn).matches()) {
            throw ServiceException.invalidParameter("RotationLambdaARN must be a Lambda function ARN such as "
                    + "arn:aws:lambda:us-east-1:123456789012:function:NAME, got '" + Validation.printable(lambdaArn)
                    + "'.");
        }
        RotationRules parsed = rules == null ? null
                : RotationRules.of(rules.automaticallyAfterDays(), rules.scheduleExpression(), rules.duration(), now());
        return withPrimary(secretId, true, s -> {
            String function = lambdaArn != null ? lambdaArn : s.rotationLambdaArn;
            if (function == null) {
                throw ServiceException.invalidRequest("No Lambda rotation function ARN is associated with this "
                        + "secret; pass RotationLambdaARN.");
            }
            return begin(s, token == null ? UUID.randomUUID().toString() : token, function, parsed,
                    !rotateImmediately);
        });
    }

    private RotationTicket begin(Secret s, String token, String function, RotationRules rules, boolean testOnly) {
        SecretVersion current = s.versionWithLabel(AWSCURRENT).orElse(null);
        SecretVersion pending = s.versionWithLabel(AWSPENDING).orElse(null);
        SecretVersion existing = s.versions.get(token);
        boolean resume = false;
        if (existing != null) {
            if (existing.labels.contains(AWSCURRENT)) {
                return ticket(s, token, function, testOnly, false); // this rotation already finished
            }
            if (!existing.labels.contains(AWSPENDING)) {
                throw ServiceException.exists("A version with ClientRequestToken " + token
                        + " already exists and is not a pending rotation.");
            }
            if (s.lastOutcome != null && !s.lastOutcome.finished() && token.equals(s.lastOutcome.versionId())) {
                return ticket(s, token, function, testOnly, false); // a retried call: the rotation is running
            }
            resume = true;
        } else if (pending != null && pending != current) {
            throw ServiceException.invalidRequest("A previous rotation isn't complete: version " + pending.versionId
                    + " still has the staging label AWSPENDING. Let it finish, or detach AWSPENDING from it with "
                    + "UpdateSecretVersionStage, then rotate again.");
        }
        Instant now = now();
        s.rotationLambdaArn = function;
        if (rules != null) {
            if (!rules.equals(s.rotationRules) || s.scheduleBase == null) {
                s.scheduleBase = now;
            }
            s.rotationRules = rules;
        }
        if (s.scheduleBase == null) {
            s.scheduleBase = now;
        }
        s.rotationEnabled = true;
        if (!resume) {
            if (pending != null) {
                s.detachLabel(pending, AWSPENDING); // left on AWSCURRENT by a finished rotation: normal
            }
            SecretVersion v = new SecretVersion(token, now, null);
            v.labels.add(AWSPENDING);
            s.addVersion(v);
            prune(s);
        }
        s.lastOutcome = new RotationOutcome(token, RotationOutcome.IN_PROGRESS, null, 0, null, now);
        s.lastChangedDate = now;
        save(s);
        return ticket(s, token, function, testOnly, true);
    }

    private static RotationTicket ticket(Secret s, String token, String function, boolean testOnly, boolean run) {
        return new RotationTicket(s.arn, s.name, token, function, testOnly, s.rotationGeneration,
                UUID.randomUUID().toString(), run);
    }

    Ref cancelRotateSecret(String secretId) {
        return withPrimary(secretId, true, s -> {
            if (s.rotationEnabled == null) {
                throw ServiceException.invalidRequest("Rotation was never configured for this secret.");
            }
            s.rotationEnabled = false;
            s.rotationGeneration++;
            s.lastChangedDate = now();
            save(s);
            SecretVersion current = s.versionWithLabel(AWSCURRENT).orElse(null);
            String pendingId = s.versionWithLabel(AWSPENDING).filter(p -> p != current).map(p -> p.versionId)
                    .orElse(null);
            return new Ref(s.arn, s.name, pendingId);
        });
    }

    /** True while the ticket's rotation may go on: not cancelled, secret not deleted. */
    boolean rotationActive(RotationTicket t) {
        Secret s = byArn.get(t.arn());
        if (s == null) {
            return false;
        }
        synchronized (s) {
            return !s.removed && !s.deleted() && s.rotationGeneration == t.generation()
                    && Boolean.TRUE.equals(s.rotationEnabled);
        }
    }

    /** Records progress or the end of a rotation; success sets LastRotatedDate and the next schedule. */
    void recordOutcome(RotationTicket t, RotationOutcome outcome) {
        Secret s = byArn.get(t.arn());
        if (s == null) {
            return;
        }
        synchronized (s) {
            if (!s.removed) {
                record(s, t, outcome);
            }
        }
    }

    private void record(Secret s, RotationTicket t, RotationOutcome outcome) {
        s.lastOutcome = outcome;
        if (!outcome.finished()) {
            return; // progress is kept in memory; the end of the rotation is persisted
        }
        Instant now = now();
        if (RotationOutcome.SUCCEEDED.equals(outcome.status())) {
            s.lastRotatedDate = now;
            s.scheduleBase = now;
        }
        if (t.testOnly()) {
            // RotateImmediately=false: the test version is removed again, as the service does.
            SecretVersion v = s.versions.get(t.versionId());
            if (v != null && s.detachLabel(v, AWSPENDING) && v.value == null && v.labels.isEmpty()) {
                s.removeVersion(v);
            }
        }
        save(s);
    }

    /** Starts the scheduled rotations whose window is open now; returns their tickets. */
    List<RotationTicket> startDueRotations(java.util.function.Consumer<String> skipped) {
        purgeExpired();
        Instant now = now();
        List<RotationTicket> started = new ArrayList<>();
        for (Secret s : byName.values()) {
            synchronized (s) {
                if (s.removed || s.primaryRegion != null) {
                    continue; // a replica rotates with its primary
                }
                Optional<RotationRules.Window> w = s.nextWindow(now);
                if (w.isEmpty() || !w.get().contains(now)) {
                    continue;
                }
                s.lastScheduledWindow = w.get().start();
                try {
                    started.add(begin(s, UUID.randomUUID().toString(), s.rotationLambdaArn, null, false));
                } catch (ServiceException e) {
                    save(s);
                    skipped.accept(s.arn + ": " + e.getMessage());
                }
            }
        }
        return started;
    }

    Optional<RotationOutcome> outcome(String secretId) {
        return withSecret(secretId, false, s -> Optional.ofNullable(s.lastOutcome));
    }

    /** The next rotation date DescribeSecret shows: the last second of the next window. */
    Optional<Instant> nextRotationDate(Secret s) {
        return s.nextWindow(now()).map(w -> w.end().minusSeconds(1));
    }

    /**
     * Removes the secret's values from a message written by a rotation function before it is logged
     * or shown: whole stored strings, and the values of JSON keys that name a password or secret.
     */
    String scrub(String arn, String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        Secret s = byArn.get(arn);
        if (s != null) {
            List<String> texts = new ArrayList<>();
            synchronized (s) {
                for (SecretVersion v : s.versions.values()) {
                    if (v.value != null && v.value.isString()) {
                        texts.add(v.value.string());
                    }
                }
            }
            for (String text : texts) {
                for (String secret : sensitiveParts(text)) {
                    out = out.replace(secret, "*****");
                }
            }
        }
        return out.replace('\r', ' ').replace('\n', ' ');
    }

    private static List<String> sensitiveParts(String text) {
        List<String> parts = new ArrayList<>();
        if (text.length() >= 4) {
            parts.add(text);
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject()) {
                node.fields().forEachRemaining(e -> {
                    String key = e.getKey().toLowerCase(Locale.ROOT);
                    if ((key.contains("password") || key.contains("secret") || key.contains("token"))
                            && e.getValue().isTextual() && e.getValue().asText().length() >= 4) {
                        parts.add(e.getValue().asText());
                    }
                });
            }
        } catch (Exception notJson) {
            // a plain string secret: only the whole value is sensitive
        }
        return parts;
    }

    // ---------------------------------------------------------------- lookup

    /**
     * Resolves a name, a full ARN or a partial ARN (without the random suffix), without a lock;
     * a secret whose recovery window has ended is purged and not found.
     */
    private Secret find(String secretId) {
        Validation.secretId(secretId);
        Secret s = lookup(secretId);
        if (s != null && s.deletedDate != null && !now().isBefore(s.deletedDate)) {
            synchronized (structure) {
                synchronized (s) {
                    purgeIfExpired(s);
                }
            }
            s = null;
        }
        if (s == null) {
            throw ServiceException.notFound("Secrets Manager can't find the specified secret.");
        }
        return s;
    }

    private Secret lookup(String secretId) {
        Secret s = byName.get(secretId);
        if (s == null && secretId.startsWith("arn:")) {
            s = byArn.get(secretId);
            if (s == null) {
                // A partial ARN: the secret's ARN is it plus "-" and six random characters.
                Secret named = byName.get(nameOf(secretId + "-XXXXXX"));
                if (named != null && named.arn.length() == secretId.length() + 7 && named.arn.startsWith(secretId)
                        && named.arn.charAt(secretId.length()) == '-') {
                    s = named;
                }
            }
        }
        return s;
    }

    private String arnFor(String name) {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(ARN_SUFFIX_CHARS.charAt(random.nextInt(ARN_SUFFIX_CHARS.length())));
        }
        return "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:" + name + "-" + suffix;
    }
}
