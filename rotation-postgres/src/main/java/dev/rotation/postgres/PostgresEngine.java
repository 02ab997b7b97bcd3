package dev.rotation.postgres;

import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.shared.JdbcHost;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.util.GT;

/**
 * PostgreSQL and Aurora PostgreSQL through pgjdbc. Every SQL statement this module sends is in this
 * file.
 *
 * <p>The password is changed with pgjdbc's {@link PGConnection#alterUserPassword}: the driver
 * computes the SCRAM-SHA-256 verifier on the client and sends {@code ALTER USER "name" PASSWORD
 * 'SCRAM-SHA-256$...'} with the role name quoted as an identifier, so the plaintext password never
 * reaches the server, its logs or pg_stat_statements. An ordinary role may change its own password.
 */
public final class PostgresEngine implements DatabaseEngine {

    /** The {@code engine} values of secrets this engine rotates. */
    public static final Set<String> ENGINES = Set.of("postgres", "aurora-postgresql");
    /** The database logged in to when the secret has no {@code dbname}, as the reference does. */
    public static final String DEFAULT_DATABASE = "postgres";

    /** Act as the login role itself, even if its settings switch to another role at login. */
    static final String BECOME_LOGIN_ROLE = "SET ROLE NONE";
    /** The role that logged in, whose password is changed. */
    static final String LOGIN_ROLE_QUERY = "SELECT session_user";
    /** Hashing done by pgjdbc on the client; the name PostgreSQL's password_encryption uses. */
    static final String PASSWORD_ENCRYPTION = "scram-sha-256";

    /** The first PostgreSQL version that stores SCRAM-SHA-256 verifiers. */
    static final int MIN_SCRAM_VERSION = 10;

    /** invalid_password, and invalid_authorization_specification (no pg_hba.conf entry, unknown role). */
    private static final Set<String> AUTHENTICATION_STATES = Set.of("28P01", "28000");
    /** pgjdbc's PSQLState.CONNECTION_REJECTED, which its "server does not support SSL" error carries. */
    private static final String CONNECTION_REJECTED = "08004";
    private static final String NO_SSL_MESSAGE = "The server does not support SSL.";

    /** Loaded on the first login: createSecret and finishSecret never connect, and their cold starts skip the driver. */
    private static final class Drivers {
        static final Driver POSTGRES = new Driver();
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Set<String> secretEngines() {
        return ENGINES;
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    /** The reference's MySQL set plus {@code :}, which would break .pgpass lines. */
    @Override
    public String defaultExcludedCharacters() {
        return "/@\"'\\:";
    }

    @Override
    public Connection connect(DatabaseSecret secret, Tls tls, ConnectionSettings settings) throws SQLException {
        String url = jdbcUrl(secret.host(), secret.port().orElse(defaultPort()), secret.dbname().orElse(DEFAULT_DATABASE));
        Connection connection = Drivers.POSTGRES.connect(url, connectionProperties(secret.username(), secret.password(), tls, settings));
        if (connection == null) {
            throw new SQLNonTransientConnectionException("pgjdbc did not accept the connection URL", "08001");
        }
        return connection;
    }

    /** The JDBC URL: host, port and database only; credentials travel as properties. */
    static String jdbcUrl(String host, int port, String dbname) throws SQLException {
        // pgjdbc URL-decodes the database name (with '+' meaning a space).
        return "jdbc:postgresql://" + JdbcHost.forUrl(host) + ":" + JdbcHost.checkPort(port) + "/"
                + URLEncoder.encode(dbname, StandardCharsets.UTF_8);
    }

    static Properties connectionProperties(String user, String password, Tls tls, ConnectionSettings settings) {
        Properties props = new Properties();
        props.setProperty("user", user == null ? "" : user);
        props.setProperty("password", password == null ? "" : password);
        String connectSeconds = Long.toString(seconds(settings.connectTimeout()));
        props.setProperty("connectTimeout", connectSeconds);
        props.setProperty("loginTimeout", connectSeconds);
        props.setProperty("socketTimeout", Long.toString(seconds(settings.queryTimeout())));
        props.setProperty("ApplicationName", "secrets-manager-rotation");
        // No Kerberos: a GSS attempt would only add a round trip or a surprise.
        props.setProperty("gssEncMode", "disable");
        if (tls == Tls.VERIFY) {
            props.setProperty("sslmode", "verify-full");
            if (settings.caBundle().isPresent()) {
                props.setProperty("sslrootcert", settings.caBundle().get().toAbsolutePath().toString());
            } else {
                // The JVM's trust store; pgjdbc still verifies the host name under verify-full.
                props.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
            }
        } else {
            props.setProperty("sslmode", "disable");
        }
        return props;
    }

    /**
     * Authentication: SQLState 28P01 or 28000. A server without TLS answers the SSLRequest with 'N';
     * pgjdbc then throws "The server does not support SSL." (translated through its GT bundle) with
     * PSQLState.CONNECTION_REJECTED, 08004, which other rejections share, hence the message check.
     */
    @Override
    public LoginFailure classify(SQLException failure) {
        String noSsl = GT.tr(NO_SSL_MESSAGE);
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                if (AUTHENTICATION_STATES.contains(sql.getSQLState())) {
                    return LoginFailure.AUTHENTICATION;
                }
                if (CONNECTION_REJECTED.equals(sql.getSQLState()) && sql.getMessage() != null
                        && (sql.getMessage().equals(noSsl) || sql.getMessage().equals(NO_SSL_MESSAGE))) {
                    return LoginFailure.TLS_UNAVAILABLE;
                }
            }
        }
        return LoginFailure.OTHER;
    }

    @Override
    public void changeOwnPassword(Connection connection, DatabaseSecret secret, String newPassword) throws SQLException {
        int major = connection.getMetaData().getDatabaseMajorVersion();
        if (major < MIN_SCRAM_VERSION) {
            // Before PostgreSQL 10 the server would take the SCRAM verifier for a plaintext password
            // and hash it again: the user could no longer log in with the new password.
            throw new SQLException("PostgreSQL " + major + " cannot store SCRAM-SHA-256 password verifiers;"
                    + " version " + MIN_SCRAM_VERSION + " or later is required", "0A000");
        }
        String role;
        try (Statement statement = connection.createStatement()) {
            statement.execute(BECOME_LOGIN_ROLE);
            try (ResultSet rows = statement.executeQuery(LOGIN_ROLE_QUERY)) {
                if (!rows.next()) {
                    throw new SQLException("SELECT session_user returned no row");
                }
                role = rows.getString(1);
            }
        }
        char[] password = newPassword.toCharArray();
        try {
            connection.unwrap(PGConnection.class).alterUserPassword(role, password, PASSWORD_ENCRYPTION);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static long seconds(Duration duration) {
        // pgjdbc counts whole seconds and reads 0 as "wait forever"; round up to a real limit.
        long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    @Override
    public String toString() {
        return "PostgresEngine";
    }
}
