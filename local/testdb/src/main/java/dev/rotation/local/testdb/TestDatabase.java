package dev.rotation.local.testdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Optional;

/**
 * A MySQL-compatible or PostgreSQL server that tests (and the local demo) may administer: create
 * databases and ordinary application users, set passwords, and check whether a password really logs in.
 *
 * <p>Obtain one from {@link TestDatabases}. Every method throws an unchecked exception on failure;
 * no message, {@link #describe()} or {@code toString()} ever contains a password.
 *
 * <pre>{@code
 * TestDatabase db = TestDatabases.mysql();
 * String dbName = db.createDatabase("app");
 * db.createAppUser(dbName, "app_user", "first-password");
 * assertThat(db.canLogin(dbName, "app_user", "first-password")).isTrue();
 * }</pre>
 */
public interface TestDatabase extends AutoCloseable {

    /** The value of the secret's {@code engine} key for this server: {@code "mariadb"}, {@code "mysql"} or {@code "postgres"}. */
    String engine();

    /** Host applications connect to, e.g. {@code "127.0.0.1"}. */
    String host();

    /** TCP port applications connect to. */
    int port();

    /** Human-readable origin of this server, for test output; never contains a password. */
    String describe();

    /** A new connection as the server's administrator; the caller closes it. */
    Connection admin();

    /**
     * Creates a fresh database named {@code prefix} plus a unique suffix and returns that name.
     *
     * @param prefix letters, digits and underscores, at most 40 characters
     */
    String createDatabase(String prefix);

    /**
     * Creates an ordinary application user with rights on {@code database} only: no user management,
     * no server administration, no superuser. The password is never sent as plain SQL text on
     * PostgreSQL (it is hashed client-side) and is bound as a parameter on MySQL/MariaDB.
     */
    void createAppUser(String database, String username, String password);

    /** Drops the user (and on PostgreSQL what it owns); does nothing if the user does not exist. */
    void dropUser(String username);

    /** Whether the user exists on the server. */
    boolean userExists(String username);

    /**
     * Whether a real TCP login to {@code database} with this password succeeds.
     *
     * @return false if the server refuses the credentials
     * @throws IllegalStateException on any other failure (server unreachable, database missing, ...)
     */
    boolean canLogin(String database, String username, String password);

    /** A new connection as {@code username}; throws if the login fails. The caller closes it. */
    Connection connect(String database, String username, String password);

    /** JDBC URL of {@code database} on this server, without credentials. */
    String jdbcUrl(String database);

    /**
     * Creates a master user like a managed database's (an RDS master user): it may create users and
     * grant what the application users hold, but it is no superuser. MySQL and MariaDB: the data and
     * schema privileges, CREATE USER, RELOAD, PROCESS and replication monitoring ON *.* WITH GRANT
     * OPTION (no SUPER); PostgreSQL: LOGIN CREATEROLE CREATEDB without SUPERUSER, a member of
     * {@code rds_superuser} (a group role without attributes, created on first use), CONNECT on
     * {@code database}, and on PostgreSQL 16+ ADMIN OPTION on {@code appUser} (which a master that
     * created the role has).
     *
     * @param appUser the application user the master will administer; {@code null} for none, which on
     *     PostgreSQL 16+ leaves the master without ADMIN OPTION on any existing role (an application user
     *     someone else created: the case in which alternating users must refuse clearly)
     */
    void createMaster(String database, String username, String password, String appUser);

    /** The longest user name the server accepts, in characters (in UTF-8 bytes on PostgreSQL). */
    int maxUsernameLength();

    /**
     * What the rotation functions' environment needs for this server: MySQL 8+ (the container, where a
     * Docker engine answers) logs plaintext sessions in with caching_sha2_password, whose full
     * authentication after a password change needs the server's RSA key, which the functions fetch only
     * with {@code ALLOW_PUBLIC_KEY_RETRIEVAL=true} (on loopback no one can swap it). Empty for the others.
     */
    java.util.Map<String, String> functionEnvironment();

    /** Sets a user's password as the administrator, e.g. to put the database into a recovery state. */
    void setPasswordAsAdmin(String username, String password);

    /**
     * Makes the server accept any password for {@code username} from now on, as a server configured with
     * {@code trust} authentication does: the misconfiguration under which a rotation would change nothing.
     * The user must exist and may connect to the server's default database.
     *
     * @throws UnsupportedOperationException except for throwaway PostgreSQL servers
     */
    default void acceptAnyPasswordFor(String username) {
        throw new UnsupportedOperationException("this server cannot be made to accept any password: " + describe());
    }

    /** Administrator user name, for tests that need a "master" secret (alternating users). */
    String adminUsername();

    /** Administrator password, for tests that need a "master" secret. Never log it. */
    String adminPassword();

    /** Whether the server was started with TLS enabled (as configured, not as negotiated). */
    boolean tlsEnabled();

    /** Whether {@code session}, a connection to this server, runs over TLS, as the server sees it. */
    default boolean sessionUsesTls(Connection session) throws java.sql.SQLException {
        throw new UnsupportedOperationException("this server cannot tell a session's TLS: " + describe());
    }

    /** The server's log file, when this component started the server itself. */
    Optional<Path> serverLog();

    /**
     * Stops and starts the server in place: same host, port, data and passwords. Open connections break.
     *
     * @throws UnsupportedOperationException for servers this component did not start from local binaries
     */
    void restart();

    /**
     * Stops the server process but keeps its data, port and passwords, e.g. to make it unreachable for a
     * while; {@link #start()} brings it back. Open connections break.
     *
     * @throws UnsupportedOperationException for servers this component did not start from local binaries
     */
    void stop();

    /**
     * Starts a server stopped by {@link #stop()} again, on the same port, and waits until it accepts
     * logins. Does nothing if it runs.
     *
     * @throws UnsupportedOperationException for servers this component did not start from local binaries
     */
    void start();

    /** Stops the server and deletes its files, if this component started it; otherwise does nothing. */
    @Override
    void close();
}
