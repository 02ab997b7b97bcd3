package dev.rotation.postgres;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.DriverTls;
import dev.rotation.secret.Engine;
import dev.rotation.shared.AdminChanges;
import dev.rotation.shared.AdminRequest;
import dev.rotation.shared.AlternateUsername;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.util.GT;

/**
 * PostgreSQL and Aurora PostgreSQL through pgjdbc: the engine SPI for single-user and
 * alternating-users rotation. Every SQL statement the module sends is in this file, in the section
 * "Every statement" at its top.
 *
 * <p><b>Passwords never reach the server in plain text.</b> pgjdbc's
 * {@link PGConnection#alterUserPassword} computes the SCRAM-SHA-256 verifier on the client and sends
 * {@code ALTER USER "name" PASSWORD 'SCRAM-SHA-256$...'} with the role name quoted as an identifier,
 * so neither the server, its logs nor pg_stat_statements see the password. An ordinary role may
 * change its own password.
 *
 * <p><b>Alternating users, as the master.</b> The base name ({@code app}, without {@code _clone}) is
 * always the owner role, whichever user is current. The clone ({@code app_clone}) is a member of it
 * with INHERIT (and, on PostgreSQL 16+, SET) and has {@code ALTER ROLE app_clone SET role = 'app'},
 * so its sessions act as {@code app}: what it creates is owned by {@code app}, and it holds exactly
 * {@code app}'s privileges, memberships and attributes. Privileges are granted to and revoked from
 * {@code app} only, and so apply to both users at once; the membership and the setting are checked
 * and repaired on every rotation. A created role gets LOGIN but no password, so it cannot log in
 * with a password until {@link #setPassword} (after its privileges are in place). The master needs
 * no superuser: CREATEROLE, and on PostgreSQL 16+ also ADMIN OPTION on the pair's existing roles (a role
 * it created has that; for a role someone else created, {@link #requireManageable} refuses before
 * changing anything and names the GRANT that is missing).
 *
 * <p>Errors are not scrubbed here: the protocol's sanitizer does that for every engine.
 */
public final class PostgresEngine implements DatabaseEngine, UserAdministration {

    // ---- Every statement ---------------------------------------------------------------------------

    /** Act as the login role itself, even if its settings switch to another role at login. */
    static final String BECOME_LOGIN_ROLE = "SET ROLE NONE";
    /** The role that logged in, whose password is changed. */
    static final String LOGIN_ROLE_QUERY = "SELECT session_user";
    /** Hashing done by pgjdbc on the client; the name PostgreSQL's password_encryption uses. */
    static final String PASSWORD_ENCRYPTION = "scram-sha-256";

    /** The first PostgreSQL version that stores SCRAM-SHA-256 verifiers. */
    static final int MIN_SCRAM_VERSION = 10;


    static final String ROLE_QUERY = "SELECT oid, rolcanlogin, rolinherit FROM pg_roles WHERE rolname = ?";
    /** The attributes that make a role more than an application user. */
    static final String ROLE_POWERS_QUERY = "SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication,"
            + " rolbypassrls FROM pg_roles WHERE rolname = ?";
    /** The roles {@code role} is a direct member of. */
    static final String MEMBER_OF_QUERY = "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
            + " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = ? ORDER BY g.rolname";
    /** Whether the first role is a member of the second, directly or through other roles. */
    static final String HAS_ROLE_QUERY = "SELECT pg_has_role(?, ?, 'MEMBER')";
    static final String MEMBERSHIP_QUERY = "SELECT 1 FROM pg_auth_members WHERE roleid = ? AND member = ?";
    static final String MEMBERSHIP_QUERY_16 =
            "SELECT 1 FROM pg_auth_members WHERE roleid = ? AND member = ? AND inherit_option AND set_option";
    static final String ROLE_SETTINGS_QUERY =
            "SELECT setconfig FROM pg_db_role_setting WHERE setrole = ? AND setdatabase = 0";
    static final String VERSION_QUERY = "SHOW server_version_num";
    /** Preflight: the master's own powers. */
    static final String MASTER_POWERS_QUERY = "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = session_user";
    /** PostgreSQL 16+: whether the session's role may grant {@code role} and alter it (ADMIN OPTION, or superuser). */
    static final String ADMIN_OPTION_QUERY = "SELECT pg_has_role(?, 'MEMBER WITH ADMIN OPTION')";

