package dev.rotation.local.testdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The administration SQL for MySQL and MariaDB.
 *
 * <p>Account names are quoted as identifiers with backticks ({@code `name`@`%`}): inside backticks only the
 * backtick itself needs doubling, whatever the {@code sql_mode} (backslashes and quotes are literal), so
 * this is correct on every MySQL and MariaDB version. Passwords are bound as parameters.
 */
final class MySqlTestDatabase extends AbstractTestDatabase {
    /** MySQL's limit on user names (MariaDB allows more, so this is the portable maximum). */
    static final int MAX_USERNAME_LENGTH = 32;

    private volatile String engine;

    MySqlTestDatabase(DatabaseServer server, boolean shared) {
        super(server, shared);
    }

    @Override
    public String engine() {
        String e = engine;
        if (e == null) {
            try (Connection c = admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
                rs.next();
                e = rs.getString(1).toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? "mariadb" : "mysql";
            } catch (SQLException ex) {
                throw new IllegalStateException("cannot read the server version of " + describe(), ex);
            }
            engine = e;
        }
        return e;
    }

    @Override
    String quoteIdentifier(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a MySQL identifier cannot contain NUL");
        }
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** {@code `user`@`%`}: app users may connect from anywhere the server is reachable from. */
    String account(String username) {
        return quoteIdentifier(username) + "@`%`";
    }

    /**
     * In GRANT, {@code _} and {@code %} in a database name are wildcards; escape them to mean only this one.
     * Except on MySQL with {@code partial_revokes} on, which takes them literally (escaping would then name
     * another database).
     */
    String grantDatabase(String database, boolean wildcards) {
        return quoteIdentifier(wildcards
                ? database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") : database);
    }

    private static boolean grantsUseWildcards(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.partial_revokes")) {
            return !(rs.next() && rs.getBoolean(1));
        } catch (SQLException noSuchVariable) {
            return true; // MariaDB and MySQL before 8.0.16
        }
    }

    @Override
    public void createAppUser(String database, String username, String password) {
        requireNonEmpty(database, "database");
        requireNonEmpty(username, "username");
        requireNonEmpty(password, "password");
        try (Connection c = admin()) {
            try (PreparedStatement ps = c.prepareStatement("CREATE USER " + account(username) + " IDENTIFIED BY ?")) {
                ps.setString(1, password);
                ps.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("GRANT ALL PRIVILEGES ON " + grantDatabase(database, grantsUseWildcards(c)) + ".* TO "
                        + account(username));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create user " + username + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /** What an RDS master user holds on MySQL and MariaDB, less what only RDS itself has (no SUPER). */
    static final String MASTER_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS,"
            + " REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE,"
            + " REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE,"
            + " CREATE USER, EVENT, TRIGGER";

    @Override
    public void createMaster(String database, String username, String password, String appUser) {
        requireNonEmpty(username, "username");
        requireNonEmpty(password, "password");
        try (Connection c = admin()) {
            try (PreparedStatement create = c.prepareStatement("CREATE USER " + account(username) + " IDENTIFIED BY ?")) {
                create.setString(1, password);
                create.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("GRANT " + MASTER_PRIVILEGES + (engine().equals("mariadb") ? ", DELETE HISTORY" : "")
                        + (hasShowCreateRoutine(c) ? ", SHOW CREATE ROUTINE" : "")
                        + " ON *.* TO " + account(username) + " WITH GRANT OPTION");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create master user " + username + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * MariaDB 11.3 and later have SHOW CREATE ROUTINE, which ALL PRIVILEGES on a database includes: a master
     * without it cannot grant what an application user with ALL PRIVILEGES holds.
     */
    private static boolean hasShowCreateRoutine(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SHOW CREATE ROUTINE'")) {
            return rows.next() && rows.getInt(1) > 0;
        }
    }

    /** Asked from the server: 32 on MySQL 5.7+, 80 or 128 on MariaDB depending on the version. */
    @Override
    public int maxUsernameLength() {
        try (Connection c = admin(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS"
                     + " WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 'user' AND COLUMN_NAME = 'User'")) {
            if (!rows.next()) {
                throw new IllegalStateException("mysql.user has no User column on " + describe());
            }
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the user name limit of " + describe(), e);
        }
    }

    @Override
    public java.util.Map<String, String> functionEnvironment() {
        return engine().equals("mysql") ? java.util.Map.of("ALLOW_PUBLIC_KEY_RETRIEVAL", "true") : java.util.Map.of();
    }

    @Override
    public void setPasswordAsAdmin(String username, String password) {
        requireNonEmpty(username, "username");
        requireNonEmpty(password, "password");
        try (Connection c = admin();
             PreparedStatement ps = c.prepareStatement("ALTER USER " + account(username) + " IDENTIFIED BY ?")) {
            ps.setString(1, password);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the password of " + username + " on " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void dropUser(String username) {
        requireNonEmpty(username, "username");
        execute("drop user " + username, "DROP USER IF EXISTS " + account(username));
    }

    @Override
    public boolean userExists(String username) {
        try (Connection c = admin();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = '%'")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up user " + username + " on " + describe(), e);
        }
    }

    @Override
    boolean isAuthenticationFailure(SQLException e) {
        // 1045 ER_ACCESS_DENIED_ERROR, 1698 ER_ACCESS_DENIED_NO_PASSWORD_ERROR, 1251/1524 unusable auth plugin.
        int code = e.getErrorCode();
        return code == 1045 || code == 1698;
    }

    @Override
    public boolean sessionUsesTls(Connection session) throws SQLException {
        try (Statement s = session.createStatement();
             ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            return rs.next() && rs.getString(2) != null && !rs.getString(2).isEmpty();
        }
    }
}
