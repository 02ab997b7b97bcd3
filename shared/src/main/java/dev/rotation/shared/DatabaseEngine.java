package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * What a database module supplies to the rotation protocol: how to open a connection and how to
 * change the password of the user a connection is logged in as. Everything else (the four steps,
 * the order in which credentials are tried, the {@code ssl} key, TLS fallback rules, logging) lives
 * in {@code shared}.
 *
 * <p>Implementations must never put a password into an exception message they create, and must
 * bind passwords as parameters or hash them client-side, never splice them into SQL text.
 */
public interface DatabaseEngine {

    /** Short engine family name used in logs, for example {@code mysql} or {@code postgres}. */
    String name();

    /**
     * Values of the secret's {@code engine} key this engine handles; the protocol refuses any other
     * before touching the database. The default derives them from {@link #name()}: {@code mysql}
     * handles {@code mysql}, {@code aurora-mysql} and {@code mariadb}; {@code postgres} handles
     * {@code postgres} and {@code aurora-postgresql}; any other name handles only itself.
     */
    default Set<String> secretEngines() {
        switch (name()) {
            case "mysql":
                return Set.of("mysql", "aurora-mysql", "mariadb");
            case "postgres":
                return Set.of("postgres", "aurora-postgresql");
            default:
                return Set.of(name());
        }
    }

    /** Port used when the secret has no {@code port} key. */
    int defaultPort();

    /**
     * Characters GetRandomPassword is told to exclude when {@code EXCLUDE_CHARACTERS} is not set,
     * as the reference functions do per engine.
     */
    String defaultExcludedCharacters();

    /**
     * Opens a connection logged in as {@code secret}'s user.
     *
     * @param tls {@link Tls#VERIFY} for TLS with certificate and host-name verification (trusting
     *     {@link ConnectionSettings#caBundle()} when set, else the JVM's trust store), or
     *     {@link Tls#DISABLED} for plaintext
     * @throws SQLException on any failure; {@link #classify(SQLException)} tells why
     */
    Connection connect(DatabaseSecret secret, Tls tls, ConnectionSettings settings) throws SQLException;

    /** Tells an authentication refusal and a server without TLS apart from every other failure. */
    LoginFailure classify(SQLException failure);

    /**
     * Changes the password of the user {@code connection} is logged in as to {@code newPassword}.
     * Runs as that user, who is an ordinary application user (no admin rights).
     */
    void changeOwnPassword(Connection connection, DatabaseSecret secret, String newPassword) throws SQLException;

    /** The transport a connection attempt must use. */
    enum Tls { VERIFY, DISABLED }

    /** Why a connection attempt failed. */
    enum LoginFailure {
        /** The server refused the user name or password. */
        AUTHENTICATION,
        /** TLS was asked for and the server does not offer it at all (not: a failed verification). */
        TLS_UNAVAILABLE,
        /** Anything else: unreachable host, timeout, failed certificate or host verification, ... */
        OTHER
    }
}
