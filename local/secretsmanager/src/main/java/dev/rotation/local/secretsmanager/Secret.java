package dev.rotation.local.secretsmanager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A secret with its versions and metadata. Mutable, and only touched while this object's monitor is
 * held (the store's per-secret lock); callers outside the store get a {@link #copy()}.
 *
 * <p>Staging labels are indexed ({@link #versionWithLabel}): a label is found in constant time however
 * many versions the secret has (the service keeps every version younger than 24 hours, so thousands
 * are normal under load). Labels therefore change only through {@link #attachLabel} and
 * {@link #detachLabel}, versions only through {@link #addVersion} and {@link #removeVersion}.
 */
final class Secret {
    final String fileId;
    final String arn;
    final String name;
    final Instant createdDate;
    String description;
    String kmsKeyId;
    /** The AWS service that created and manages the secret (e.g. rds), or null for the user's own. */
    String owningService;
    final Map<String, String> tags = new LinkedHashMap<>();
    /** In creation order, so the oldest come first. */
    final Map<String, SecretVersion> versions = new LinkedHashMap<>();
    private final Map<String, SecretVersion> byLabel = new HashMap<>();
    /** The resource policy's JSON text as the user gave it, or null. */
    String resourcePolicy;
    /** Set once the store has dropped the secret; a thread that found it before then must look again. */
    boolean removed;
    /** The sequence number of the last version added (orders versions created in the same instant). */
    private long lastSequence;
    Instant lastChangedDate;
    Instant lastAccessedDate;
    Instant lastRotatedDate;
    Instant deletedDate;
    /** Null when rotation was never configured; false after CancelRotateSecret. */
    Boolean rotationEnabled;
    String rotationLambdaArn;
    RotationRules rotationRules;
    /** The instant the schedule counts from: the last rotation, manual value change or configuration. */
    Instant scheduleBase;
    /** Start of the last window a scheduled rotation was started in, so a window is used once. */
    Instant lastScheduledWindow;
    /** Bumped by CancelRotateSecret and on deletion so a running rotation stops between steps. */
    long rotationGeneration;
    RotationOutcome lastOutcome;
    /** On a replica, the region of its primary (the replica is read-only there); null on every other secret. */
    String primaryRegion;
    /** On a primary, its replicas in other regions, in the order they were added. */
    final List<Replica> replicas = new ArrayList<>();

    /**
     * One region a primary is replicated to, as ReplicationStatus shows it: InSync once the replica holds the
     * primary's state, Failed (with the reason) when the replica could not be created.
     */
    record Replica(String region, String kmsKeyId, String status, String statusMessage) {
        static final String IN_SYNC = "InSync";
        static final String FAILED = "Failed";

        boolean inSync() {
            return IN_SYNC.equals(status);
        }
    }

    Secret(String fileId, String arn, String name, Instant createdDate) {
        this.fileId = fileId;
        this.arn = arn;
        this.name = name;
        this.createdDate = createdDate;
        this.lastChangedDate = createdDate;
    }

    Secret copy() {
        Secret c = copyMetadata();
        versions.forEach((id, v) -> c.versions.put(id, v.copy()));
        c.lastSequence = lastSequence;
        c.reindex();
        return c;
    }

    /** A copy with only the versions that have a staging label: what DescribeSecret and ListSecrets show. */
    Secret copyLabeled() {
        Secret c = copyMetadata();
        for (SecretVersion v : versions.values()) {
            if (!v.deprecated()) {
                c.versions.put(v.versionId, v.copy());
            }
        }
        c.reindex();
        return c;
    }

    /** Puts back the state of {@code committed} (a copy of this secret), after a failed write. */
    void restore(Secret committed) {
        description = committed.description;
        kmsKeyId = committed.kmsKeyId;
        owningService = committed.owningService;
        tags.clear();
        tags.putAll(committed.tags);
        versions.clear();
        committed.versions.forEach((id, v) -> versions.put(id, v.copy()));
        lastSequence = committed.lastSequence;
        reindex();
        resourcePolicy = committed.resourcePolicy;
        lastChangedDate = committed.lastChangedDate;
        lastAccessedDate = committed.lastAccessedDate;
        lastRotatedDate = committed.lastRotatedDate;
        deletedDate = committed.deletedDate;
        rotationEnabled = committed.rotationEnabled;
        rotationLambdaArn = committed.rotationLambdaArn;
        rotationRules = committed.rotationRules;
        scheduleBase = committed.scheduleBase;
        lastScheduledWindow = committed.lastScheduledWindow;
        rotationGeneration = committed.rotationGeneration;
        lastOutcome = committed.lastOutcome;
        primaryRegion = committed.primaryRegion;
        replicas.clear();
        replicas.addAll(committed.replicas);
    }

    /**
     * Makes this replica hold its primary's state: versions and labels, description, tags, resource policy,
     * rotation settings and dates. Its own encryption key and last access stay, as the service keeps them
     * per region.
     */
    void mirror(Secret primary) {
        description = primary.description;
        owningService = primary.owningService;
        tags.clear();
        tags.putAll(primary.tags);
        Map<String, SecretVersion> before = new HashMap<>(versions);
        versions.clear();
        primary.versions.forEach((id, v) -> {
            SecretVersion c = v.copy();
            SecretVersion mine = before.get(id);
            c.lastAccessedDate = mine == null ? null : mine.lastAccessedDate;
            versions.put(id, c);
        });
        lastSequence = primary.lastSequence;
        reindex();
        resourcePolicy = primary.resourcePolicy;
        lastChangedDate = primary.lastChangedDate;
        lastRotatedDate = primary.lastRotatedDate;
        rotationEnabled = primary.rotationEnabled;
        rotationLambdaArn = primary.rotationLambdaArn;
        rotationRules = primary.rotationRules;
        scheduleBase = primary.scheduleBase;
        lastOutcome = primary.lastOutcome;
    }

    private Secret copyMetadata() {
        Secret c = new Secret(fileId, arn, name, createdDate);
        c.description = description;
        c.kmsKeyId = kmsKeyId;
        c.owningService = owningService;
        c.tags.putAll(tags);
        c.resourcePolicy = resourcePolicy;
        c.lastChangedDate = lastChangedDate;
        c.lastAccessedDate = lastAccessedDate;
        c.lastRotatedDate = lastRotatedDate;
        c.deletedDate = deletedDate;
        c.rotationEnabled = rotationEnabled;
        c.rotationLambdaArn = rotationLambdaArn;
        c.rotationRules = rotationRules;
        c.scheduleBase = scheduleBase;
        c.lastScheduledWindow = lastScheduledWindow;
        c.rotationGeneration = rotationGeneration;
        c.lastOutcome = lastOutcome;
        c.primaryRegion = primaryRegion;
        c.replicas.addAll(replicas);
        return c;
    }

    boolean deleted() {
        return deletedDate != null;
    }

    Optional<SecretVersion> versionWithLabel(String label) {
        return Optional.ofNullable(byLabel.get(label));
    }

    /** Staging labels attached across all versions (the service allows 20). */
    int labelCount() {
        return byLabel.size();
    }

    /** Puts {@code label} on {@code v}, which must be one of this secret's versions; takes it off its holder. */
    void attachLabel(SecretVersion v, String label) {
        SecretVersion holder = byLabel.put(label, v);
        if (holder != null && holder != v) {
            holder.labels.remove(label);
        }
        v.labels.add(label);
    }

    /** Takes {@code label} off {@code v}; returns whether it was there. */
    boolean detachLabel(SecretVersion v, String label) {
        if (!v.labels.remove(label)) {
            return false;
        }
        byLabel.remove(label, v);
        return true;
    }

    /** Adds a version (with the labels it already has: only for versions no other holds). */
    void addVersion(SecretVersion v) {
        v.sequence = ++lastSequence;
        versions.put(v.versionId, v);
        for (String label : v.labels) {
            byLabel.put(label, v);
        }
    }

    void removeVersion(SecretVersion v) {
        versions.remove(v.versionId);
        for (String label : v.labels) {
            byLabel.remove(label, v);
        }
    }

    private void reindex() {
        byLabel.clear();
        for (SecretVersion v : versions.values()) {
            for (String label : v.labels) {
                byLabel.put(label, v);
            }
        }
    }

    /** The versions that have a staging label, newest first; at most 20, whatever the number of versions. */
    List<SecretVersion> labeledNewestFirst() {
        return newestFirst(new ArrayList<>(new LinkedHashSet<>(byLabel.values())));
    }

    /** Versions, newest first. */
    List<SecretVersion> versionsNewestFirst() {
        return newestFirst(new ArrayList<>(versions.values()));
    }

    private static List<SecretVersion> newestFirst(List<SecretVersion> list) {
        // By creation date; among versions created in the same instant, the later-added first.
        list.sort(Comparator.comparing((SecretVersion v) -> v.createdDate)
                .thenComparingLong(v -> v.sequence).reversed());
        return list;
    }

    /** Where the next scheduled rotation may happen, if rotation is on and has a schedule. */
    Optional<RotationRules.Window> nextWindow(Instant now) {
        if (!Boolean.TRUE.equals(rotationEnabled) || rotationRules == null || scheduleBase == null || deleted()) {
            return Optional.empty();
        }
        RotationRules.Window w = rotationRules.currentOrNextWindow(scheduleBase, now);
        if (lastScheduledWindow != null && lastScheduledWindow.equals(w.start())) {
            w = rotationRules.windowAfter(w);
        }
        return w.start().equals(Instant.MAX) ? Optional.empty() : Optional.of(w);
    }

    @Override
    public String toString() {
        return "Secret[" + arn + ", versions=" + versions.size() + "]";
    }
}
