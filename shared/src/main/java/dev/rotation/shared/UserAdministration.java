package dev.rotation.shared;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What alternating-users rotation needs from a database module on top of {@link DatabaseEngine}:
 * the administration a master user does on behalf of the two application users. Each method runs on
 * a connection logged in as the master user and must be safe to run again after a partial failure
 * (the service retries a failed rotation with the same token).
 *
 * <p>{@link AlternatingUsersRotationHandler} calls them in this order, so that the pending password
 * logs in only once the user can do everything the current user can (setSecret ends early when the
 * pending password logs in, so a retry would never repair privileges set after the password):
 * {@link #ensureUser}, {@link #synchronizePrivileges}, {@link #setPassword}.
 *
 * <p>Implementations bind passwords as parameters or hash them on the client, quote names as
 * identifiers, and never put a password into an exception message or a log line.
 */
public interface UserAdministration {

    /**
     * The longest user name the server accepts, checked by createSecret against the name it switches
     * to. May read the function's configuration.
     *
     * @throws RotationException when the configuration is invalid
     */
    UsernameLimit usernameLimit(Map<String, String> environment);

    /** Whether {@code username} exists on the server (on any host, for MySQL). */
    boolean userExists(Connection admin, String username) throws SQLException;

    /**
     * Refuses, before anything changes, to manage an {@code otherUser} that exists but is not a user
     * alternating users may take over: the rotated secret's author chooses its user name, and
     * {@code X_clone} would otherwise make the function act on {@code X}. Refused: the master user
     * itself; a user with administrative power (PostgreSQL: superuser, CREATEROLE, CREATEDB,
     * REPLICATION, BYPASSRLS; MySQL: global privileges such as CREATE USER, SUPER or GRANT OPTION on
     * {@code *.*}); a user that cannot log in (a group role: LOGIN is never added to an existing role);
     * and a user holding roles (or, on MySQL, privileges on objects) that {@code currentUser} does not
     * hold, which the pair would otherwise hand over or take away. Does nothing when
     * {@code otherUser} does not exist.
     *
     * @throws RotationException naming the user and the reason
     */
    void requireManageable(Connection admin, String currentUser, String otherUser, String masterUser)
            throws SQLException;

    /**
     * Creates {@code username} if it does not exist yet (on MySQL: on every host {@code likeUser}'s
     * account exists on), without a password anyone knows, so that it cannot log in before its
     * privileges are in place.
     *
     * @return whether anything was created
     */
    boolean ensureUser(Connection admin, String likeUser, String username, Consumer<String> log) throws SQLException;

    /**
     * Makes {@code target} able to do exactly what {@code source} can: adds what it lacks and takes
     * away what {@code source} no longer has, without a moment in which {@code target} holds less
     * than both (applications may still be using it).
     */
    void synchronizePrivileges(Connection admin, String source, String target, Consumer<String> log)
            throws SQLException;

    /** Sets {@code username}'s password (on every host its account exists on, for MySQL). */
    void setPassword(Connection admin, String username, String password) throws SQLException;
}
