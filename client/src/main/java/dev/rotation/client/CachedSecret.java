package dev.rotation.client;

import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;

/**
 * One version of a secret as {@link SecretCache} holds it: its ARN, version id and value. Immutable;
 * {@link #toString()} shows the version, never the value.
 */
public final class CachedSecret {
    private final String arn;
    private final String name;
    private final String versionId;
    private final String secretString;
    private final SdkBytes secretBinary;

    private CachedSecret(String arn, String name, String versionId, String secretString, SdkBytes secretBinary) {
        this.arn = arn;
        this.name = name;
        this.versionId = Objects.requireNonNull(versionId, "versionId");
        this.secretString = secretString;
        this.secretBinary = secretBinary;
    }

    static CachedSecret of(String arn, String name, String versionId, String secretString, SdkBytes secretBinary) {
        return new CachedSecret(arn, name, versionId, secretString, secretBinary);
    }

    /** The secret's ARN, as Secrets Manager returned it. */
    public String arn() {
        return arn;
    }

    /** The secret's name, as Secrets Manager returned it. */
    public String name() {
        return name;
    }

    /** The id of this version (the rotation token that created it). */
    public String versionId() {
        return versionId;
    }

    /**
     * The secret's string value. Never log it.
     *
     * @throws IllegalStateException if this version holds binary data only
     */
    public String secretString() {
        if (secretString == null) {
            throw new IllegalStateException("version " + versionId + " of secret " + name + " has no string value");
        }
        return secretString;
    }

    /** The secret's binary value, for secrets stored as SecretBinary. */
    public Optional<SdkBytes> secretBinary() {
        return Optional.ofNullable(secretBinary);
    }

    /**
     * The value read as a rotation secret's JSON.
     *
     * @throws IllegalArgumentException naming the problem (never the value) when it is not one
     */
    public DatabaseCredentials databaseCredentials() {
        try {
            return DatabaseCredentials.fromJson(secretString);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("version " + versionId + " of secret " + name + ": " + e.getMessage());
        }
    }

    /** The version and name; never the value. */
    @Override
    public String toString() {
        return "CachedSecret{name=" + name + ", versionId=" + versionId + ", value=***}";
    }
}
