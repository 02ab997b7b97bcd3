package dev.rotation.shared;

/**
 * How the connection to the database is secured, from the secret's {@code ssl} key, read the way the
 * reference rotation functions read it so that secrets written for them keep working.
 */
public enum SslMode {
    /**
     * {@code ssl} absent or unreadable: try TLS with verification, and fall back to plaintext only
     * when the server offers no TLS at all. The fallback is logged as a warning and can be forbidden
     * with {@code ALLOW_PLAINTEXT_FALLBACK=false}.
     */
    PREFERRED,
    /** {@code ssl} is {@code true} or {@code "true"}: TLS with certificate and host verification only. */
    REQUIRED,
    /** {@code ssl} is {@code false} or {@code "false"}: plaintext only. */
    DISABLED
}
