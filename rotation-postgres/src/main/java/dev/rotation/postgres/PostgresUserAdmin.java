package dev.rotation.postgres;

import dev.rotation.shared.AlternateUsername;
import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.UsernameLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * The administration SQL for alternating users on PostgreSQL and Aurora PostgreSQL, run as the
 * master user. Every admin statement of this module is in this file.
 *
 * <p>The design, so that objects either user creates stay usable by the other: the base name
 * ({@code app}, without {@code _clone}) is always the owner role, whichever user is current. The
 * clone ({@code app_clone}) is a member of it with INHERIT (and, on PostgreSQL 16+, SET) and has
 * {@code ALTER ROLE app_clone SET role = 'app'}, so its sessions act as {@code app}: what it creates
 * is owned by {@code app}, and it holds exactly {@code app}'s privileges, memberships and attributes.
 * Privileges are granted to and revoked from {@code app} only, and so apply to both users at once;
 * the membership and the setting are checked and repaired on every rotation.
 *
 * <p>Passwords never reach the server in plain text: pgjdbc's {@link PGConnection#alterUserPassword}
 * hashes them to a SCRAM-SHA-256 verifier on the client. A created role gets LOGIN but no password,
 * so it cannot log in with a password until {@link #setPassword} (after its privileges are in place).
 *
 * <p>The master user needs no superuser: CREATEROLE, and on PostgreSQL 16+ also ADMIN OPTION on the
 * base role (a role it created has that; an RDS master user is a member of rds_superuser).
 */
public final class PostgresUserAdmin implements UserAdministration {
    /** NAMEDATALEN - 1: PostgreSQL truncates longer identifiers, which would act on another role. */
    static final int MAX_NAME_BYTES = 63;

    static final String ROLE_QUERY = "SELECT oid, rolcanlogin, rolinherit FROM pg_roles WHERE rolname = ?";
    static final String MEMBERSHIP_QUERY = "SELECT 1 FROM pg_auth_members WHERE roleid = ? AND member = ?";
    static final String MEMBERSHIP_QUERY_16 =
            "SELECT 1 FROM pg_auth_members WHERE roleid = ? AND member = ? AND inherit_option AND set_option";
    static final String ROLE_SETTINGS_QUERY =
            "SELECT setconfig FROM pg_db_role_setting WHERE setrole = ? AND setdatabase = 0";
    static final String VERSION_QUERY = "SHOW server_version_num";
    static final String PASSWORD_ENCRYPTION = "scram-sha-256";

    @Override
    public UsernameLimit usernameLimit(Map<String, String> environment) {
        return UsernameLimit.utf8Bytes(MAX_NAME_BYTES, "PostgreSQL allows " + MAX_NAME_BYTES + " bytes");
    }

    @Override
    public boolean userExists(Connection admin, String username) throws SQLException {
        return role(admin, username) != null;
    }

    @Override
    public boolean ensureUser(Connection admin, String likeUser, String username, Consumer<String> log)
            throws SQLException {
        if (role(admin, username) != null) {
            return false;
        }
        execute(admin, "CREATE ROLE " + quote(username) + " WITH LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE"
                + " NOREPLICATION NOBYPASSRLS");
        return true;
    }

    /**
     * Makes {@code target} act as the base role: both users of the pair log in and act as the base
     * role (see the class comment), so this repairs the clone's LOGIN, INHERIT, membership and
     * {@code role} setting, whichever of the two is {@code target}.
     */
    @Override
    public void synchronizePrivileges(Connection admin, String source, String target, Consumer<String> log)
            throws SQLException {
        String base = AlternateUsername.baseOf(target);
        String clone = AlternateUsername.cloneOf(target);
        Role targetRole = require(admin, target);
        if (!targetRole.canLogin()) {
            execute(admin, "ALTER ROLE " + quote(target) + " LOGIN");
            log.accept("gave role '" + target + "' LOGIN");
        }
        Role baseRole = require(admin, base);
        Role cloneRole = require(admin, clone);
        if (!cloneRole.inherit()) {
            execute(admin, "ALTER ROLE " + quote(clone) + " INHERIT");
            log.accept("gave role '" + clone + "' INHERIT");
        }
        boolean pg16 = serverVersion(admin) >= 160000;
        if (!isMember(admin, baseRole.oid(), cloneRole.oid(), pg16)) {
            execute(admin, "GRANT " + quote(base) + " TO " + quote(clone) + (pg16 ? " WITH INHERIT TRUE, SET TRUE" : ""));
            log.accept("made role '" + clone + "' a member of role '" + base + "'");
        }
        if (!actsAs(admin, cloneRole.oid(), base)) {
            execute(admin, "ALTER ROLE " + quote(clone) + " SET role = " + literal(base));
            log.accept("set role '" + clone + "' to act as role '" + base + "' at login");
        }
    }

    @Override
    public void setPassword(Connection admin, String username, String password) throws SQLException {
        char[] chars = password.toCharArray();
        try {
            admin.unwrap(PGConnection.class).alterUserPassword(username, chars, PASSWORD_ENCRYPTION);
        } finally {
            Arrays.fill(chars, '\0');
        }
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

    /** A standard string literal (standard_conforming_strings is on by default since 9.1, and required here). */
    static String literal(String value) {
        check(value);
        return "'" + value.replace("'", "''") + "'";
    }

    private static void check(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a PostgreSQL name cannot contain NUL");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a PostgreSQL name is at most " + MAX_NAME_BYTES + " bytes");
        }
    }

    @Override
    public String toString() {
        return "PostgresUserAdmin";
    }
}
