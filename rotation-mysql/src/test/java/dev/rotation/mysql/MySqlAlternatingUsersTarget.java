package dev.rotation.mysql;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.shared.AlternatingUsersRotationHandler;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.shared.AlternateUsername;
import dev.rotation.testkit.contract.alternating.AlternatingUsersTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The MySQL module as the alternating-users contract sees it. */
final class MySqlAlternatingUsersTarget implements AlternatingUsersTarget {

    /**
     * What an RDS for MySQL/MariaDB master user holds on *.* WITH GRANT OPTION (no SUPER), as the
     * RDS documentation lists it; MariaDB adds DELETE HISTORY.
     */
    static final String MASTER_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS,"
            + " REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE,"
            + " REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE,"
            + " CREATE USER, EVENT, TRIGGER";

    @Override
    public TestDatabase database() {
        return TestDatabases.mysql();
    }

    @Override
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(SecretsManagerClient client,
            Map<String, String> environment, Consumer<String> logSink) {
        return new AlternatingUsersRotationHandler(client, MySqlTarget.environmentFor(database(), environment),
                new MySqlEngine(), new MySqlEngine(), logSink);
    }

    @Override
    public int defaultUsernameLimit() {
        return MySqlEngine.DEFAULT_MAX_USERNAME_LENGTH;
    }

    @Override
    public void createMaster(String dbName, String username, String password, String appUser) {
        createMaster(database(), username, password);
    }

    static void createMaster(TestDatabase db, String username, String password) {
        try (Connection c = db.admin()) {
            String account = MySqlEngine.account(username, "%");
            try (PreparedStatement create = c.prepareStatement("CREATE USER " + account + " IDENTIFIED BY ?")) {
                create.setString(1, password);
                create.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("GRANT " + MASTER_PRIVILEGES + (isMariaDb(c) ? ", DELETE HISTORY" : "") + " ON *.* TO "
                        + account + " WITH GRANT OPTION");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create master user " + username + ": " + e.getMessage(), e);
        }
    }

    static boolean isMariaDb(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT VERSION()")) {
            rows.next();
            return rows.getString(1).toLowerCase(Locale.ROOT).contains("mariadb");
        }
    }

    @Override
    public void dropMaster(String username) {
        database().dropUser(username);
    }

    /** In GRANT, _ and % in a database name are wildcards; escaped, the grant names this one database. */
    static String grantDatabase(String database) {
        return MySqlEngine.quote(database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%"));
    }

    static void admin(TestDatabase db, String... statements) {
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement failed: " + e.getMessage(), e);
        }
    }

    @Override
    public ExtraPrivilege extraPrivilege(String dbName) {
        TestDatabase db = database();
        String extraDb = db.createDatabase("alt_extra");
        String table = MySqlEngine.quote(extraDb) + ".`t`";
        admin(db, "CREATE TABLE " + table + " (id INT)", "INSERT INTO " + table + " VALUES (1)");
        return new ExtraPrivilege() {
            @Override
            public void grantTo(String currentUser) {
                admin(db, "GRANT SELECT ON " + grantDatabase(extraDb) + ".* TO " + MySqlEngine.account(currentUser, "%"));
            }

            /**
             * From both users of the pair, as this module's documentation says: rotation refuses to manage
             * an other user that holds privileges on an object the current user holds nothing on (it
             * cannot tell that from someone else's account), so a whole object is taken away from both.
             */
            @Override
            public void revokeFrom(String currentUser) {
                for (String user : List.of(AlternateUsername.baseOf(currentUser), AlternateUsername.cloneOf(currentUser))) {
                    admin(db, "REVOKE SELECT ON " + grantDatabase(extraDb) + ".* FROM " + MySqlEngine.account(user, "%"));
                }
            }

            @Override
            public boolean usableBy(String username, String password) {
                try (Connection c = db.connect(dbName, username, password); Statement s = c.createStatement();
                        ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    return rows.next() && rows.getInt(1) == 1;
                } catch (SQLException e) {
                    if (e.getErrorCode() == 1142 || e.getErrorCode() == 1044) {
                        return false;
                    }
                    throw new IllegalStateException("cannot check the extra privilege: " + e.getMessage(), e);
                }
            }
        };
    }
}
