package dev.rotation.postgres;

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
 * The PostgreSQL module as the test kit sees it (registered in META-INF/services, so failsafe runs
 * every contract of the test kit against it): the shared PostgreSQL test server, this engine, a fake
 * PostgreSQL server, how a privilege is granted to the pair, and the deployment jar.
 */
public final class PostgresTarget implements EngineTarget {

    @Override
    public PostgresEngine engine() {
        return new PostgresEngine();
    }

    @Override
    public PostgresEngine userAdministration() {
        return new PostgresEngine();
    }

    @Override
    public TestDatabase database() {
        return TestDatabases.postgres();
    }

    @Override
    public TestDatabase startOwnDatabase() {
        return TestDatabases.startPostgres();
    }

    @Override
    public TestDatabase startTlsDatabase(TlsMaterial tls) {
        return TestDatabases.startPostgresWithTls(tls);
    }

    @Override
    public FakeServer startFakeServerWithoutTls() {
        return FakePostgresServer.start();
    }

    @Override
    public DeploymentJar deploymentJar() {
        return new DeploymentJar(Path.of("target", "rotation-postgres.jar"),
                List.of(PostgresRotationHandler.class.getName(), PostgresAlternatingUsersRotationHandler.class.getName()),
                "org.postgresql.Driver", List.of("com/mysql/"),
                // pgjdbc's message translations: under Lambda's en-US locale the driver speaks English anyway.
                List.of("org/postgresql/translation/"), 6 * 1_000_000L);
    }

    /** Statements as the test server's administrator, in {@code dbName}. */
    @Override
    public void revokeUserCreation(TestDatabase db, String master) {
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + PostgresEngine.quote(master) + " NOCREATEROLE");
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement failed: " + e.getMessage(), e);
        }
    }

    static void adminIn(TestDatabase db, String dbName, String... statements) {
        try (Connection c = db.connect(dbName, db.adminUsername(), db.adminPassword());
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement failed: " + e.getMessage(), e);
        }
    }

    /** A table in a schema of its own; granted to and revoked from the pair's base role, as the design says. */
    @Override
    public ExtraPrivilege extraPrivilege(TestDatabase db, String dbName) {
        String schema = "alt_extra_" + Long.toHexString(System.nanoTime());
        String table = PostgresEngine.quote(schema) + ".t";
        adminIn(db, dbName, "CREATE SCHEMA " + PostgresEngine.quote(schema), "CREATE TABLE " + table + " (id int)",
                "INSERT INTO " + table + " VALUES (1)");
        return new ExtraPrivilege() {
            @Override
            public void grantTo(String currentUser) {
                String role = PostgresEngine.quote(AlternateUsername.baseOf(currentUser));
                adminIn(db, dbName, "GRANT USAGE ON SCHEMA " + PostgresEngine.quote(schema) + " TO " + role,
                        "GRANT SELECT ON " + table + " TO " + role);
            }

            @Override
            public void revokeFrom(String currentUser) {
                String role = PostgresEngine.quote(AlternateUsername.baseOf(currentUser));
                adminIn(db, dbName, "REVOKE SELECT ON " + table + " FROM " + role);
            }

            @Override
            public boolean usableBy(String username, String password) {
                try (Connection c = db.connect(dbName, username, password); Statement s = c.createStatement();
                        ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    return rows.next() && rows.getInt(1) == 1;
                } catch (SQLException e) {
                    if ("42501".equals(e.getSQLState())) {
                        return false;
                    }
                    throw new IllegalStateException("cannot check the extra privilege: " + e.getMessage(), e);
                }
            }
        };
    }
}
