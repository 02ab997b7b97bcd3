package dev.rotation.testkit.contract.alternating;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.testdb.TestDatabase;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What an engine module tells the alternating-users contract: its server, its alternating-users
 * handler, how to make a master user that is not a superuser, and how an operator grants an extra
 * privilege to the application's users under the module's design.
 */
public interface AlternatingUsersTarget {

    /** The server the tests run against; every test makes its own users. */
    TestDatabase database();

    /** The module's alternating-users handler, built as the module builds it. */
    RequestHandler<SecretsManagerRotationEvent, Void> handler(SecretsManagerClient client,
            Map<String, String> environment, Consumer<String> logSink);

    /** The longest user name the handler accepts by default (its createSecret limit). */
    int defaultUsernameLimit();

    /**
     * Creates, as the test server's administrator, a master user like a managed database's: it may
     * create users and grant what the application users hold, but it is no superuser.
     *
     * @param appUser the application user the master will administer (some engines need a grant on it)
     */
    void createMaster(String dbName, String username, String password, String appUser);

    /** Drops a master user made by {@link #createMaster}. */
    void dropMaster(String username);

    /** A privilege outside the application's database, created by the administrator for one test. */
    ExtraPrivilege extraPrivilege(String dbName);

    /** One privilege the administrator grants and revokes the way the module's documentation says. */
    interface ExtraPrivilege {
        /** Grants it to the user {@code currentUser} is (on PostgreSQL: to the pair's base role). */
        void grantTo(String currentUser);

        /** Revokes it the same way. */
        void revokeFrom(String currentUser);

        /** Whether {@code username} can use it, logged in with {@code password}. */
        boolean usableBy(String username, String password);
    }
}
