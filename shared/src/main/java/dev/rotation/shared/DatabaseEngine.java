package dev.rotation.shared;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a database module supplies to the rotation protocol for single-user rotation: a description,
 * how to log in, how to tell why a login failed, and how the logged-in user changes its own
 * password. Everything else (the entry checks, the four steps, which credentials are tried in which
 * order, the {@code ssl} rules and TLS fallback, scrubbing, logging) lives in {@code shared}; see
 * the package documentation for the whole SPI and the rules every implementation follows.
 *
 * <p>Each operation takes one request value and returns one response value (in the style of
 * Vault's database plugins), so a new field reaches every engine without breaking any of them.
 */
public interface DatabaseEngine {

    /** The secrets this engine rotates, its default password exclusions and its login classes. */
    EngineDescription description();

    /**
     * Opens a connection logged in as the request's secret's user; the caller closes it.
     *
     * @throws SQLException on any failure; {@link #classify(SQLException)} tells why
     */
    Connection connect(ConnectRequest request) throws SQLException;

    /** Tells an authentication refusal and a server without TLS apart from every other failure. */
    LoginFailure classify(SQLException failure);

    /**
     * Changes the password of the user the request's connection is logged in as. That user is an
     * ordinary application user (no admin rights).
     *
     * @return how the password reached the server, for the log
     */
    PasswordChange changeOwnPassword(PasswordChangeRequest request) throws SQLException;

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
