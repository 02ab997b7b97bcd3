package dev.rotation.postgres;

import dev.rotation.shared.SingleUserRotationHandler;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.UserAdministration;
import dev.rotation.testkit.contract.RotationTarget;
import dev.rotation.testkit.faults.FaultTarget;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The PostgreSQL module as the rotation and fault contracts see it: the shared PostgreSQL test server,
 * this handler and its user administration.
 */
final class PostgresTarget implements RotationTarget, FaultTarget {

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
    public DatabaseEngine engine() {
        return new PostgresEngine();
    }

    /** NAMEDATALEN - 1 bytes. */
    @Override
    public int maxUsernameLength() {
        return 63;
    }

    @Override
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(SecretsManagerClient client,
            Map<String, String> environment, Consumer<String> logSink) {
        return new SingleUserRotationHandler(client, environment, new PostgresEngine(), logSink);
    }

    @Override
    public UserAdministration userAdministration() {
        return new PostgresEngine();
    }

    @Override
    public void createMaster(TestDatabase db, String dbName, String username, String password, String appUser) {
        PostgresAlternatingUsersTarget.createMaster(db, dbName, username, password, appUser);
    }
}
