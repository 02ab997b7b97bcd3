package dev.rotation.mysql;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.shared.SingleUserRotationHandler;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.ConnectionSettings;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.UserAdministration;
import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.faults.FaultTarget;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The MySQL module as the rotation and fault contracts see it: the shared MySQL-compatible test server,
 * this handler and its user administration.
 */
final class MySqlTarget implements RotationTarget, FaultTarget {

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
    public DatabaseEngine engine() {
        return new MySqlEngine();
    }

    /** Asked from the server: 32 on MySQL 5.7+, 80 or 128 on MariaDB depending on the version. */
    @Override
    public int maxUsernameLength() {
        try (Connection admin = database().admin(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 'user' AND COLUMN_NAME = 'User'")) {
            if (!rows.next()) {
                throw new IllegalStateException("mysql.user has no User column on " + database().describe());
            }
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the user name limit of " + database().describe(), e);
        }
    }

    @Override
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(SecretsManagerClient client,
            Map<String, String> environment, Consumer<String> logSink) {
        return new SingleUserRotationHandler(client, environmentFor(database(), environment), new MySqlEngine(), logSink);
    }

    /**
     * The function's environment for a test server: a MySQL 8+ one (the container, when Docker
     * answers) logs plaintext sessions in with caching_sha2_password, whose full authentication
     * after a password change needs the server's RSA key, which the function fetches only when
     * told to; on loopback no man in the middle can swap it. MariaDB has no such plugin: unchanged.
     * A test that sets the variable itself keeps its value.
     */
    static Map<String, String> environmentFor(TestDatabase db, Map<String, String> environment) {
        if (!db.engine().equals("mysql") || environment.containsKey(ConnectionSettings.ALLOW_PUBLIC_KEY_RETRIEVAL)) {
            return environment;
        }
        Map<String, String> withKeyRetrieval = new HashMap<>(environment);
        withKeyRetrieval.put(ConnectionSettings.ALLOW_PUBLIC_KEY_RETRIEVAL, "true");
        return withKeyRetrieval;
    }

    @Override
    public UserAdministration userAdministration() {
        return new MySqlEngine();
    }

    @Override
    public void createMaster(TestDatabase db, String dbName, String username, String password, String appUser) {
        MySqlAlternatingUsersTarget.createMaster(db, username, password);
    }
}
