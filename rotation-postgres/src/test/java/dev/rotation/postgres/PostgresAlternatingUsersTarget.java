package dev.rotation.postgres;

import dev.rotation.shared.AlternatingUsersRotationHandler;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.shared.AlternateUsername;
import dev.rotation.testkit.contract.alternating.AlternatingUsersTarget;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The PostgreSQL module as the alternating-users contract sees it. */
final class PostgresAlternatingUsersTarget implements AlternatingUsersTarget {

    @Override
    public TestDatabase database() {
        return TestDatabases.postgres();
    }

    @Override
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(SecretsManagerClient client,
            Map<String, String> environment, Consumer<String> logSink) {
        return new AlternatingUsersRotationHandler(client, environment, new PostgresEngine(), new PostgresEngine(), logSink);
    }

    @Override
    public int defaultUsernameLimit() {
        return PostgresEngine.MAX_NAME_BYTES;
    }

    /**
     * CREATEROLE and CONNECT on the database, no superuser. On PostgreSQL 16+ CREATEROLE alone no
     * longer lets it grant membership in, or change the password of, a role it did not create: it
     * also gets ADMIN OPTION on the application user (without inheriting its privileges).
     */
    @Override
    public void createMaster(String dbName, String username, String password, String appUser) {
        createMaster(database(), dbName, username, password, appUser);
    }

    static void createMaster(TestDatabase db, String dbName, String username, String password, String appUser) {
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + PostgresEngine.quote(username) + " WITH LOGIN CREATEROLE NOSUPERUSER"
                    + " NOCREATEDB NOREPLICATION NOBYPASSRLS");
            c.unwrap(PGConnection.class).alterUserPassword(username, password.toCharArray(), "scram-sha-256");
            s.execute("GRANT CONNECT ON DATABASE " + PostgresEngine.quote(dbName) + " TO "
                    + PostgresEngine.quote(username));
            if (serverVersion(c) >= 160000) {
                s.execute("GRANT " + PostgresEngine.quote(appUser) + " TO " + PostgresEngine.quote(username)
                        + " WITH ADMIN OPTION, INHERIT FALSE, SET FALSE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create master user " + username + ": " + e.getMessage(), e);
        }
    }

    static int serverVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SHOW server_version_num")) {
            rows.next();
            return Integer.parseInt(rows.getString(1));
        }
    }

    @Override
    public void dropMaster(String username) {
        database().dropUser(username);
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
    public ExtraPrivilege extraPrivilege(String dbName) {
        TestDatabase db = database();
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
