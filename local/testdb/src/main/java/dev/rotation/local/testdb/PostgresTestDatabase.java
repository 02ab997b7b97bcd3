package dev.rotation.local.testdb;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.postgresql.PGConnection;

/**
 * The administration SQL for PostgreSQL.
 *
 * <p>Identifiers are double-quoted with embedded quotes doubled. Passwords never travel as SQL text:
 * pgjdbc's {@link PGConnection#alterUserPassword} hashes them to a SCRAM-SHA-256 verifier client-side, so
 * the plaintext reaches neither the server nor its statement log.
 */
final class PostgresTestDatabase extends AbstractTestDatabase {
    /** NAMEDATALEN - 1: PostgreSQL's limit on identifiers, in bytes. */
    static final int MAX_USERNAME_BYTES = 63;

    PostgresTestDatabase(DatabaseServer server, boolean shared) {
        super(server, shared);
    }

    @Override
    public String engine() {
        return "postgres";
    }

    @Override
    String quoteIdentifier(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a PostgreSQL identifier cannot contain NUL");
        }
        if (identifier.getBytes(StandardCharsets.UTF_8).length > MAX_USERNAME_BYTES) {
            // The server would silently truncate it, and then act on another name.
            throw new IllegalArgumentException("a PostgreSQL identifier is at most " + MAX_USERNAME_BYTES + " bytes");
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Nobody but the owner, the admin and granted users may connect: app users see only their database. */
    @Override
    void afterCreateDatabase(String name) {
        execute("restrict database " + name, "REVOKE ALL ON DATABASE " + quoteIdentifier(name) + " FROM PUBLIC");
    }

    @Override
    public void createAppUser(String database, String username, String password) {
        requireNonEmpty(database, "database");
        requireNonEmpty(username, "username");
        requireNonEmpty(password, "password");
        String role = quoteIdentifier(username);
        String db = quoteIdentifier(database);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
            c.unwrap(PGConnection.class).alterUserPassword(username, password.toCharArray(), "scram-sha-256");
            s.execute("GRANT ALL PRIVILEGES ON DATABASE " + db + " TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create user " + username + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
        // CREATE on the public schema: since PostgreSQL 15 only the database owner has it by default.
        try (Connection c = adminTo(database); Statement s = c.createStatement()) {
            s.execute("GRANT ALL PRIVILEGES ON SCHEMA public TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot grant schema rights to " + username + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /** NAMEDATALEN - 1. */
    static final int MAX_NAME_BYTES = 63;

    /** The group role RDS makes its master users members of; created on first use, without any attribute. */
    static final String RDS_SUPERUSER = "rds_superuser";

    @Override
    public void createMaster(String database, String username, String password, String appUser) {
        requireNonEmpty(username, "username");
        requireNonEmpty(password, "password");
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DO $$BEGIN CREATE ROLE " + RDS_SUPERUSER + " NOLOGIN;"
                    + " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$");
            s.execute("CREATE ROLE " + quoteIdentifier(username) + " WITH LOGIN CREATEROLE CREATEDB NOSUPERUSER"
                    + " NOREPLICATION NOBYPASSRLS IN ROLE " + RDS_SUPERUSER);
            c.unwrap(PGConnection.class).alterUserPassword(username, password.toCharArray(), "scram-sha-256");
            s.execute("GRANT CONNECT ON DATABASE " + quoteIdentifier(database) + " TO " + quoteIdentifier(username));
            if (appUser != null && serverVersionNum(c) >= 160000) {
                // CREATEROLE alone no longer lets a role grant membership in, or change the password of,
                // a role it did not create: ADMIN OPTION on the application role, without its privileges.
                s.execute("GRANT " + quoteIdentifier(appUser) + " TO " + quoteIdentifier(username)
                        + " WITH ADMIN OPTION, INHERIT FALSE, SET FALSE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create master user " + username + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private static int serverVersionNum(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SHOW server_version_num")) {
            rows.next();
            return Integer.parseInt(rows.getString(1).trim());
        }
    }

    @Override
    public int maxUsernameLength() {
        return MAX_NAME_BYTES;
    }

    @Override
    public java.util.Map<String, String> functionEnvironment() {
        return java.util.Map.of();
    }

    @Override
    public void setPasswordAsAdmin(String username, String password) {
        requireNonEmpty(username, "username");
        requireNonEmpty(password, "password");
        quoteIdentifier(username);
        try (Connection c = admin()) {
            c.unwrap(PGConnection.class).alterUserPassword(username, password.toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the password of " + username + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Drops the role after ending its sessions, handing back databases it owns and removing its grants
     * and objects in every database where it has any (DROP ROLE refuses while those exist).
     */
    @Override
    public void dropUser(String username) {
        requireNonEmpty(username, "username");
        String role = quoteIdentifier(username);
        if (!userExists(username)) {
            return;
        }
        Set<String> databases = new LinkedHashSet<>();
        try (Connection c = admin()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?")) {
                ps.setString(1, username);
                ps.executeQuery().close();
            }
            List<String> owned = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = ?)")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        owned.add(rs.getString(1));
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                for (String db : owned) {
                    s.execute("ALTER DATABASE " + quoteIdentifier(db) + " OWNER TO CURRENT_USER");
                }
            }
            databases.add(c.getCatalog());
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT d.datname FROM pg_shdepend s "
                    + "JOIN pg_database d ON d.oid = s.dbid "
                    + "WHERE s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = ?) AND d.datallowconn")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        databases.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop user " + username + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
        for (String db : databases) {
            try (Connection c = adminTo(db); Statement s = c.createStatement()) {
                s.execute("REASSIGN OWNED BY " + role + " TO CURRENT_USER");
                s.execute("DROP OWNED BY " + role);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop what user " + username + " owns in " + db + " on "
                        + describe() + ": " + e.getMessage(), e);
            }
        }
        execute("drop user " + username, "DROP ROLE IF EXISTS " + role);
    }

    @Override
    public boolean userExists(String username) {
        try (Connection c = admin(); PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up user " + username + " on " + describe(), e);
        }
    }

    @Override
    boolean isAuthenticationFailure(SQLException e) {
        // 28P01 invalid_password (also what a missing role gets under password auth), 28000 no pg_hba entry.
        return "28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState());
    }

    @Override
    public boolean sessionUsesTls(Connection session) throws SQLException {
        try (Statement s = session.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
