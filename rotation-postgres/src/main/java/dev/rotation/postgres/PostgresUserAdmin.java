package dev.rotation.postgres;

import dev.rotation.shared.AlternateUsername;
import dev.rotation.shared.RotationException;
import dev.rotation.shared.UserAdministration;
import dev.rotation.shared.UsernameLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    static final String PASSWORD_ENCRYPTION = "scram-sha-256";

    @Override
    public UsernameLimit usernameLimit(Map<String, String> environment) {
        return UsernameLimit.utf8Bytes(MAX_NAME_BYTES, "PostgreSQL allows " + MAX_NAME_BYTES + " bytes");
    }

    @Override
    public boolean userExists(Connection admin, String username) throws SQLException {
        return role(admin, username) != null;
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
    public void requireManageable(Connection admin, String currentUser, String otherUser, String masterUser)
            throws SQLException {
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
        if (otherUser.equals(masterUser)) {
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
     * Creates the role with LOGIN and no password. When it is the base role of an existing clone
     * (a secret that started at {@code x_clone}), the clone's membership is granted in the same
     * transaction, so that no retry ever finds a base role its clone is not a member of.
     */
    @Override
    public boolean ensureUser(Connection admin, String likeUser, String username, Consumer<String> log)
            throws SQLException {
        if (role(admin, username) != null) {
            return false;
        }
        String create = "CREATE ROLE " + quote(username) + " WITH LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE"
                + " NOREPLICATION NOBYPASSRLS";
        if (!username.equals(AlternateUsername.baseOf(username)) || !likeUser.equals(AlternateUsername.cloneOf(username))) {
            execute(admin, create);
            return true;
        }
        boolean pg16 = serverVersion(admin) >= 160000;
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false);
        try {
            execute(admin, create);
            execute(admin, grantMembership(username, likeUser, pg16));
            admin.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(admin);
            throw e;
        } finally {
            admin.setAutoCommit(autoCommit);
        }
        return true;
    }

    private static String grantMembership(String base, String clone, boolean pg16) {
        return "GRANT " + quote(base) + " TO " + quote(clone) + (pg16 ? " WITH INHERIT TRUE, SET TRUE" : "");
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
    public void synchronizePrivileges(Connection admin, String source, String target, Consumer<String> log)
            throws SQLException {
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
            execute(admin, "ALTER ROLE " + quote(clone) + " INHERIT");
            log.accept("gave role '" + clone + "' INHERIT");
        }
        boolean pg16 = serverVersion(admin) >= 160000;
        if (!isMember(admin, baseRole.oid(), cloneRole.oid(), pg16)) {
            execute(admin, grantMembership(base, clone, pg16));
            log.accept("made role '" + clone + "' a member of role '" + base + "'");
        }
        if (!actsAs(admin, cloneRole.oid(), base)) {
            execute(admin, "ALTER ROLE " + quote(clone) + " SET role = " + literal(admin, base));
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

    @Override
    public String toString() {
        return "PostgresUserAdmin";
    }
}
