package dev.rotation.local.secretsmanager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A secret with its versions and metadata. Mutable, and only touched while the store's lock is
 * held; callers outside the store get a {@link #copy()}.
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
    final Map<String, SecretVersion> versions = new LinkedHashMap<>();
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

    Secret(String fileId, String arn, String name, Instant createdDate) {
        this.fileId = fileId;
        this.arn = arn;
        this.name = name;
        this.createdDate = createdDate;
        this.lastChangedDate = createdDate;
    }

    Secret copy() {
        Secret c = new Secret(fileId, arn, name, createdDate);
        c.description = description;
        c.kmsKeyId = kmsKeyId;
        c.owningService = owningService;
        c.tags.putAll(tags);
        versions.forEach((id, v) -> c.versions.put(id, v.copy()));
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
        return c;
    }

    boolean deleted() {
        return deletedDate != null;
    }

    Optional<SecretVersion> versionWithLabel(String label) {
        return versions.values().stream().filter(v -> v.labels.contains(label)).findFirst();
    }

    /** Versions, newest first. */
    List<SecretVersion> versionsNewestFirst() {
        // Reverse insertion order first, so versions created in the same instant still list newest first.
        List<SecretVersion> list = new ArrayList<>(versions.values());
        Collections.reverse(list);
        list.sort(Comparator.comparing((SecretVersion v) -> v.createdDate).reversed());
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