    /** What an operator runs so that a master that did not create {@code role} may manage it, and gains nothing else. */
    static String grantAdminOption(String role, String master) {
        return "GRANT " + quote(role) + " TO " + quote(master) + " WITH ADMIN OPTION, INHERIT FALSE, SET FALSE";
    }

    static String createRole(String role) {
        return "CREATE ROLE " + quote(role) + " WITH LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                + " NOBYPASSRLS";
    }

    static String grantMembership(String base, String clone, boolean pg16) {
        return "GRANT " + quote(base) + " TO " + quote(clone) + (pg16 ? " WITH INHERIT TRUE, SET TRUE" : "");
    }

    static String inherit(String role) {
        return "ALTER ROLE " + quote(role) + " INHERIT";
    }

    /** The literal is escaped by pgjdbc for the session (see {@link #literal}). */
    static String actAs(Connection admin, String clone, String base) throws SQLException {
        return "ALTER ROLE " + quote(clone) + " SET role = " + literal(admin, base);
    }

    // ---- The engine ------------------------------------------------------------------------------

    /** The database logged in to when the secret has no {@code dbname}, as the reference does. */
    static final String DEFAULT_DATABASE = Engine.POSTGRES.defaultDatabase().orElseThrow();

    /** NAMEDATALEN - 1: PostgreSQL truncates longer identifiers, which would act on another role. */
    static final int MAX_NAME_BYTES = 63;

    /** What a login (SCRAM) and a query load first (their dependencies follow); primed ahead of the first request. */
    static final List<String> LOGIN_CLASSES = List.of(
            "org.postgresql.jdbc.PgConnection",
            "org.postgresql.core.ConnectionFactory",
            "org.postgresql.core.v3.ConnectionFactoryImpl",
            "org.postgresql.core.v3.QueryExecutorImpl",
            "org.postgresql.core.v3.AuthenticationPluginManager",
            "org.postgresql.core.v3.ScramAuthenticator",
            "org.postgresql.shaded.com.ongres.scram.client.ScramClient",
            "org.postgresql.jdbc.PgStatement",
            "org.postgresql.jdbc.PgPreparedStatement",
            "org.postgresql.jdbc.PgResultSet");

    /** The PostgreSQL family; the reference's MySQL exclusions plus {@code :}, which would break .pgpass lines. */
    static final EngineDescription DESCRIPTION = EngineDescription.of(Engine.POSTGRES, "/@\"'\\:", LOGIN_CLASSES);

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
    public EngineDescription description() {
        return DESCRIPTION;
    }

