package dev.rotation.mysql;

import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.AlternateUsername;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.FakeServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The MySQL module as the test kit sees it (registered in META-INF/services, so failsafe runs every
 * contract of the test kit against it): the shared MySQL-compatible test server, this engine, a fake
 * MySQL server, how a privilege is granted to the pair, and the deployment jar.
 */
public final class MySqlTarget implements EngineTarget {

    @Override
    public MySqlEngine engine() {
        return new MySqlEngine();
    }

    @Override
    public MySqlEngine userAdministration() {
        return new MySqlEngine();
    }

    @Override
    public TestDatabase database() {
        return TestDatabases.mysql();
    }

    @Override
    public TestDatabase startOwnDatabase() {
        return TestDatabases.startMysql();
    }

    @Override
    public TestDatabase startTlsDatabase(TlsMaterial tls) {
        return TestDatabases.startMysqlWithTls(tls);
    }

    @Override
    public FakeServer startFakeServerWithoutTls() {
        return FakeMySqlServer.start();
    }

    @Override
    public DeploymentJar deploymentJar() {
        return new DeploymentJar(Path.of("target", "rotation-mysql.jar"),
                List.of(MySqlRotationHandler.class.getName(), MySqlAlternatingUsersRotationHandler.class.getName()),
                "com.mysql.cj.jdbc.Driver", List.of("org/postgresql/"),
                // Connector/J's X DevAPI, which only the X protocol uses.
                List.of("com/mysql/cj/x/", "com/mysql/cj/xdevapi/", "com/mysql/cj/protocol/x/"), 7 * 1_000_000L);
    }

    /** In GRANT, _ and % in a database name are wildcards; escaped, the grant names this one database. */
    static String grantDatabase(String database) {
        return MySqlEngine.quote(database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%"));
    }

    @Override
    public void revokeUserCreation(TestDatabase db, String master) {
        admin(db, "REVOKE CREATE USER ON *.* FROM " + MySqlEngine.account(master, "%"));
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

    /** A table in a database of its own, granted to the current user (the next rotation copies it). */
    @Override
    public ExtraPrivilege extraPrivilege(TestDatabase db, String dbName) {
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
