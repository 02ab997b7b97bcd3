package dev.rotation.mysql;

import dev.rotation.shared.RotationException;
import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.UsernameLimit;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The administration SQL for alternating users on MySQL, Aurora MySQL and MariaDB, run as the master
 * user. Every admin statement of this module is in this file.
 *
 * <p>An account is a user name and a host; the second user gets an account on every host the
 * current user has one on (read from {@code mysql.user}), and on each of them exactly the current
 * account's grants (from {@code SHOW GRANTS}, see {@link MySqlGrants}), including {@code WITH GRANT
 * OPTION}, roles and the default role, and its TLS requirement ({@code REQUIRE ...}, from the
 * {@code ssl_type}, {@code ssl_cipher}, {@code x509_issuer}, {@code x509_subject} columns).
 * {@link #requireManageable} refuses a second user that exists with anything more (see there);
 * {@link #synchronizePrivileges} itself only makes the two equal.
 *
 * <p>Names and hosts are quoted as identifiers with backticks (only a backtick needs doubling, in
 * every {@code sql_mode}). A {@code mysql_native_password} account's password is sent as the hash
 * computed here ({@link MySqlNativePassword}), and so is the random password of a new account on
 * MariaDB, so no password reaches a server that logs statements as sent; accounts of other plugins
 * get the password itself. Either is bound as a parameter: the connection comes from
 * {@link MySqlEngine#connect}, whose client-side prepared statements write it as a string literal
 * escaped for the session's {@code sql_mode} (the only form {@code IDENTIFIED BY} accepts).
 *
 * <p>The master user needs no SUPER: {@code CREATE USER}, {@code SELECT} on the {@code mysql}
 * schema and, {@code WITH GRANT OPTION}, every privilege it copies (an RDS master user has these).
 */
public final class MySqlUserAdmin implements UserAdministration {
    /**
     * The environment variable holding the longest user name the server accepts; MySQL 5.7+ and
     * Aurora MySQL 2+ allow 32 characters (the default), MySQL 5.6 only 16, MariaDB 80.
     */
    public static final String MAX_USERNAME_LENGTH = "MAX_USERNAME_LENGTH";
    static final int DEFAULT_MAX_USERNAME_LENGTH = 32;
    static final int LARGEST_MAX_USERNAME_LENGTH = 128;

    static final String ACCOUNT_HOSTS = "SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host";
    static final String TLS_REQUIREMENT =
            "SELECT ssl_type, ssl_cipher, x509_issuer, x509_subject FROM mysql.user WHERE User = ? AND Host = ?";
    static final String MYSQL_DEFAULT_ROLES = "SELECT DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST FROM mysql.default_roles"
            + " WHERE USER = ? AND HOST = ? ORDER BY DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST";

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

    @Override
    public UsernameLimit usernameLimit(Map<String, String> environment) {
        return UsernameLimit.charactersFromEnvironment(environment, MAX_USERNAME_LENGTH, DEFAULT_MAX_USERNAME_LENGTH,
                LARGEST_MAX_USERNAME_LENGTH, "MySQL 5.7+ allows " + DEFAULT_MAX_USERNAME_LENGTH);
    }

    @Override
    public boolean userExists(Connection admin, String username) throws SQLException {
        return !hosts(admin, username).isEmpty();
    }

    /**
     * Refuses an existing {@code otherUser} that the pair does not manage: the clone must only ever
     * gain what the current user has, so an other user that holds anything else (or is the master,
     * or an administrator) is someone else's account, which the secret's author would otherwise take
     * over. Reads only; refuses before {@link #ensureUser} changes anything.
     */
    @Override
    public void requireManageable(Connection admin, String currentUser, String otherUser, String masterUser)
            throws SQLException {
        Set<String> otherHosts = hosts(admin, otherUser);
        if (otherHosts.isEmpty()) {
            return;
        }
        if (otherUser.equals(masterUser)) {
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
    public boolean ensureUser(Connection admin, String likeUser, String username, Consumer<String> log)
            throws SQLException {
        boolean mariaDb = isMariaDb(MySqlServerVersion.parse(MySqlEngine.serverVersion(admin)));
        Set<String> have = hosts(admin, username);
        boolean created = false;
        for (String host : hosts(admin, likeUser)) {
            if (!have.contains(host)) {
                String unguessable = unguessablePassword();
                // MariaDB would log a password literal; MySQL rewrites it, and may not offer mysql_native_password.
                String identified = mariaDb ? " IDENTIFIED BY PASSWORD ?" : " IDENTIFIED BY ?";
                runWithPassword(admin, "CREATE USER " + account(username, host) + identified,
                        mariaDb ? MySqlNativePassword.hash(unguessable) : unguessable,
                        "CREATE USER " + describe(username, host), unguessable);
                log.accept("created account " + describe(username, host));
                created = true;
            }
        }
        return created;
    }

    @Override
    public void synchronizePrivileges(Connection admin, String source, String target, Consumer<String> log)
            throws SQLException {
        Optional<MySqlServerVersion> version = MySqlServerVersion.parse(MySqlEngine.serverVersion(admin));
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
                execute(admin, sql);
                log.accept(sql);
            }
            if (isMySql8(version)) {
                syncMySqlDefaultRoles(admin, source, target, host.getKey(), log);
            }
            syncTlsRequirement(admin, source, target, host.getKey(), version, log);
        }
        for (String host : targetHosts) {
            if (!sourceHosts.contains(host)) {
                execute(admin, "DROP USER " + account(target, host));
                log.accept("dropped account " + describe(target, host) + ": user '" + source
                        + "' has no account on that host");
            }
        }
    }

    @Override
    public void setPassword(Connection admin, String username, String password) throws SQLException {
        Optional<MySqlServerVersion> version = MySqlServerVersion.parse(MySqlEngine.serverVersion(admin));
        Set<String> hosts = hosts(admin, username);
        if (hosts.isEmpty()) {
            throw new SQLException("user '" + username + "' does not exist");
        }
        String hash = MySqlNativePassword.hash(password);
        for (String host : hosts) {
            String what = "setting the password of " + describe(username, host);
            if (usesNativePasswordOnly(admin, username, host, version)) {
                runWithPassword(admin, setPasswordHash(account(username, host), version.orElseThrow()), hash, what,
                        password);
            } else {
                // caching_sha2_password, sha256_password, ed25519, parsec hash on the server: they need the password.
                String sql = alterUserSupported(version)
                        ? "ALTER USER " + account(username, host) + " IDENTIFIED BY ?"
                        : "SET PASSWORD FOR " + account(username, host) + " = PASSWORD(?)";
                runWithPassword(admin, sql, password, what, hash);
            }
        }
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
            return MySqlNativePassword.isOnlyMethod(showGrants(admin, username, host));
        }
        List<String> lines = new ArrayList<>();
        try (Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SHOW CREATE USER " + account(username, host))) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return MySqlNativePassword.isOnlyMethod(lines);
    }

    /** The statement that sets a native account's password from its hash (one placeholder), per server. */
    private static String setPasswordHash(String account, MySqlServerVersion version) {
        if (version.flavor() == MySqlServerVersion.Flavor.MARIADB) {
            return alterUserSupported(Optional.of(version))
                    ? "ALTER USER " + account + " IDENTIFIED BY PASSWORD ?" : "SET PASSWORD FOR " + account + " = ?";
        }
        // MySQL 5.7.6+ takes a quoted SET PASSWORD value as the password itself; AS names the hash.
        return version.changesOwnPasswordWithAlterUser()
                ? "ALTER USER " + account + " IDENTIFIED WITH mysql_native_password AS ?"
                : "SET PASSWORD FOR " + account + " = ?";
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
                ResultSet rows = statement.executeQuery("SHOW GRANTS FOR " + account(username, host))) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines;
    }

    // ---- Writing -----------------------------------------------------------------------------------

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

    /** MySQL 8+: the default roles live in mysql.default_roles and are set with SET DEFAULT ROLE ... TO. */
    private static void syncMySqlDefaultRoles(Connection admin, String source, String target, String host,
            Consumer<String> log) throws SQLException {
        List<String> want = defaultRoles(admin, source, host);
        if (want.equals(defaultRoles(admin, target, host))) {
            return;
        }
        String sql = "SET DEFAULT ROLE " + (want.isEmpty() ? "NONE" : String.join(", ", want)) + " TO "
                + account(target, host);
        execute(admin, sql);
        log.accept(sql);
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
            Optional<MySqlServerVersion> version, Consumer<String> log) throws SQLException {
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
        String sql = (alterUserSupported(version) ? "ALTER USER " + account(target, host)
                : "GRANT USAGE ON *.* TO " + account(target, host)) + " REQUIRE " + require;
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                statement.setString(i + 1, values.get(i));
            }
            statement.execute();
        }
        log.accept("set TLS requirement of " + describe(target, host) + " to REQUIRE " + require);
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

    /**
     * A statement with one placeholder for a password or its hash; its errors are rebuilt without
     * the bound value, without {@code related} (the password the hash is of, or the other way round)
     * and without the driver's causes.
     */
    private static void runWithPassword(Connection admin, String sql, String bound, String what, String related)
            throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
            statement.setString(1, bound);
            statement.execute();
        } catch (SQLException e) {
            String message = Redaction.scrub(Redaction.scrub(e.getMessage(), bound), related);
            throw new SQLException(what + " failed: " + message, e.getSQLState(), e.getErrorCode());
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

    @Override
    public String toString() {
        return "MySqlUserAdmin";
    }
}
