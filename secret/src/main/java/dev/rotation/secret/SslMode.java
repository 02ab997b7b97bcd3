package dev.rotation.secret;

/**
 * How the connection to the database is secured, from the secret's {@code ssl} key, read the way the
 * reference rotation functions read it so that secrets written for them keep working.
 */
public enum SslMode {
    /**
     * {@code ssl} absent or unreadable: TLS with verification. Only when the deployer sets
     * {@code ALLOW_PLAINTEXT_FALLBACK=true} does a server that offers no TLS at all get plaintext,
     * with a warning (that answer can be forged by a man in the middle).
     */
    PREFERRED,
    /** {@code ssl} is {@code true} or {@code "true"}: TLS with certificate and host verification only. */
    REQUIRED,
    /** {@code ssl} is {@code false} or {@code "false"}: plaintext only. */
    DISABLED
}
