package dev.rotation.mysql;

import com.mysql.cj.Messages;
import com.mysql.cj.jdbc.Driver;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.Engine;
import dev.rotation.secret.DriverTls;
import dev.rotation.shared.AdminChanges;
import dev.rotation.shared.AdminRequest;
import dev.rotation.shared.ConnectRequest;
import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.EngineDescription;
import dev.rotation.shared.JdbcHost;
import dev.rotation.shared.MasterPrivileges;
import dev.rotation.shared.PasswordChange;
import dev.rotation.shared.PasswordChangeRequest;
import dev.rotation.shared.RotationException;
import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.UsernameLimit;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MySQL, Aurora MySQL and MariaDB through MySQL Connector/J: the engine SPI for single-user and
 * alternating-users rotation. Every SQL statement the module sends is in this file, in the section
 * "Every statement" at its top; {@link MySqlGrants} reads {@code SHOW GRANTS} output and
 * {@link MySqlServerVersion} reads {@code SELECT VERSION()}, neither sends anything.
 *
 * <p><b>Own password (single user).</b> The password is changed for the account the connection is
 * logged in as, so the user name never appears in SQL, and an ordinary user without
 * {@code CREATE USER} or {@code SUPER} may run it: {@code ALTER USER CURRENT_USER()} on MySQL 5.7.6+
 * and Aurora MySQL, {@code SET PASSWORD} on MariaDB (whose ALTER USER needs CREATE USER even for
 * one's own account) and on MySQL before 5.7.6. {@code PASSWORD()} is never sent to MySQL 8.0.11+,
 * which removed it. On MariaDB and MySQL before 5.7.6 a {@code mysql_native_password} account (its
 * own {@code SHOW GRANTS} says so) gets the hash computed here, so the password never reaches a
 * server that would write it to its general log; other plugins (ed25519, parsec) get
 * {@code PASSWORD(?)}. MySQL 5.7.6+'s {@code ALTER USER CURRENT_USER()} accepts only the password
 * itself, which MySQL rewrites out of its general, slow and binary logs.
 *
 * <p><b>Alternating users, as the master.</b> An account is a user name and a host; the second user
 * gets an account on every host the current user has one on (read from {@code mysql.user}), and on
 * each of them exactly the current account's grants (from {@code SHOW GRANTS}), including
 * {@code WITH GRANT OPTION}, roles and the default role, and its TLS requirement
 * ({@code REQUIRE ...}). {@link #requireManageable} refuses a second user that exists with anything
 * more; {@link #synchronizePrivileges} only makes the two equal. The master needs no SUPER:
 * {@code CREATE USER}, {@code SELECT} on the {@code mysql} schema and, {@code WITH GRANT OPTION},
 * every privilege it copies (an RDS master user has these).
 *
 * <p>Names and hosts are quoted as identifiers with backticks (only a backtick needs doubling, in
 * every {@code sql_mode}). Passwords and hashes are bound as parameters: Connector/J's client-side
 * prepared statements (forced here: servers do not accept a placeholder after {@code IDENTIFIED BY}
 * in a server-side prepared statement) send them as string literals escaped for the session's
 * {@code sql_mode}. Errors are not scrubbed here: the protocol's sanitizer does that for every engine.
 */
public final class MySqlEngine implements DatabaseEngine, UserAdministration {

    // ---- Every statement ---------------------------------------------------------------------------

    static final String VERSION_QUERY = "SELECT VERSION()";
    /** MySQL 5.7.6+, 8.x, 9.x, Aurora MySQL 2+. */
    static final String ALTER_OWN_PASSWORD = "ALTER USER CURRENT_USER() IDENTIFIED BY ?";
    /** The same for accounts under password_require_current: the second parameter is the current password. */
    static final String ALTER_OWN_PASSWORD_REPLACING = "ALTER USER CURRENT_USER() IDENTIFIED BY ? REPLACE ?";
    /** MySQL's ER_MISSING_CURRENT_PASSWORD: "Current password needs to be specified in the REPLACE clause". */
    static final int ER_MISSING_CURRENT_PASSWORD = 3892;
    /** MariaDB, and MySQL before 5.7.6; only where PASSWORD() exists (never MySQL 8.0.11+). */
    static final String SET_OWN_PASSWORD_LEGACY = "SET PASSWORD = PASSWORD(?)";
    /**
     * The same with the hash computed here, for mysql_native_password accounts: a quoted literal is a
     * hash on MariaDB and MySQL before 5.7.6 (never sent to later MySQL, which would take it as the password).
     */
    static final String SET_OWN_PASSWORD_HASH = "SET PASSWORD = ?";
    /** The account's own grants, which name its plugin on MariaDB and MySQL before 5.7; allowed to every user. */
    static final String OWN_GRANTS_QUERY = "SHOW GRANTS FOR CURRENT_USER()";
    /** Preflight: the account the session is logged in as, {@code user@host}. */
    static final String CURRENT_ACCOUNT_QUERY = "SELECT CURRENT_USER()";

    /**
     * Modes cleared from the session's sql_mode. Under NO_BACKSLASH_ESCAPES Connector/J binds a string
     * holding a quote, backslash or control character as a hex literal, which ALTER USER ...
     * IDENTIFIED BY and PASSWORD() refuse (they take only a quoted string). Under ANSI_QUOTES the
     * server prints names in SHOW GRANTS in double quotes, inside which a backslash is an ordinary
     * character, which the grant scanner ({@link MySqlGrants}) would misread. The combination modes
     * that imply ANSI_QUOTES (ANSI, and MariaDB's DB2, MAXDB, MSSQL, ORACLE, POSTGRESQL, which the
     * server lists as elements of its own) go too, or setting the rest would turn it back on.
     */
    static final List<String> CLEARED_SQL_MODES =
            List.of("NO_BACKSLASH_ESCAPES", "ANSI_QUOTES", "ANSI", "DB2", "MAXDB", "MSSQL", "ORACLE", "POSTGRESQL");

    /**
     * Sent by Connector/J at connect, before it reads the session's sql_mode: the session's mode
     * without {@link #CLEARED_SQL_MODES}, every other mode kept. Only this session's mode changes; the
     * expression removes whole elements of the comma-separated list and leaves no empty one behind.
     */
    static final String SESSION_SQL_MODE = sessionSqlMode();

    static final String ACCOUNT_HOSTS = "SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host";
    static final String TLS_REQUIREMENT =
            "SELECT ssl_type, ssl_cipher, x509_issuer, x509_subject FROM mysql.user WHERE User = ? AND Host = ?";
    static final String MYSQL_DEFAULT_ROLES = "SELECT DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST FROM mysql.default_roles"
            + " WHERE USER = ? AND HOST = ? ORDER BY DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST";

    static String showGrants(String account) {
        return "SHOW GRANTS FOR " + account;
    }

    static String showCreateUser(String account) {
        return "SHOW CREATE USER " + account;
    }

    /** A new account with a password (MySQL, which rewrites it out of its logs) or a native hash (MariaDB). */
    static String createUser(String account, boolean hashed) {
        return "CREATE USER " + account + (hashed ? " IDENTIFIED BY PASSWORD ?" : " IDENTIFIED BY ?");
    }

    static String dropUser(String account) {
        return "DROP USER " + account;
    }

    /** Sets another account's password itself (caching_sha2_password, ed25519, parsec hash on the server). */
    static String setPasswordStatement(String account, Optional<MySqlServerVersion> version) {
        return alterUserSupported(version) ? "ALTER USER " + account + " IDENTIFIED BY ?"
                : "SET PASSWORD FOR " + account + " = PASSWORD(?)";
    }

    /** The statement that sets a native account's password from its hash (one placeholder), per server. */
    static String setPasswordHash(String account, MySqlServerVersion version) {
        if (version.flavor() == MySqlServerVersion.Flavor.MARIADB) {
            return alterUserSupported(Optional.of(version))
                    ? "ALTER USER " + account + " IDENTIFIED BY PASSWORD ?" : "SET PASSWORD FOR " + account + " = ?";
        }
        // MySQL 5.7.6+ takes a quoted SET PASSWORD value as the password itself; AS names the hash.
        return version.changesOwnPasswordWithAlterUser()
                ? "ALTER USER " + account + " IDENTIFIED WITH mysql_native_password AS ?"
                : "SET PASSWORD FOR " + account + " = ?";
    }

    /** One step towards the current user's grants. */
    static String render(MySqlGrants.Change change, String target) {
        if (change instanceof MySqlGrants.GrantPrivileges grant) {
            return "GRANT " + String.join(", ", grant.privileges()) + " ON " + grant.object() + " TO " + target;
        }
        if (change instanceof MySqlGrants.RevokePrivileges revoke) {
            return "REVOKE " + String.join(", ", revoke.privileges()) + " ON " + revoke.object() + " FROM " + target;
        }
        if (change instanceof MySqlGrants.GrantOption option) {
            return "GRANT " + option.privilege() + " ON " + option.object() + " TO " + target + " WITH GRANT OPTION";
        }
        if (change instanceof MySqlGrants.RevokeGrantOption option) {
            return "REVOKE GRANT OPTION ON " + option.object() + " FROM " + target;
        }
        if (change instanceof MySqlGrants.GrantRole role) {
            return "GRANT " + role.role() + " TO " + target + (role.adminOption() ? " WITH ADMIN OPTION" : "");
        }
        if (change instanceof MySqlGrants.RevokeRole role) {
            return "REVOKE " + role.role() + " FROM " + target;
        }
        if (change instanceof MySqlGrants.SetDefaultRole role) {
            return "SET DEFAULT ROLE " + role.role().orElse("NONE") + " FOR " + target;
        }
        throw new IllegalArgumentException("unknown change " + change.getClass().getSimpleName());
    }

    /** MySQL 8+: the default roles are set with SET DEFAULT ROLE ... TO. */
    static String setDefaultRoles(List<String> roles, String account) {
        return "SET DEFAULT ROLE " + (roles.isEmpty() ? "NONE" : String.join(", ", roles)) + " TO " + account;
    }

    /** {@code requirement} is SSL, X509, NONE or CIPHER ? / ISSUER ? / SUBJECT ? joined by AND. */
    static String requireTls(String account, String requirement, Optional<MySqlServerVersion> version) {
        return (alterUserSupported(version) ? "ALTER USER " + account : "GRANT USAGE ON *.* TO " + account)
                + " REQUIRE " + requirement;
    }

    // ---- The engine ------------------------------------------------------------------------------

    /** What a login and a query load first (their dependencies follow); primed ahead of the first request. */
    static final List<String> LOGIN_CLASSES = List.of(
            "com.mysql.cj.jdbc.ConnectionImpl",
            "com.mysql.cj.NativeSession",
            "com.mysql.cj.protocol.a.NativeProtocol",
            "com.mysql.cj.protocol.a.NativeAuthenticationProvider",
            "com.mysql.cj.protocol.a.NativeServerSession",
            "com.mysql.cj.protocol.a.authentication.MysqlNativePasswordPlugin",
            "com.mysql.cj.protocol.a.authentication.CachingSha2PasswordPlugin",
            "com.mysql.cj.protocol.a.TextResultsetReader",
            "com.mysql.cj.jdbc.StatementImpl",
            "com.mysql.cj.jdbc.ClientPreparedStatement",
            "com.mysql.cj.jdbc.result.ResultSetImpl",
            "com.mysql.cj.jdbc.result.ResultSetFactory");

    /** The MySQL family; the reference functions' default exclusions. */
    static final EngineDescription DESCRIPTION = EngineDescription.of(Engine.MYSQL, "/@\"'\\", LOGIN_CLASSES);

    /**
     * The environment variable holding the longest user name the server accepts; MySQL 5.7+ and
     * Aurora MySQL 2+ allow 32 characters (the default), MySQL 5.6 only 16, MariaDB 80.
     */
    public static final String MAX_USERNAME_LENGTH = "MAX_USERNAME_LENGTH";
    static final int DEFAULT_MAX_USERNAME_LENGTH = 32;
    static final int LARGEST_MAX_USERNAME_LENGTH = 128;


    /**
     * Global privileges (on {@code *.*}) that give power over other accounts, the server or data
     * beyond what grants on schema objects give; a user holding one is never taken over as the other
     * user of a pair. From the MySQL 8.0-9.x and MariaDB 10.x/11.x privilege lists: the static
     * administrative privileges (less SHOW DATABASES, which only lists names), MySQL's dynamic
     * privileges, and MariaDB's split of SUPER. {@code ALL PRIVILEGES} and {@code WITH GRANT OPTION}
     * on {@code *.*} count too.
     */
    static final Set<String> GLOBAL_ADMINISTRATIVE_PRIVILEGES = Set.of(
            MySqlGrants.ALL, "GRANT OPTION", "SUPER", "CREATE USER", "CREATE ROLE", "DROP ROLE", "RELOAD", "SHUTDOWN",
            "PROCESS", "FILE", "CREATE TABLESPACE", "REPLICATION SLAVE", "REPLICATION CLIENT",
            // MariaDB 10.5+
            "BINLOG ADMIN", "BINLOG MONITOR", "BINLOG REPLAY", "CONNECTION ADMIN", "FEDERATED ADMIN",
            "READ_ONLY ADMIN", "REPLICATION MASTER ADMIN", "REPLICATION SLAVE ADMIN", "REPLICA MONITOR",
            "SLAVE MONITOR", "SET USER", "SHOW CREATE ROUTINE",
            // MySQL 8+ dynamic privileges
            "APPLICATION_PASSWORD_ADMIN", "AUDIT_ABORT_EXEMPT", "AUDIT_ADMIN", "AUTHENTICATION_POLICY_ADMIN",
            "BACKUP_ADMIN", "BINLOG_ADMIN", "BINLOG_ENCRYPTION_ADMIN", "CLONE_ADMIN", "CONNECTION_ADMIN",
            "ENCRYPTION_KEY_ADMIN", "FIREWALL_ADMIN", "FIREWALL_EXEMPT", "FIREWALL_USER", "FLUSH_OPTIMIZER_COSTS",
            "FLUSH_PRIVILEGES", "FLUSH_STATUS", "FLUSH_TABLES", "FLUSH_USER_RESOURCES", "GROUP_REPLICATION_ADMIN",
            "GROUP_REPLICATION_STREAM", "INNODB_REDO_LOG_ARCHIVE", "INNODB_REDO_LOG_ENABLE",
            "MASKING_DICTIONARIES_ADMIN", "NDB_STORED_USER", "PASSWORDLESS_USER_ADMIN",
            "PERSIST_RO_VARIABLES_ADMIN", "REPLICATION_APPLIER", "REPLICATION_SLAVE_ADMIN", "RESOURCE_GROUP_ADMIN",
            "RESOURCE_GROUP_USER", "ROLE_ADMIN", "SENSITIVE_VARIABLES_OBSERVER", "SERVICE_CONNECTION_ADMIN",
            "SESSION_VARIABLES_ADMIN", "SET_ANY_DEFINER", "ALLOW_NONEXISTENT_DEFINER", "SET_USER_ID", "SHOW_ROUTINE",
            "SKIP_QUERY_REWRITE", "SYSTEM_USER", "SYSTEM_VARIABLES_ADMIN", "TABLE_ENCRYPTION_ADMIN",
            "TELEMETRY_LOG_ADMIN", "TRANSACTION_GTID_TAG", "VERSION_TOKEN_ADMIN", "XA_RECOVER_ADMIN");

    private static final String UNGUESSABLE_CHARACTERS =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789#%+-.:=^_~";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * After {@code IDENTIFIED}: a native hash as the only method. MariaDB prints {@code BY PASSWORD '*...'}
     * (or {@code VIA mysql_native_password USING '*...'}, where {@code OR} would add another method),
     * MySQL {@code WITH 'mysql_native_password' AS '*...'} (where {@code AND} would add a factor).
     */
    private static final Pattern NATIVE_ONLY = Pattern.compile("(?is)\\s*(?:BY\\s+PASSWORD"
            + "|VIA\\s+`?mysql_native_password`?\\s+(?:USING|AS)|WITH\\s+'?mysql_native_password'?\\s+AS)"
            + "\\s+'\\*[0-9A-F]{40}'(?:\\s++(?!OR\\b|AND\\b).*)?\\s*");

    /** Error codes a server answers when it refuses the user name or password. */
    private static final Set<Integer> AUTHENTICATION_ERRORS = Set.of(
            1045, // ER_ACCESS_DENIED_ERROR: wrong user name or password
            1698, // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
            1862, // ER_MUST_CHANGE_PASSWORD_LOGIN: password expired
            3118, // ER_ACCOUNT_HAS_BEEN_LOCKED
            3955, // ER_USER_ACCESS_DENIED_FOR_USER_ACCOUNT_BLOCKED_BY_PASSWORD_LOCK
            4151); // ER_ACCOUNT_HAS_BEEN_LOCKED (MariaDB)

    /** Loaded on the first login: createSecret and finishSecret never connect, and their cold starts skip the driver. */
    private static final class Drivers {
        static final Driver MYSQL = newDriver();
    }

    @Override
    public EngineDescription description() {
        return DESCRIPTION;
    }

    @Override
    public Connection connect(ConnectRequest request) throws SQLException {
        DatabaseSecret secret = request.secret();
        String url = jdbcUrl(secret.host(), request.port(DESCRIPTION.defaultPort()), secret.dbname());
        Connection connection;
        try {
            connection = Drivers.MYSQL.connect(url, connectionProperties(secret.username(), secret.password(),
                    request.tls(), request.settings()));
        } catch (SQLException e) {
            throw explained(e);
        }
        if (connection == null) {
            throw new SQLNonTransientConnectionException("Connector/J did not accept the connection URL", "08001");
        }
        return connection;
    }

    /** The JDBC URL: host, port and database only; credentials travel as properties. */
    static String jdbcUrl(String host, int port, Optional<String> dbname) throws SQLException {
        String path = dbname.filter(name -> !name.isEmpty())
                .map(name -> URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                .orElse("");
        return "jdbc:mysql://" + JdbcHost.forUrl(host) + ":" + JdbcHost.checkPort(port) + "/" + path;
    }

    static Properties connectionProperties(String user, String password, Tls tls, ConnectionSettings settings)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user == null ? "" : user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("connectTimeout", Long.toString(millis(settings.connectTimeout())));
        props.setProperty("socketTimeout", Long.toString(millis(settings.queryTimeout())));
        // User names may be non-ASCII; the handshake and statements must agree with the server on UTF-8.
        props.setProperty("characterEncoding", "UTF-8");
        props.setProperty("passwordCharacterEncoding", "UTF-8");
        // See the class comment: the placeholder after IDENTIFIED BY only works client-side.
        props.setProperty("useServerPrepStmts", "false");
        props.setProperty("sessionVariables", SESSION_SQL_MODE);
        props.setProperty("allowLoadLocalInfile", "false");
        props.setProperty("autoReconnect", "false");
        props.setProperty("connectionAttributes", "none");
        try {
            DriverTls.apply(Engine.MYSQL, tls == Tls.VERIFY, settings.caBundle(), settings.allowPublicKeyRetrieval(),
                    props);
        } catch (IOException e) {
            throw new SQLNonTransientConnectionException(e.getMessage(), "08001", e);
        }
        return props;
    }

    /** Connector/J's bare "Public Key Retrieval is not allowed" becomes an error an operator can act on. */
    private static SQLException explained(SQLException e) {
        String keyRefused = Messages.getString("Sha256PasswordPlugin.2");
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(keyRefused)) {
                return new SQLNonTransientConnectionException("the server wants the password encrypted with its RSA"
                        + " public key (caching_sha2_password or sha256_password without TLS); fetched over plaintext,"
                        + " that key may be a man in the middle's, who would then read the password, so it is not"
                        + " fetched: use TLS (ssl: true), or set " + ConnectionSettings.ALLOW_PUBLIC_KEY_RETRIEVAL
                        + "=true to accept that risk", e.getSQLState(), e.getErrorCode(), e);
            }
        }
        return e;
    }

    /**
     * Authentication: SQLState 28000 or one of {@link #AUTHENTICATION_ERRORS}. A server without TLS:
     * Connector/J checks the server's CLIENT_SSL capability before the handshake and throws its own
     * message {@code MysqlIO.15} ("SSL Connection required, but not provided by server.") as an
     * UnableToConnectException, wrapped in SQLState 08001 like every other connection failure, so
     * only the message tells it apart; it is compared with the driver's own text.
     */
    @Override
    public LoginFailure classify(SQLException failure) {
        String tlsMissing = Messages.getString("MysqlIO.15");
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && ("28000".equals(sql.getSQLState()) || AUTHENTICATION_ERRORS.contains(sql.getErrorCode()))) {
                return LoginFailure.AUTHENTICATION;
            }
            if (t.getMessage() != null && t.getMessage().contains(tlsMissing)) {
                return LoginFailure.TLS_UNAVAILABLE;
            }
        }
        return LoginFailure.OTHER;
    }

    @Override
    public PasswordChange changeOwnPassword(PasswordChangeRequest request) throws SQLException {
        Connection connection = request.connection();
        String newPassword = request.newPassword();
        String reported = serverVersion(connection);
        Optional<MySqlServerVersion> version = MySqlServerVersion.parse(reported);
        String server = version.map(Object::toString).orElse("an unrecognised server");
        // An unreadable version is taken as a modern MySQL: ALTER USER fails with a clear error on
        // an old one, whereas PASSWORD() sent to MySQL 8.0.11+ is a syntax error.
        boolean alterUser = version.map(MySqlServerVersion::changesOwnPasswordWithAlterUser).orElse(true);
        if (!alterUser && !version.get().hasPasswordFunction()) {
            throw new SQLException("no statement known to change one's own password on " + server);
        }
        String statement = alterUser ? ALTER_OWN_PASSWORD : SET_OWN_PASSWORD_LEGACY;
        try {
            if (alterUser) {
                // ALTER USER CURRENT_USER() takes only the password itself; MySQL rewrites it out of its logs.
                execute(connection, ALTER_OWN_PASSWORD, newPassword);
            } else if (nativePasswordOnly(ownGrants(connection))) {
                statement = SET_OWN_PASSWORD_HASH + " (a mysql_native_password hash)";
                execute(connection, SET_OWN_PASSWORD_HASH, nativePasswordHash(newPassword));
            } else {
                // ed25519, parsec: the server hashes; the password is bound, and the server's logs may keep it.
                execute(connection, SET_OWN_PASSWORD_LEGACY, newPassword);
            }
            return new PasswordChange(statement);
        } catch (SQLException e) {
            if (!alterUser || e.getErrorCode() != ER_MISSING_CURRENT_PASSWORD) {
                throw failed(alterUser ? "ALTER USER" : "SET PASSWORD", server, e);
            }
            // password_require_current=ON (MySQL 8.0.13+, a CIS benchmark setting): the server wants
            // the password this session logged in with, which is the one in the secret.
            try {
                execute(connection, ALTER_OWN_PASSWORD_REPLACING, newPassword, request.loggedInAs().password());
                return new PasswordChange(ALTER_OWN_PASSWORD_REPLACING);
            } catch (SQLException again) {
                throw failed("ALTER USER ... REPLACE", server, again);
            }
        }
    }

    /** The statement and server named; the message may quote the statement, which the protocol's sanitizer scrubs. */
    private static SQLException failed(String statement, String server, SQLException e) {
        return new SQLException(statement + " for the current user failed on " + server + ": " + e.getMessage(),
                e.getSQLState(), e.getErrorCode(), e);
    }

    private static List<String> ownGrants(Connection connection) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(OWN_GRANTS_QUERY)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }

    private static void execute(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }

    static String serverVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(VERSION_QUERY)) {
            if (!rows.next()) {
                throw new SQLException("SELECT VERSION() returned no row");
            }
            return rows.getString(1);
        }
    }

    private static String sessionSqlMode() {
        String modes = "CONCAT(',', @@SESSION.sql_mode, ',')";
        for (String mode : CLEARED_SQL_MODES) {
            modes = "REPLACE(" + modes + ", '," + mode + ",', ',')";
        }
        return "sql_mode=TRIM(BOTH ',' FROM " + modes + ")";
    }

    private static long millis(Duration duration) {
        // Connector/J reads 0 as "wait forever"; a configured duration always means a real limit.
        return Math.max(1, duration.toMillis());
    }

    private static Driver newDriver() {
        try {
            return new Driver();
        } catch (SQLException e) {
            throw new IllegalStateException("MySQL Connector/J cannot be loaded", e);
        }
    }

    // ---- Alternating users, as the master ----------------------------------------------------------

    @Override
    public UsernameLimit usernameLimit(Map<String, String> environment) {
        return UsernameLimit.charactersFromEnvironment(environment, MAX_USERNAME_LENGTH, DEFAULT_MAX_USERNAME_LENGTH,
                LARGEST_MAX_USERNAME_LENGTH, "MySQL 5.7+ allows " + DEFAULT_MAX_USERNAME_LENGTH);
    }

    @Override
    public boolean currentUserExists(AdminRequest request) throws SQLException {
        return !hosts(request.admin(), request.currentUser()).isEmpty();
    }

    /**
     * Refuses an existing {@code otherUser} that the pair does not manage: the clone must only ever
     * gain what the current user has, so an other user that holds anything else (or is the master,
     * or an administrator) is someone else's account, which the secret's author would otherwise take
     * over. Reads only; refuses before {@link #ensureUser} changes anything.
     */
    @Override
    public void requireManageable(AdminRequest request) throws SQLException {
        Connection admin = request.admin();
        String currentUser = request.currentUser();
        String otherUser = request.otherUser();
        Set<String> otherHosts = hosts(admin, otherUser);
        if (otherHosts.isEmpty()) {
            return;
        }
        if (otherUser.equals(request.masterUser())) {
            throw notManaged(otherUser, currentUser, "it is the master user of the secret named by key 'masterarn'");
        }
        Set<String> currentHosts = hosts(admin, currentUser);
        for (String host : otherHosts) {
            if (!currentHosts.contains(host)) {
                throw notManaged(otherUser, currentUser, "it has an account on host '" + host + "', where user '"
                        + currentUser + "' has none (rotation would have to drop it)");
            }
        }
        for (String host : otherHosts) {
            MySqlGrants other = grants(admin, otherUser, host);
            MySqlGrants current = grants(admin, currentUser, host);
            MySqlGrants.ObjectGrant global = other.objects().get("*.*");
            if (global != null) {
                List<String> administrative = new ArrayList<>();
                for (String privilege : global.privileges()) {
                    if (GLOBAL_ADMINISTRATIVE_PRIVILEGES.contains(privilege)) {
                        administrative.add(privilege);
                    }
                }
                if (global.grantOption()) {
                    administrative.add("GRANT OPTION");
                }
                if (!administrative.isEmpty()) {
                    throw notManaged(otherUser, currentUser, "its account on host '" + host + "' holds global"
                            + " administrative privileges (" + String.join(", ", administrative) + " ON *.*)");
                }
            }
            for (String role : other.roles().keySet()) {
                if (!current.roles().containsKey(role)) {
                    throw notManaged(otherUser, currentUser, "its account on host '" + host + "' holds role " + role
                            + ", which user '" + currentUser + "' does not");
                }
            }
            for (Map.Entry<String, MySqlGrants.ObjectGrant> object : other.objects().entrySet()) {
                if (holds(object.getValue()) && !holds(current.objects().get(object.getKey()))) {
                    throw notManaged(otherUser, currentUser, "its account on host '" + host + "' holds privileges on "
                            + object.getKey() + ", on which user '" + currentUser + "' holds none");
                }
            }
        }
    }

    private static boolean holds(MySqlGrants.ObjectGrant grant) {
        return grant != null && (!grant.privileges().isEmpty() || grant.grantOption());
    }

    private static RotationException notManaged(String otherUser, String currentUser, String reason) {
        return new RotationException("user '" + otherUser + "' exists and is not a user this pair manages: " + reason
                + ". Alternating users give user '" + otherUser + "' only what user '" + currentUser + "' holds and"
                + " never take over an existing user that holds anything else; to take a privilege away from the"
                + " pair, revoke it from both users. Nothing was changed");
    }

    /** Accounts the user is missing get a random password nobody knows; setPassword replaces it. */
    @Override
    public AdminChanges ensureUser(AdminRequest request) throws SQLException {
        Connection admin = request.admin();
        String username = request.otherUser();
        boolean mariaDb = isMariaDb(MySqlServerVersion.parse(serverVersion(admin)));
        Set<String> have = hosts(admin, username);
        List<String> created = new ArrayList<>();
        for (String host : hosts(admin, request.currentUser())) {
            if (!have.contains(host)) {
                String unguessable = unguessablePassword();
                // MariaDB would log a password literal; MySQL rewrites it, and may not offer mysql_native_password.
                runWithPassword(admin, createUser(account(username, host), mariaDb),
                        mariaDb ? nativePasswordHash(unguessable) : unguessable, "CREATE USER " + describe(username, host));
                created.add("created account " + describe(username, host));
            }
        }
        return AdminChanges.of(created);
    }

    @Override
    public AdminChanges synchronizePrivileges(AdminRequest request) throws SQLException {
        Connection admin = request.admin();
        String source = request.currentUser();
        String target = request.otherUser();
        List<String> log = new ArrayList<>();
        Optional<MySqlServerVersion> version = MySqlServerVersion.parse(serverVersion(admin));
        Set<String> sourceHosts = hosts(admin, source);
        Set<String> targetHosts = hosts(admin, target);
        // Every host's grants are read and understood before the first change, so that a line the
        // parser refuses changes nothing anywhere.
        Map<String, List<MySqlGrants.Change>> changes = new LinkedHashMap<>();
        for (String host : sourceHosts) {
            if (!targetHosts.contains(host)) {
                throw new SQLException("user " + describe(target, host) + " does not exist");
            }
            changes.put(host, MySqlGrants.diff(grants(admin, source, host), grants(admin, target, host)));
        }
        for (Map.Entry<String, List<MySqlGrants.Change>> host : changes.entrySet()) {
            for (MySqlGrants.Change change : host.getValue()) {
                String sql = render(change, account(target, host.getKey()));
                try {
                    execute(admin, sql);
                } catch (SQLException e) {
                    if (GRANT_REFUSED.contains(e.getErrorCode())) {
                        throw cannotGrant(request.masterUser(), source, target, sql, e);
                    }
                    throw e;
                }
                log.add(sql);
            }
            if (isMySql8(version)) {
                syncMySqlDefaultRoles(admin, source, target, host.getKey(), log);
            }
            syncTlsRequirement(admin, source, target, host.getKey(), version, log);
        }
        for (String host : targetHosts) {
            if (!sourceHosts.contains(host)) {
                // requireManageable refuses an existing other user with such an account; only a
                // half-done earlier attempt of this pair can leave one.
                execute(admin, dropUser(account(target, host)));
                log.add("dropped account " + describe(target, host) + ": user '" + source
                        + "' has no account on that host");
            }
        }
        return AdminChanges.of(log);
    }

    /** ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR, ER_SPECIFIC_ACCESS_DENIED_ERROR. */
    private static final Set<Integer> GRANT_REFUSED = Set.of(1044, 1142, 1143, 1227);

    /**
     * The master may grant only what it holds WITH GRANT OPTION. The usual gap: MariaDB 11.3 added SHOW CREATE
     * ROUTINE, which ALL PRIVILEGES on a database includes, and a master granted the privilege list of older
     * versions lacks it.
     */
    private static RotationException cannotGrant(String master, String source, String target, String sql,
            SQLException e) {
        return new RotationException("the master user '" + master + "' cannot grant user '" + target + "' what user '"
                + source + "' holds: the server refused " + sql + " (" + e.getMessage() + " [error " + e.getErrorCode()
                + "]). The master needs every privilege the application user holds, WITH GRANT OPTION; on MariaDB"
                + " 11.3 and later ALL PRIVILEGES includes SHOW CREATE ROUTINE, so a master set up for older versions"
                + " needs: GRANT SHOW CREATE ROUTINE ON *.* TO '" + master + "'@'%' WITH GRANT OPTION. The user '"
                + target + "' has no password anyone knows; the password of '" + source + "' was not changed", e);
    }

    @Override
    public PasswordChange setPassword(AdminRequest request, String password) throws SQLException {
        Connection admin = request.admin();
        String username = request.otherUser();
        Optional<MySqlServerVersion> version = MySqlServerVersion.parse(serverVersion(admin));
        Set<String> hosts = hosts(admin, username);
        if (hosts.isEmpty()) {
            throw new SQLException("user '" + username + "' does not exist");
        }
        String hash = nativePasswordHash(password);
        Set<String> methods = new LinkedHashSet<>();
        for (String host : hosts) {
            String what = "setting the password of " + describe(username, host);
            if (usesNativePasswordOnly(admin, username, host, version)) {
                runWithPassword(admin, setPasswordHash(account(username, host), version.orElseThrow()), hash, what);
                methods.add("a mysql_native_password hash");
            } else {
                // caching_sha2_password, sha256_password, ed25519, parsec hash on the server: they need the password.
                runWithPassword(admin, setPasswordStatement(account(username, host), version), password, what);
                methods.add("the password, bound as a parameter");
            }
        }
        return new PasswordChange(String.join(" and ", methods));
    }

    /**
     * Whether the account logs in with mysql_native_password alone, from the identification clause
     * of SHOW GRANTS (MariaDB, MySQL before 5.7.6) or SHOW CREATE USER (MySQL 5.7.6+). False on a
     * server of unknown version: the password is then sent as before.
     */
    private static boolean usesNativePasswordOnly(Connection admin, String username, String host,
            Optional<MySqlServerVersion> version) throws SQLException {
        if (version.isEmpty()) {
            return false;
        }
        if (isMariaDb(version) || !version.get().changesOwnPasswordWithAlterUser()) {
            return nativePasswordOnly(showGrants(admin, username, host));
        }
        List<String> lines = new ArrayList<>();
        try (Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(showCreateUser(account(username, host)))) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return nativePasswordOnly(lines);
    }

    // ---- Reading -----------------------------------------------------------------------------------

    static Set<String> hosts(Connection admin, String username) throws SQLException {
        Set<String> hosts = new LinkedHashSet<>();
        try (PreparedStatement statement = admin.prepareStatement(ACCOUNT_HOSTS)) {
            statement.setString(1, username);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    hosts.add(rows.getString(1));
                }
            }
        }
        return hosts;
    }

    /** The account's grants, understood completely or not at all (see {@link MySqlGrants#parse}). */
    static MySqlGrants grants(Connection admin, String username, String host) throws SQLException {
        return MySqlGrants.parse(showGrants(admin, username, host), describe(username, host));
    }

    static List<String> showGrants(Connection admin, String username, String host) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(showGrants(account(username, host)))) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }

    // ---- Writing -----------------------------------------------------------------------------------

    /** MySQL 8+: the default roles live in mysql.default_roles and are set with SET DEFAULT ROLE ... TO. */
    private static void syncMySqlDefaultRoles(Connection admin, String source, String target, String host,
            List<String> log) throws SQLException {
        List<String> want = defaultRoles(admin, source, host);
        if (want.equals(defaultRoles(admin, target, host))) {
            return;
        }
        String sql = setDefaultRoles(want, account(target, host));
        execute(admin, sql);
        log.add(sql);
    }

    private static List<String> defaultRoles(Connection admin, String username, String host) throws SQLException {
        List<String> roles = new ArrayList<>();
        try (PreparedStatement statement = admin.prepareStatement(MYSQL_DEFAULT_ROLES)) {
            statement.setString(1, username);
            statement.setString(2, host);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    roles.add(account(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return roles;
    }

    /** The ssl_type column: '' none, ANY = REQUIRE SSL, X509, SPECIFIED = CIPHER/ISSUER/SUBJECT. */
    record TlsRequirement(String type, String cipher, String issuer, String subject) {
        static final TlsRequirement NONE = new TlsRequirement("", "", "", "");
    }

    private static void syncTlsRequirement(Connection admin, String source, String target, String host,
            Optional<MySqlServerVersion> version, List<String> log) throws SQLException {
        TlsRequirement want = tlsRequirement(admin, source, host);
        if (want.equals(tlsRequirement(admin, target, host))) {
            return;
        }
        List<String> values = new ArrayList<>();
        String require;
        switch (want.type()) {
            case "ANY":
                require = "SSL";
                break;
            case "X509":
                require = "X509";
                break;
            case "SPECIFIED": {
                List<String> parts = new ArrayList<>();
                addRequirement(parts, values, "CIPHER", want.cipher());
                addRequirement(parts, values, "ISSUER", want.issuer());
                addRequirement(parts, values, "SUBJECT", want.subject());
                require = parts.isEmpty() ? "SSL" : String.join(" AND ", parts);
                break;
            }
            default:
                require = "NONE";
        }
        String sql = requireTls(account(target, host), require, version);
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                statement.setString(i + 1, values.get(i));
            }
            statement.execute();
        }
        log.add("set TLS requirement of " + describe(target, host) + " to REQUIRE " + require);
    }

    private static void addRequirement(List<String> parts, List<String> values, String keyword, String value) {
        if (value != null && !value.isEmpty()) {
            parts.add(keyword + " ?");
            values.add(value);
        }
    }

    private static TlsRequirement tlsRequirement(Connection admin, String username, String host) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(TLS_REQUIREMENT)) {
            statement.setString(1, username);
            statement.setString(2, host);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return TlsRequirement.NONE;
                }
                return new TlsRequirement(text(rows, 1).toUpperCase(java.util.Locale.ROOT), text(rows, 2),
                        text(rows, 3), text(rows, 4));
            }
        }
    }

    /** The ssl columns are BLOBs on some versions and may be NULL. */
    private static String text(ResultSet rows, int column) throws SQLException {
        byte[] bytes = rows.getBytes(column);
        return bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void execute(Connection admin, String sql) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A statement with one placeholder for a password or its hash; its errors say what it was for. */
    private static void runWithPassword(Connection admin, String sql, String bound, String what) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
            statement.setString(1, bound);
            statement.execute();
        } catch (SQLException e) {
            throw new SQLException(what + " failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    // ---- Names ------------------------------------------------------------------------------------

    /** {@code `user`@`host`}: inside backticks only the backtick itself is special. */
    static String account(String username, String host) {
        return quote(username) + "@" + quote(host);
    }

    static String quote(String identifier) {
        Objects.requireNonNull(identifier, "identifier");
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a MySQL name cannot contain NUL");
        }
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static String describe(String username, String host) {
        return "'" + username + "'@'" + host + "'";
    }

    private static boolean isMariaDb(Optional<MySqlServerVersion> version) {
        return version.map(v -> v.flavor() == MySqlServerVersion.Flavor.MARIADB).orElse(false);
    }

    private static boolean isMySql8(Optional<MySqlServerVersion> version) {
        return version.map(v -> v.flavor() != MySqlServerVersion.Flavor.MARIADB && v.major() >= 8).orElse(false);
    }

    /** ALTER USER ... IDENTIFIED BY / REQUIRE: MySQL 5.7.6+, Aurora MySQL 2+, MariaDB 10.2+. */
    static boolean alterUserSupported(Optional<MySqlServerVersion> version) {
        if (version.isEmpty()) {
            return true;
        }
        MySqlServerVersion v = version.get();
        if (v.flavor() == MySqlServerVersion.Flavor.MARIADB) {
            return v.major() > 10 || (v.major() == 10 && v.minor() >= 2);
        }
        return v.changesOwnPasswordWithAlterUser();
    }

    /** 32 characters from letters, digits and punctuation that need no escaping, each kind present. */
    static String unguessablePassword() {
        StringBuilder password = new StringBuilder();
        password.append((char) ('A' + RANDOM.nextInt(26))).append((char) ('a' + RANDOM.nextInt(26)))
                .append((char) ('2' + RANDOM.nextInt(8))).append('#');
        while (password.length() < 32) {
            password.append(UNGUESSABLE_CHARACTERS.charAt(RANDOM.nextInt(UNGUESSABLE_CHARACTERS.length())));
        }
        return password.toString();
    }

    // ---- mysql_native_password ---------------------------------------------------------------------

    /** {@code *} + upper-case hex of SHA1(SHA1(UTF-8 bytes)), as PASSWORD() computes it for a utf8mb4 session. */
    static String nativePasswordHash(String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            return "*" + HexFormat.of().withUpperCase().formatHex(sha1.digest(once));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * Whether the lines of {@code SHOW GRANTS} or {@code SHOW CREATE USER} say that the account
     * logs in with mysql_native_password and nothing else. False when unsure (no identification
     * clause, another plugin, several methods): the caller then sends the password itself.
     */
    static boolean nativePasswordOnly(List<String> lines) {
        for (String line : lines) {
            int identified = MySqlGrants.topLevelKeyword(line, "IDENTIFIED", 0);
            if (identified >= 0) {
                String rest = line.substring(identified + "IDENTIFIED".length());
                return MySqlGrants.topLevelKeyword(rest, "IDENTIFIED", 0) < 0 && NATIVE_ONLY.matcher(rest).matches();
            }
        }
        return false;
    }
    /**
     * Preflight: the master needs CREATE USER and GRANT OPTION on {@code *.*} (ALL PRIVILEGES covers
     * the first), and to read {@code mysql.user}. Reads its own grants only; privileges it holds only
     * through roles are not expanded, and the detail says so.
     */
    @Override
    public MasterPrivileges masterPrivileges(AdminRequest request) throws SQLException {
        Connection admin = request.admin();
        String account;
        try (Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(CURRENT_ACCOUNT_QUERY)) {
            account = rows.next() ? rows.getString(1) : "";
        }
        int at = account.lastIndexOf('@');
        String user = at < 0 ? account : account.substring(0, at);
        String host = at < 0 ? "%" : account.substring(at + 1);
        MySqlGrants grants = MySqlGrants.parse(ownGrants(admin), describe(user, host));
        MySqlGrants.ObjectGrant global = grants.objects().get("*.*");
        boolean all = global != null && global.all();
        List<String> missing = new ArrayList<>();
        if (!all && (global == null || !global.privileges().contains("CREATE USER"))) {
            missing.add("CREATE USER");
        }
        if (global == null || !global.grantOption()) {
            missing.add("GRANT OPTION");
        }
        try {
            hosts(admin, request.currentUser());
        } catch (SQLException e) {
            missing.add("SELECT on mysql.user");
        }
        String held = global == null || (global.privileges().isEmpty() && !global.grantOption()) ? "nothing on *.*"
                : (all ? MySqlGrants.ALL : String.join(", ", new java.util.TreeSet<>(global.privileges()))) + " ON *.*"
                        + (global.grantOption() ? " WITH GRANT OPTION" : "");
        String roles = grants.roles().isEmpty() ? "" : "; privileges held only through its roles ("
                + String.join(", ", grants.roles().keySet()) + ") are not counted";
        return new MasterPrivileges(true, missing, "account " + describe(user, host) + " holds " + held + roles);
    }

    @Override
    public String toString() {
        return "MySqlEngine";
    }
}
