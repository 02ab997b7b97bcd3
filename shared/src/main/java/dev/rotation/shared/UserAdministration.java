package dev.rotation.shared;

import java.sql.SQLException;
import java.util.Map;

/**
 * What alternating-users rotation needs from a database module on top of {@link DatabaseEngine}:
 * the administration a master user does for the pair of application users. Every step takes one
 * {@link AdminRequest} (a connection logged in as the master, the current user, the other user and
 * the master's name), runs as the master user, and must be safe to run again after a partial failure:
 * the service retries a failed rotation with the same token.
 *
 * <p>{@link AlternatingUsersRotationHandler} calls them in this order, so that the pending password
 * logs in only once the user can do everything the current user can (setSecret ends early when the
 * pending password logs in, so a retry would never repair privileges set after the password):
 * {@link #currentUserExists}, {@link #requireManageable}, {@link #ensureUser},
 * {@link #synchronizePrivileges}, {@link #setPassword}. The protocol logs the changes each step
 * returns.
 */
public interface UserAdministration {

    /**
     * The longest user name the server accepts, checked by createSecret against the name it switches
     * to. May read the function's configuration.
     *
     * @throws RotationException when the configuration is invalid
     */
    UsernameLimit usernameLimit(Map<String, String> environment);

    /** Whether the request's current user exists on the server (on any host, for MySQL). */
    boolean currentUserExists(AdminRequest request) throws SQLException;

    /**
     * Refuses, before anything changes, to manage an other user that exists but is not one the pair
     * may take over: the rotated secret's author chooses its user name, and {@code X_clone} would
     * otherwise make the function act on {@code X}. Refused: the master user itself; a user with
     * administrative power (PostgreSQL: superuser, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS;
     * MySQL: global privileges such as CREATE USER, SUPER or GRANT OPTION on {@code *.*}); a user
     * that cannot log in (a group role: LOGIN is never added to an existing role); and a user holding
     * roles (or, on MySQL, privileges on objects or accounts on hosts) that the current user does not
     * hold, which the pair would otherwise hand over or take away. Does nothing when the other user
     * does not exist.
     *
     * @throws RotationException naming the user and the reason
     */
    void requireManageable(AdminRequest request) throws SQLException;

    /**
     * Creates the other user if it does not exist yet (on MySQL: on every host the current user's
     * account exists on), without a password anyone knows, so that it cannot log in before its
     * privileges are in place.
     *
     * @return what was created; nothing when the user existed
     */
    AdminChanges ensureUser(AdminRequest request) throws SQLException;

    /**
     * Makes the other user able to do exactly what the current user can: adds what it lacks and
     * takes away what the current user no longer has, without a moment in which it holds less than
     * both (applications may still be using it).
     */
    AdminChanges synchronizePrivileges(AdminRequest request) throws SQLException;

    /**
     * Sets the other user's password (on every host its account exists on, for MySQL), hashed on
     * the client where the server accepts a hash.
     */
    PasswordChange setPassword(AdminRequest request, String newPassword) throws SQLException;

    /**
     * For the preflight event: whether the request's master (the session's user) holds what
     * {@link #ensureUser}, {@link #synchronizePrivileges} and {@link #setPassword} need, read only.
     * The default checks nothing and says so; the shipped engines name what is missing.
     */
    default MasterPrivileges masterPrivileges(AdminRequest request) throws SQLException {
        return MasterPrivileges.notChecked();
    }
}