    @Override
    public Connection connect(ConnectRequest request) throws SQLException {
        DatabaseSecret secret = request.secret();
        String url = jdbcUrl(secret.host(), request.port(DESCRIPTION.defaultPort()),
                secret.dbname().orElse(DEFAULT_DATABASE));
        Connection connection = Drivers.POSTGRES.connect(url, connectionProperties(secret.username(),
                secret.password(), request.tls(), request.settings()));
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

    static Properties connectionProperties(String user, String password, Tls tls, ConnectionSettings settings)
            throws SQLException {
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
        try {
            DriverTls.apply(Engine.POSTGRES, tls == Tls.VERIFY, settings.caBundle(), false, props);
        } catch (IOException e) {
            throw new SQLNonTransientConnectionException(e.getMessage(), "08001", e);
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
    public PasswordChange changeOwnPassword(PasswordChangeRequest request) throws SQLException {
        Connection connection = request.connection();
        String newPassword = request.newPassword();
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
        setScramPassword(connection, role, newPassword);
        return SCRAM_CHANGE;
    }

    private static final PasswordChange SCRAM_CHANGE = new PasswordChange("a SCRAM-SHA-256 verifier computed by pgjdbc");

    /** {@code ALTER USER "role" PASSWORD 'SCRAM-SHA-256$...'}: pgjdbc hashes on the client and quotes the name. */
    private static void setScramPassword(Connection connection, String role, String password) throws SQLException {
        char[] chars = password.toCharArray();
        try {
            connection.unwrap(PGConnection.class).alterUserPassword(role, chars, PASSWORD_ENCRYPTION);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static long seconds(Duration duration) {
        // pgjdbc counts whole seconds and reads 0 as "wait forever"; round up to a real limit.
        long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    // ---- Alternating users, as the master ----------------------------------------------------------

    @Override
    public UsernameLimit usernameLimit(Map<String, String> environment) {
        return UsernameLimit.utf8Bytes(MAX_NAME_BYTES, "PostgreSQL allows " + MAX_NAME_BYTES + " bytes");
    }

    @Override
    public boolean currentUserExists(AdminRequest request) throws SQLException {
        return role(request.admin(), request.currentUser()) != null;
    }

    /**
     * Refuses an existing {@code otherUser} that is not one of this pair's users: a role with
     * SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS; a role that cannot log in (LOGIN is
     * never added to an existing role: a group role would become a login with a password the rotated
     * secret's author reads); a base role whose clone, the current user, is not its member (the pair
     * was never set up, so {@code x_clone}'s secret would take over {@code x}); and a role that is a
     * member of a role the current user is not.
     */
    @Override
    public void requireManageable(AdminRequest request) throws SQLException {
        Connection admin = request.admin();
        String currentUser = request.currentUser();
        String otherUser = request.otherUser();
        requireAdminOption(admin, request);
        List<String> refusals = new ArrayList<>();
        try (PreparedStatement statement = admin.prepareStatement(ROLE_POWERS_QUERY)) {
            statement.setString(1, otherUser);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return;
                }
                if (!rows.getBoolean(1)) {
                    refusals.add("it cannot log in (NOLOGIN: a group role), and alternating users never add LOGIN to"
                            + " an existing role");
                }
                List<String> powers = new ArrayList<>();
                String[] names = {"SUPERUSER", "CREATEROLE", "CREATEDB", "REPLICATION", "BYPASSRLS"};
                for (int i = 0; i < names.length; i++) {
                    if (rows.getBoolean(i + 2)) {
                        powers.add(names[i]);
                    }
                }
                if (!powers.isEmpty()) {
                    refusals.add("it has " + String.join(", ", powers) + ", and alternating users only manage"
                            + " application users");
                }
            }
        }
        if (otherUser.equals(request.masterUser())) {
            refusals.add("it is the master user");
        }
        String base = AlternateUsername.baseOf(otherUser);
        if (otherUser.equals(base) && !isDirectMember(admin, base, currentUser)) {
            refusals.add("the current user '" + currentUser + "' is not a member of it, so the two were never set up"
                    + " as a pair (the clone is made a member of the base role when it is created); grant '" + base
                    + "' to '" + currentUser + "' if they belong together");
        }
        for (String group : memberOf(admin, otherUser)) {
            if (!group.equals(base) && !hasRole(admin, currentUser, group)) {
                refusals.add("it is a member of role '" + group + "', which the current user '" + currentUser
                        + "' is not");
            }
        }
        if (!refusals.isEmpty()) {
            throw new RotationException("refusing to manage the existing role '" + otherUser + "' as the other user of '"
                    + currentUser + "': " + String.join("; ", refusals) + "; nothing was changed");
        }
    }

    /**
     * PostgreSQL 16+: CREATEROLE lets the master grant, and alter (password, settings), only the roles it
     * has ADMIN OPTION on, which it gets for the roles it creates. An application role someone else
     * created needs the grant from an operator; without it the GRANT of the base role to the clone, or the
     * password change, would fail half way (after creating the clone), so refuse before changing anything.
     */
    private static void requireAdminOption(Connection admin, AdminRequest request) throws SQLException {
        List<String> lacking = rolesLackingAdminOption(admin, request);
        if (!lacking.isEmpty()) {
            String master = request.masterUser();
            throw new RotationException("the master user '" + master + "' lacks ADMIN OPTION on role"
                    + (lacking.size() > 1 ? "s " : " ") + String.join(", ", lacking.stream().map(r -> "'" + r + "'")
                    .toList()) + ": on PostgreSQL 16 and later CREATEROLE covers only the roles the master created or"
                    + " holds ADMIN OPTION on, and alternating users grant the base role to the clone and set the"
                    + " users' passwords. Have a superuser (or the role's creator) run: "
                    + String.join("; ", lacking.stream().map(r -> grantAdminOption(r, master)).toList())
                    + "; nothing was changed");
        }
    }

    /** PostgreSQL 16+: the existing roles of the pair (and their base) the session may not grant or alter. */
    private static List<String> rolesLackingAdminOption(Connection admin, AdminRequest request) throws SQLException {
        List<String> lacking = new ArrayList<>();
        if (serverVersion(admin) < 160000) {
            return lacking;
        }
        for (String role : List.of(AlternateUsername.baseOf(request.otherUser()), request.currentUser(),
                request.otherUser())) {
            if (!lacking.contains(role) && role(admin, role) != null && !hasAdminOption(admin, role)) {
                lacking.add(role);
            }
        }
        return lacking;
    }

    private static boolean hasAdminOption(Connection admin, String role) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(ADMIN_OPTION_QUERY)) {
            statement.setString(1, role);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    /**
     * Creates the role with LOGIN and no password. When it is the base role of an existing clone
     * (a secret that started at {@code x_clone}), the clone's membership is granted in the same
     * transaction, so that no retry ever finds a base role its clone is not a member of.
     */
    @Override
    public AdminChanges ensureUser(AdminRequest request) throws SQLException {
        Connection admin = request.admin();
        String username = request.otherUser();
        String likeUser = request.currentUser();
        if (role(admin, username) != null) {
            return AdminChanges.NONE;
        }
        AdminChanges created = AdminChanges.of("created role '" + username + "'");
        if (!username.equals(AlternateUsername.baseOf(username)) || !likeUser.equals(AlternateUsername.cloneOf(username))) {
            execute(admin, createRole(username));
            return created;
        }
        boolean pg16 = serverVersion(admin) >= 160000;
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false);
        try {
            execute(admin, createRole(username));
            execute(admin, grantMembership(username, likeUser, pg16));
            admin.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(admin);
            throw e;
        } finally {
            admin.setAutoCommit(autoCommit);
        }
        return AdminChanges.of(List.of("created role '" + username + "'", "made role '" + likeUser
                + "' a member of role '" + username + "'"));
    }

    private static void rollbackQuietly(Connection admin) {
        try {
            admin.rollback();
        } catch (SQLException e) {
            // The transaction is lost with the connection anyway.
        }
    }

    /**
     * Makes {@code target} act as the base role: both users of the pair log in and act as the base
     * role (see the class comment), so this repairs the clone's LOGIN, INHERIT, membership and
     * {@code role} setting, whichever of the two is {@code target}.
     */
    @Override
    public AdminChanges synchronizePrivileges(AdminRequest request) throws SQLException {
        Connection admin = request.admin();
        String target = request.otherUser();
        List<String> log = new ArrayList<>();
        String base = AlternateUsername.baseOf(target);
        String clone = AlternateUsername.cloneOf(target);
        Role targetRole = require(admin, target);
        if (!targetRole.canLogin()) {
            // requireManageable refused an existing NOLOGIN role, and ensureUser creates roles with LOGIN.
            throw new SQLException("role '" + target + "' cannot log in; LOGIN is never added to an existing role");
        }
        Role baseRole = require(admin, base);
        Role cloneRole = require(admin, clone);
        if (!cloneRole.inherit()) {
            execute(admin, inherit(clone));
            log.add("gave role '" + clone + "' INHERIT");
        }
        boolean pg16 = serverVersion(admin) >= 160000;
        if (!isMember(admin, baseRole.oid(), cloneRole.oid(), pg16)) {
            execute(admin, grantMembership(base, clone, pg16));
            log.add("made role '" + clone + "' a member of role '" + base + "'");
        }
        if (!actsAs(admin, cloneRole.oid(), base)) {
            execute(admin, actAs(admin, clone, base));
            log.add("set role '" + clone + "' to act as role '" + base + "' at login");
        }
        return AdminChanges.of(log);
    }

    @Override
    public PasswordChange setPassword(AdminRequest request, String password) throws SQLException {
        setScramPassword(request.admin(), request.otherUser(), password);
        return SCRAM_CHANGE;
    }

    // ---- Catalog reads ------------------------------------------------------------------------------

    record Role(long oid, boolean canLogin, boolean inherit) {
    }

    private static Role role(Connection admin, String name) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(ROLE_QUERY)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                return new Role(rows.getLong(1), rows.getBoolean(2), rows.getBoolean(3));
            }
        }
    }

