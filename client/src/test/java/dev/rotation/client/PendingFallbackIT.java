package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.rotation.testkit.RotationWorld;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import java.net.InetAddress;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whoever can write an AWSPENDING version must not be able to send the application elsewhere: after a
 * refused login the data source tries AWSPENDING only if it names the same server as AWSCURRENT. Real
 * MariaDB/PostgreSQL, the local Secrets Manager over HTTP, and a fake server on 127.0.0.2 (another host)
 * that records what it receives.
 */
class PendingFallbackIT {

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgres"})
    void getConnection_whenPendingNamesAnotherHost_neverConnectsThere(String engine) throws Exception {
        TestDatabase db = engine.equals("postgres") ? TestDatabases.postgres() : TestDatabases.mysql();
        String dbName = db.createDatabase("pending");
        String user = RotationWorld.unique("pending");
        String current = RotationWorld.randomPassword();
        String pending = RotationWorld.randomPassword();
        db.createAppUser(dbName, user, current);
        // The password changed behind the secret's back: AWSCURRENT is refused, so AWSPENDING is consulted.
        db.setPasswordAsAdmin(user, pending);
        NoTlsServer elsewhere = NoTlsServer.on(engine.equals("postgres"), InetAddress.getByName("127.0.0.2"));
        Throwable failure;
        SecretsManagerDataSource ds;
        try (LocalSecrets secrets = new LocalSecrets(); elsewhere) {
            String id = secrets.create(secret(db, db.host(), db.port(), user, current, dbName));
            secrets.putPending(id, secret(db, "127.0.0.2", elsewhere.port(), user, pending, dbName));
            ds = SecretsManagerDataSource.builder().secretId(id).client(secrets.client)
                    .retryPolicy(RetryPolicy.builder().maxRounds(2).build()).build();

            failure = catchThrowable(ds::getConnection);
        }

        assertThat(elsewhere.connections()).as("connections to the pending version's host").isZero();
        assertThat(elsewhere.received().contains(pending)).as("the pending password reached that host").isFalse();
        // Refused with the current credentials: MySQL 28000, PostgreSQL 28P01.
        assertThat(failure).isInstanceOf(SQLInvalidAuthorizationSpecException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("28000", "28P01"));
        assertThat(ds.metrics().pendingLogins()).isZero();
    }

    private static String secret(TestDatabase db, String host, int port, String user, String password, String dbName) {
        return "{\"engine\":\"" + db.engine() + "\",\"host\":\"" + host + "\",\"port\":" + port + ",\"username\":\""
                + user + "\",\"password\":\"" + password + "\",\"dbname\":\"" + dbName + "\",\"ssl\":false}";
    }
}
