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
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The secrets and the service's rules over them, independent of HTTP: staging labels, token
 * idempotency, deprecated versions and pruning, deletion and recovery, and the bookkeeping of
 * rotations (the {@link Rotator} runs the steps). Every public operation validates all its input
 * before it changes anything, runs under one lock, and persists before it returns.
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
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Secret> byName = new LinkedHashMap<>();
    /** The last state written to disk, per name, to roll back to when a write fails (not kept in memory mode). */
    private final Map<String, Secret> committed = new LinkedHashMap<>();

    SecretStore(Clock clock, String region, String accountId, SecretPersistence persistence) {
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
        this.persistence = persistence;
        for (Secret s : persistence.loadAll()) {
            if (s.lastOutcome != null && !s.lastOutcome.finished()) {
                s.lastOutcome = new RotationOutcome(s.lastOutcome.versionId(), RotationOutcome.FAILED,
                        s.lastOutcome.step(), s.lastOutcome.attempts(), "the server stopped during the rotation",
                        now());
            }
            byName.put(s.name, s);
            if (persistence != SecretPersistence.IN_MEMORY) {
                committed.put(s.name, s.copy());
            }
        }
    }

    /**
     * Persists a changed secret. If the write fails, the in-memory secret goes back to what was
     * last written, so memory never shows a change that is not on disk, and the error propagates.
     */
    private void save(Secret s) {
        if (persistence == SecretPersistence.IN_MEMORY) {
            return;
        }
        try {
            persistence.save(s);
            committed.put(s.name, s.copy());
        } catch (RuntimeException e) {
            Secret before = committed.get(s.name);
            if (before == null) {
                byName.remove(s.name);
            } else {
                byName.put(s.name, before.copy());
            }
            throw e;
        }
    }

    private void forget(Secret s) {
        persistence.delete(s);
        committed.remove(s.name);
        byName.remove(s.name);
    }

    Instant now() {
        return clock.instant();
    }

    Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------- create, read, write

    synchronized Ref createSecret(String name, String token, String description, String kmsKeyId, SecretValue value,
                                  Map<String, String> tags) {
        Validation.name(name);
        Validation.maxLength(description, 2048, "Description");
        Validation.maxLength(kmsKeyId, 2048, "KmsKeyId");
        validateTags(tags, Map.of());
        if (token != null) {
            Validation.token(token, "ClientRequestToken");
        }
        purgeIfExpired(byName.get(name));
        Secret existing = byName.get(name);
        if (existing != null) {
            if (existing.deleted()) {
                throw ServiceException.invalidRequest("You can't create this secret because a secret with the name "
                        + name + " is already scheduled for deletion.");
            }
            SecretVersion same = token == null ? null : existing.versions.get(token);
            if (same != null && value != null && value.equals(same.value)) {
                return new Ref(existing.arn, existing.name, same.versionId); // an idempotent retry
            }
            throw ServiceException.exists("The operation failed because the secret " + name + " already exists.");
        }
        Secret s = new Secret(UUID.randomUUID().toString(), arnFor(name), name, now());
        s.description = description;
        s.kmsKeyId = kmsKeyId;
        if (tags != null) {
            s.tags.putAll(tags);
        }
        return insert(s, token, value);
    }

    /**
     * A secret as another AWS service creates it (RDS for a managed master user password): owned by
     * {@code owningService}, with system tags ({@code aws:...}) that the public API refuses, plus
     * {@value #OWNING_SERVICE_TAG}, as the service adds. Its value is AWSCURRENT.
     */
    synchronized Ref createManagedSecret(String name, String owningService, SecretValue value,
                                         Map<String, String> systemTags) {
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
        purgeIfExpired(byName.get(name));
        if (byName.containsKey(name)) {
            throw ServiceException.exists("The operation failed because the secret " + name + " already exists.");
        }
        Secret s = new Secret(UUID.randomUUID().toString(), arnFor(name), name, now());
        s.owningService = owningService;
        s.tags.putAll(tags);
        return insert(s, null, value);
    }

    /** Stores a new secret, with {@code value} (if any) as its AWSCURRENT version under the token. */
    private Ref insert(Secret s, String token, SecretValue value) {
        String versionId = null;
        if (value != null) {
            versionId = token != null ? token : UUID.randomUUID().toString();
            SecretVersion v = new SecretVersion(versionId, s.createdDate, value);
            v.labels.add(AWSCURRENT);
            s.versions.put(versionId, v);
        }
        save(s);
        byName.put(s.name, s);
        return new Ref(s.arn, s.name, versionId);
    }

    synchronized Secret describe(String secretId) {
        return find(secretId).copy();
    }

    synchronized Read getSecretValue(String secretId, String versionId, String stage) {
        if (versionId != null) {
            Validation.versionId(versionId);
        }
        if (stage != null) {
            Validation.stage(stage);
        }
        Secret s = findLive(secretId);
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

    synchronized Written putSecretValue(String secretId, String token, SecretValue value, List<String> stages) {
        if (value == null) {
            throw ServiceException.invalidParameter("You must provide either SecretString or SecretBinary.");
        }
        if (token != null) {
            Validation.token(token, "ClientRequestToken");
        }
        if (stages != null) {
            Validation.stages(stages);
        }
        Secret s = findLive(secretId);
        SecretVersion v = writeVersion(s, token, value, stages == null ? List.of(AWSCURRENT) : stages);
        return new Written(s.arn, s.name, v.versionId, List.copyOf(v.labels));
    }

    synchronized Ref updateSecret(String secretId, String token, String description, String kmsKeyId,
                                  SecretValue value) {
        Validation.maxLength(description, 2048, "Description");
        Validation.maxLength(kmsKeyId, 2048, "KmsKeyId");
        if (token != null) {
            Validation.token(token, "ClientRequestToken");
        }
        Secret s = findLive(secretId);
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
            s.kmsKeyId = kmsKeyId;
            changed = true;
        }
        if (changed) {
            s.lastChangedDate = now();
            save(s);
        }
        return new Ref(s.arn, s.name, versionId);
    }

    /**
     * Creates (or, for a value-less pending version, fills in) the version {@code token} and gives
     * it {@code stages}. Same token and same value: nothing changes. Same token, other value:
     * ResourceExistsException.
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
        checkLabelCount(existing, labels);
        Instant now = now();
        SecretVersion v = existing;
        if (v == null) {
            v = new SecretVersion(versionId, now, value);
            s.versions.put(versionId, v);
        } else {
            v.value = value;
        }
        for (String label : labels) {
            attach(s, label, v);
        }
        if (labels.contains(AWSCURRENT) && Boolean.TRUE.equals(s.rotationEnabled)) {
            s.scheduleBase = now; // a manual change of the current value counts as a rotation
        }
        s.lastChangedDate = now;
        prune(s);
        save(s);
        return v;
    }

    // ---------------------------------------------------------------- staging labels

    synchronized Ref updateSecretVersionStage(String secretId, String stage, String moveTo, String removeFrom) {
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
        Secret s = findLive(secretId);
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
                checkLabelCount(target, Set.of(stage));
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
            from.labels.remove(stage);
        }
        s.lastChangedDate = now();
        prune(s);
        save(s);
        return new Ref(s.arn, s.name, null);
    }

    /** Puts {@code label} on {@code target}, taking it off the version holding it; AWSCURRENT drags AWSPREVIOUS. */
    private static void attach(Secret s, String label, SecretVersion target) {
        SecretVersion holder = s.versionWithLabel(label).orElse(null);
        if (holder == target) {
            return;
        }
        if (holder != null) {
            holder.labels.remove(label);
        }
        target.labels.add(label);
        if (AWSCURRENT.equals(label) && holder != null) {
            s.versionWithLabel(AWSPREVIOUS).ifPresent(p -> p.labels.remove(AWSPREVIOUS));
            holder.labels.add(AWSPREVIOUS);
        }
    }

    private static void checkLabelCount(SecretVersion target, Set<String> adding) {
        Set<String> all = new HashSet<>(adding);
        if (target != null) {
            all.addAll(target.labels);
        }
        if (all.size() > Validation.MAX_LABELS_PER_VERSION) {
            throw ServiceException.limitExceeded("A secret version can have at most "
                    + Validation.MAX_LABELS_PER_VERSION + " staging labels; this change would give it " + all.size()
                    + ".");
        }
    }

    /** Drops the oldest deprecated versions beyond 100, never one younger than 24 hours. */
    private void prune(Secret s) {
        if (s.versions.size() <= MAX_VERSIONS) {
            return;
        }
        Instant cutoff = now().minus(VERSION_MIN_AGE);
        List<SecretVersion> candidates = s.versions.values().stream()
                .filter(SecretVersion::deprecated)
                .filter(v -> v.createdDate.isBefore(cutoff))
                .sorted(Comparator.comparing(v -> v.createdDate))
                .toList();
        for (SecretVersion v : candidates) {
            if (s.versions.size() <= MAX_VERSIONS) {
                break;
            }
            s.versions.remove(v.versionId);
        }
    }

    // ---------------------------------------------------------------- listing

    synchronized VersionPage listSecretVersionIds(String secretId, boolean includeDeprecated, Integer maxResults,
                                                  String nextToken) {
        int max = Paging.maxResults(maxResults);
        int offset = Paging.offset(nextToken);
        Secret s = find(secretId);
        List<SecretVersion> all = s.versionsNewestFirst().stream()
                .filter(v -> includeDeprecated || !v.deprecated())
                .map(SecretVersion::copy)
                .toList();
        return new VersionPage(s.copy(), Paging.page(all, offset, max), Paging.nextToken(all.size(), offset, max));
    }

    synchronized SecretPage listSecrets(List<Filter> filters, boolean includePlannedDeletion, Integer maxResults,
                                        String nextToken, String sortOrder, String sortBy) {
        int max = Paging.maxResults(maxResults);
        int offset = Paging.offset(nextToken);
        Predicate<Secret> match = SecretFilters.of(filters);
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
        List<Secret> all = byName.values().stream()
                .filter(x -> includePlannedDeletion || !x.deleted())
                .filter(match)
                .sorted(order.thenComparing(x -> x.name))
                .toList();
        List<Secret> pageOf = Paging.page(all, offset, max).stream().map(Secret::copy).toList();
        return new SecretPage(pageOf, Paging.nextToken(all.size(), offset, max));
    }

    // ---------------------------------------------------------------- deletion

    synchronized Deleted deleteSecret(String secretId, Long recoveryWindowInDays, boolean force) {
        if (force && recoveryWindowInDays != null) {
            throw ServiceException.invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with "
                    + "RecoveryWindowInDays.");
        }
        long days = recoveryWindowInDays == null ? 30 : recoveryWindowInDays;
        if (days < 7 || days > 30) {
            throw ServiceException.invalidParameter("RecoveryWindowInDays must be between 7 and 30, got " + days + ".");
        }
        Secret s = find(secretId);
        Instant now = now();
        if (force) {
            s.rotationGeneration++;
            forget(s);
            return new Deleted(s.arn, s.name, now);
        }
        if (s.deleted()) {
            throw ServiceException.invalidRequest("You tried to perform the operation on a secret that's currently "
                    + "marked deleted.");
        }
        s.deletedDate = now.plus(Duration.ofDays(days));
        s.rotationGeneration++;
        s.lastChangedDate = now;
        save(s);
        return new Deleted(s.arn, s.name, s.deletedDate);
    }

    synchronized Ref restoreSecret(String secretId) {
        Secret s = find(secretId);
        if (s.deleted()) {
            s.deletedDate = null;
            s.lastChangedDate = now();
            save(s);
        }
        return new Ref(s.arn, s.name, null);
    }

    /** Removes every secret whose recovery window has ended; returns how many. */
    synchronized int purgeExpired() {
        int n = 0;
        for (Secret s : List.copyOf(byName.values())) {
            if (purgeIfExpired(s)) {
                n++;
            }
        }
        return n;
    }

    private boolean purgeIfExpired(Secret s) {
        if (s != null && s.deleted() && !now().isBefore(s.deletedDate)) {
            forget(s);
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- tags

    synchronized Ref tagResource(String secretId, Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            throw ServiceException.invalidParameter("Tags must list at least one tag.");
        }
        Secret s = findLive(secretId);
        validateTags(tags, s.tags);
        s.tags.putAll(tags);
        s.lastChangedDate = now();
        save(s);
        return new Ref(s.arn, s.name, null);
    }

    synchronized Ref untagResource(String secretId, List<String> keys) {
        if (keys == null) {
            throw ServiceException.invalidParameter("TagKeys is required.");
        }
        for (String key : keys) {
            if (reserved(key)) {
                throw ServiceException.invalidParameter("Tag keys starting with aws: are reserved; system tags "
                        + "can't be removed.");
            }
        }
        Secret s = findLive(secretId);
        keys.forEach(s.tags::remove);
        s.lastChangedDate = now();
        save(s);
        return new Ref(s.arn, s.name, null);
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

    // ---------------------------------------------------------------- rotation

    /**
     * RotateSecret's synchronous part: validates, stores the configuration and creates the
     * value-less AWSPENDING version under the token. The returned ticket says whether to run.
     */
    synchronized RotationTicket startRotation(String secretId, String token, String lambdaArn, RulesInput rules,
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
        Secret s = findLive(secretId);
        String function = lambdaArn != null ? lambdaArn : s.rotationLambdaArn;
        if (function == null) {
            throw ServiceException.invalidRequest("No Lambda rotation function ARN is associated with this secret; "
                    + "pass RotationLambdaARN.");
        }
        return begin(s, token == null ? UUID.randomUUID().toString() : token, function, parsed, !rotateImmediately);
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
                pending.labels.remove(AWSPENDING); // left on AWSCURRENT by a finished rotation: normal
            }
            SecretVersion v = new SecretVersion(token, now, null);
            v.labels.add(AWSPENDING);
            s.versions.put(token, v);
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

    synchronized Ref cancelRotateSecret(String secretId) {
        Secret s = findLive(secretId);
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
    }

    /** True while the ticket's rotation may go on: not cancelled, secret not deleted. */
    synchronized boolean rotationActive(RotationTicket t) {
        Secret s = byName.get(t.name());
        return s != null && s.arn.equals(t.arn()) && !s.deleted() && s.rotationGeneration == t.generation()
                && Boolean.TRUE.equals(s.rotationEnabled);
    }

    /** Records progress or the end of a rotation; success sets LastRotatedDate and the next schedule. */
    synchronized void recordOutcome(RotationTicket t, RotationOutcome outcome) {
        Secret s = byName.get(t.name());
        if (s == null || !s.arn.equals(t.arn())) {
            return;
        }
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
            if (v != null && v.labels.remove(AWSPENDING) && v.value == null && v.labels.isEmpty()) {
                s.versions.remove(v.versionId);
            }
        }
        save(s);
    }

    /** Starts the scheduled rotations whose window is open now; returns their tickets. */
    synchronized List<RotationTicket> startDueRotations(java.util.function.Consumer<String> skipped) {
        purgeExpired();
        Instant now = now();
        List<RotationTicket> started = new ArrayList<>();
        for (Secret s : byName.values()) {
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
        return started;
    }

    synchronized Optional<RotationOutcome> outcome(String secretId) {
        return Optional.ofNullable(find(secretId).lastOutcome);
    }

    /** The next rotation date DescribeSecret shows: the last second of the next window. */
    Optional<Instant> nextRotationDate(Secret s) {
        return s.nextWindow(now()).map(w -> w.end().minusSeconds(1));
    }

    /**
     * Removes the secret's values from a message written by a rotation function before it is logged
     * or shown: whole stored strings, and the values of JSON keys that name a password or secret.
     */
    synchronized String scrub(String arn, String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        Secret s = byName.values().stream().filter(x -> x.arn.equals(arn)).findFirst().orElse(null);
        if (s != null) {
            for (SecretVersion v : s.versions.values()) {
                if (v.value == null || !v.value.isString()) {
                    continue;
                }
                String text = v.value.string();
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

    private Secret findLive(String secretId) {
        Secret s = find(secretId);
        if (s.deleted()) {
            throw ServiceException.invalidRequest(MARKED_DELETED);
        }
        return s;
    }

    /** Resolves a name, a full ARN or a partial ARN (without the random suffix). */
    private Secret find(String secretId) {
        Validation.secretId(secretId);
        Secret s = byName.get(secretId);
        if (s == null && secretId.startsWith("arn:")) {
            for (Secret x : byName.values()) {
                if (x.arn.equals(secretId) || (x.arn.length() == secretId.length() + 7 && x.arn.startsWith(secretId)
                        && x.arn.charAt(secretId.length()) == '-')) {
                    s = x;
                    break;
                }
            }
        }
        if (s == null || purgeIfExpired(s)) {
            throw ServiceException.notFound("Secrets Manager can't find the specified secret.");
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
