package dev.rotation.local.secretsmanager;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One version of a secret. Mutable, and only ever touched while its secret's lock is held; its
 * labels change only through {@link Secret#attachLabel} and {@link Secret#detachLabel}. A
 * version created by RotateSecret has no value until the rotation function's createSecret step
 * puts one; the value, once set, never changes.
 */
final class SecretVersion {
    final String versionId;
    final Instant createdDate;
    SecretValue value;
    final Set<String> labels = new LinkedHashSet<>();
    Instant lastAccessedDate;
    /** Order of addition to its secret (see {@link Secret#addVersion}). */
    long sequence;

    SecretVersion(String versionId, Instant createdDate, SecretValue value) {
        this.versionId = versionId;
        this.createdDate = createdDate;
        this.value = value;
    }

    SecretVersion copy() {
        SecretVersion c = new SecretVersion(versionId, createdDate, value);
        c.labels.addAll(labels);
        c.lastAccessedDate = lastAccessedDate;
        c.sequence = sequence;
        return c;
    }

    boolean deprecated() {
        return labels.isEmpty();
    }

    @Override
    public String toString() {
        return "SecretVersion[" + versionId + ", labels=" + labels + ", hasValue=" + (value != null) + "]";
    }
}
