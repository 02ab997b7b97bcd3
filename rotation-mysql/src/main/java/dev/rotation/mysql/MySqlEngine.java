package dev.rotation.mysql;

import com.mysql.cj.Messages;
import com.mysql.cj.jdbc.Driver;
import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.shared.JdbcHost;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * MySQL, Aurora MySQL and MariaDB through MySQL Connector/J. Every SQL statement this module sends
 * is in this file.
 *
 * <p>The password is changed for the account the connection is logged in as, so the user name
 * never appears in SQL and needs no quoting, and an ordinary user without {@code CREATE USER} or
 * {@code SUPER} may run it: {@code ALTER USER CURRENT_USER()} on MySQL 5.7.6+ and Aurora MySQL,
 * {@code SET PASSWORD} on MariaDB (whose ALTER USER needs CREATE USER even for one's own account)
 * and on MySQL before 5.7.6. {@code PASSWORD()} is never sent to MySQL 8.0.11+, which removed it.
 *
 * <p>On MariaDB and MySQL before 5.7.6 a {@code mysql_native_password} account (its own
 * {@code SHOW GRANTS} says so) gets the hash computed here ({@link MySqlNativePassword}), so the
 * password never reaches a server that would write it to its general log; other plugins (ed25519,
 * parsec) get {@code PASSWORD(?)}. On MySQL 5.7.6+ {@code ALTER USER CURRENT_USER()} accepts only the
 * password itself, which MySQL rewrites out of its general, slow and binary logs.
 *
 * <p>Whatever is sent is bound as a parameter. Connector/J's client-side prepared statement (the
 * default, and forced here, because servers do not accept a placeholder after {@code IDENTIFIED BY}
 * in a server-side prepared statement) sends it as a string literal escaped for the session's
 * {@code sql_mode}.
 */
public final class MySqlEngine implements DatabaseEngine {

    /** The {@code engine} values of secrets this engine rotates. */
    public static final Set<String> ENGINES = Set.of("mysql", "aurora-mysql", "mariadb", "aurora");

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
    public String name() {
        return "mysql";
    }

    @Override
    public int defaultPort() {
        return 3306;
    }

    @Override
    public String defaultExcludedCharacters() {
        return "/@\"'\\";
    }

    /**
     * {@link #ENGINES}: the reference's values plus {@code aurora}, RDS's engine name for Aurora
     * MySQL 5.6-compatible clusters, which some older secrets carry.
     */
    @Override
    public Set<String> secretEngines() {
        return ENGINES;
    }

    @Override
    public Connection connect(DatabaseSecret secret, Tls tls, ConnectionSettings settings) throws SQLException {
        String url = jdbcUrl(secret.host(), secret.port().orElse(defaultPort()), secret.dbname());
        Connection connection;
        try {
            connection = Drivers.MYSQL.connect(url, connectionProperties(secret.username(), secret.password(), tls,
                    settings));
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
        if (tls == Tls.VERIFY) {
            props.setProperty("sslMode", "VERIFY_IDENTITY");
            Optional<Path> bundle = settings.caBundle();
            if (bundle.isPresent()) {
                Path store = PemTrustStore.forBundle(bundle.get());
                props.setProperty("trustCertificateKeyStoreUrl", store.toUri().toString());
                props.setProperty("trustCertificateKeyStoreType", PemTrustStore.STORE_TYPE);
                props.setProperty("trustCertificateKeyStorePassword", PemTrustStore.STORE_PASSWORD);
                props.setProperty("fallbackToSystemTrustStore", "false");
            } else {
                props.setProperty("fallbackToSystemTrustStore", "true");
            }
        } else {
            props.setProperty("sslMode", "DISABLED");
            // caching_sha2_password (the MySQL 8+ default) without TLS sends the password encrypted with
            // the server's RSA key, which the client must fetch whenever the server's login cache is
            // cold - and it always is right after a password change. But a key fetched over plaintext
            // is whatever a man in the middle sends: he decrypts the password with his own key. So only
            // when the operator accepts that risk explicitly; TLS needs no key.
            props.setProperty("allowPublicKeyRetrieval", Boolean.toString(settings.allowPublicKeyRetrieval()));
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
    public void changeOwnPassword(Connection connection, DatabaseSecret secret, String newPassword) throws SQLException {
        String reported = serverVersion(connection);
        Optional<MySqlServerVersion> version = MySqlServerVersion.parse(reported);
        String server = version.map(Object::toString).orElse("an unrecognised server");
        // An unreadable version is taken as a modern MySQL: ALTER USER fails with a clear error on
        // an old one, whereas PASSWORD() sent to MySQL 8.0.11+ is a syntax error.
        boolean alterUser = version.map(MySqlServerVersion::changesOwnPasswordWithAlterUser).orElse(true);
        if (!alterUser && !version.get().hasPasswordFunction()) {
            throw new SQLException("no statement known to change one's own password on " + server);
        }
        String hash = MySqlNativePassword.hash(newPassword);
        String[] passwords = {newPassword, secret.password(), hash};
        try {
            if (alterUser) {
                // ALTER USER CURRENT_USER() takes only the password itself; MySQL rewrites it out of its logs.
                execute(connection, ALTER_OWN_PASSWORD, newPassword);
            } else if (MySqlNativePassword.isOnlyMethod(ownGrants(connection))) {
                execute(connection, SET_OWN_PASSWORD_HASH, hash);
            } else {
                // ed25519, parsec: the server hashes; the password is bound, and the server's logs may keep it.
                execute(connection, SET_OWN_PASSWORD_LEGACY, newPassword);
            }
        } catch (SQLException e) {
            if (!alterUser || e.getErrorCode() != ER_MISSING_CURRENT_PASSWORD) {
                throw scrubbed(alterUser ? "ALTER USER" : "SET PASSWORD", server, e, passwords);
            }
            // password_require_current=ON (MySQL 8.0.13+, a CIS benchmark setting): the server wants
            // the password this session logged in with, which is the one in the secret.
            try {
                execute(connection, ALTER_OWN_PASSWORD_REPLACING, newPassword, secret.password());
            } catch (SQLException again) {
                throw scrubbed("ALTER USER ... REPLACE", server, again, passwords);
            }
        }
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

    /**
     * A server error may quote the statement ("... near '<password>'"): the error is rebuilt without
     * the driver's cause chain and with every trace of the passwords removed.
     */
    private static SQLException scrubbed(String statement, String server, SQLException e, String... passwords) {
        String message = e.getMessage();
        for (String password : passwords) {
            message = Redaction.scrub(message, password);
        }
        return new SQLException(statement + " for the current user failed on " + server + ": " + message,
                e.getSQLState(), e.getErrorCode());
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

    @Override
    public String toString() {
        return "MySqlEngine";
    }
}