    private static Role require(Connection admin, String name) throws SQLException {
        Role role = role(admin, name);
        if (role == null) {
            throw new SQLException("role '" + name + "' does not exist");
        }
        return role;
    }

    private static boolean isDirectMember(Connection admin, String role, String member) throws SQLException {
        Role roleRow = role(admin, role);
        Role memberRow = role(admin, member);
        return roleRow != null && memberRow != null && isMember(admin, roleRow.oid(), memberRow.oid(), false);
    }

    private static List<String> memberOf(Connection admin, String role) throws SQLException {
        List<String> groups = new ArrayList<>();
        try (PreparedStatement statement = admin.prepareStatement(MEMBER_OF_QUERY)) {
            statement.setString(1, role);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    groups.add(rows.getString(1));
                }
            }
        }
        return groups;
    }

    private static boolean hasRole(Connection admin, String member, String role) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(HAS_ROLE_QUERY)) {
            statement.setString(1, member);
            statement.setString(2, role);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private static boolean isMember(Connection admin, long roleOid, long memberOid, boolean pg16) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(pg16 ? MEMBERSHIP_QUERY_16 : MEMBERSHIP_QUERY)) {
            statement.setLong(1, roleOid);
            statement.setLong(2, memberOid);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Whether the role's own settings (for every database) include {@code role=<base>}. */
    private static boolean actsAs(Connection admin, long roleOid, String base) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(ROLE_SETTINGS_QUERY)) {
            statement.setLong(1, roleOid);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || rows.getArray(1) == null) {
                    return false;
                }
                Object[] settings = (Object[]) rows.getArray(1).getArray();
                return Arrays.asList(settings).contains("role=" + base);
            }
        }
    }

    private static int serverVersion(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement(); ResultSet rows = statement.executeQuery(VERSION_QUERY)) {
            rows.next();
            return Integer.parseInt(rows.getString(1).trim());
        }
    }

    private static void execute(Connection admin, String sql) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    // ---- Quoting ------------------------------------------------------------------------------------

    /** A double-quoted identifier; refuses what the server would truncate or cannot store. */
    static String quote(String identifier) {
        check(identifier);
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * A string literal escaped by pgjdbc for this session's {@code standard_conforming_strings}: with
     * it off, a backslash escapes the next character, so doubling quotes alone would let a name
     * holding {@code \'} end the literal early.
     */
    static String literal(Connection admin, String value) throws SQLException {
        check(value);
        return "'" + admin.unwrap(PGConnection.class).escapeLiteral(value) + "'";
    }

    private static void check(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a PostgreSQL name cannot contain NUL");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a PostgreSQL name is at most " + MAX_NAME_BYTES + " bytes");
        }
    }

    /**
     * Preflight: the master needs CREATEROLE (or SUPERUSER) and, on PostgreSQL 16+, ADMIN OPTION on the
     * application's base role to make the clone a member of it. Reads only.
     */
    @Override
    public MasterPrivileges masterPrivileges(AdminRequest request) throws SQLException {
        Connection admin = request.admin();
        boolean superuser;
        boolean createRole;
        try (Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery(MASTER_POWERS_QUERY)) {
            if (!rows.next()) {
                return new MasterPrivileges(true, List.of("a role of its own"), "the session's user is not in pg_roles");
            }
            superuser = rows.getBoolean(1);
            createRole = rows.getBoolean(2);
        }
        if (superuser) {
            return new MasterPrivileges(true, List.of(), "SUPERUSER (more than alternating users need: CREATEROLE)");
        }
        List<String> missing = new ArrayList<>();
        List<String> held = new ArrayList<>();
        if (createRole) {
            held.add("CREATEROLE");
        } else {
            missing.add("CREATEROLE");
        }
        List<String> lacking = rolesLackingAdminOption(admin, request);
        for (String role : lacking) {
            missing.add("ADMIN OPTION on role '" + role + "' (PostgreSQL 16+: " + grantAdminOption(role, request.masterUser())
                    + ")");
        }
        if (serverVersion(admin) >= 160000 && lacking.isEmpty()) {
            held.add("ADMIN OPTION on the application's roles");
        }
        return new MasterPrivileges(true, missing, held.isEmpty() ? "it holds none of them" : "it holds "
                + String.join(", ", held));
    }

    @Override
    public String toString() {
        return "PostgresEngine";
    }
}
