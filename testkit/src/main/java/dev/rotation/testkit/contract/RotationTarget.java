package dev.rotation.testkit.contract;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TlsMaterial;
import dev.rotation.shared.DatabaseEngine;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What an engine module tells the contract tests: which server to use, which engine and handler to
 * test. One implementation per engine module serves every contract.
 *
 * <pre>{@code
 * final class MySqlTarget implements RotationTarget {
 *     public TestDatabase database() { return TestDatabases.mysql(); }
 *     public TestDatabase startTlsDatabase(TlsMaterial tls) { return TestDatabases.startMysqlWithTls(tls); }
 *     public DatabaseEngine engine() { return new MySqlEngine(); }
 *     public int maxUsernameLength() { return 80; }
 *     public RequestHandler<SecretsManagerRotationEvent, Void> handler(
 *             SecretsManagerClient client, Map<String, String> environment, Consumer<String> logSink) {
 *         return new MySqlRotationHandler(client, environment, logSink);
 *     }
 * }
 * class MySqlSingleUserRotationIT extends SingleUserRotationContract {
 *     protected RotationTarget target() { return new MySqlTarget(); }
 * }
 * }</pre>
 */
public interface RotationTarget {

    /** The server the tests run against; a shared one is fine, every test makes its own users. */
    TestDatabase database();

    /**
     * A new server of the target's kind offering TLS with {@code tls}'s server certificate (and still
     * accepting plaintext); the caller closes it.
     */
    TestDatabase startTlsDatabase(TlsMaterial tls);

    /** The engine under test (for its default password exclusions and port). */
    DatabaseEngine engine();

    /**
     * The longest user name the server accepts, in characters (in UTF-8 bytes on PostgreSQL; the
     * contract pads with ASCII, so the two agree).
     */
    int maxUsernameLength();

    /** The engine module's handler, built as the module builds it, with this client and configuration. */
    RequestHandler<SecretsManagerRotationEvent, Void> handler(SecretsManagerClient client,
            Map<String, String> environment, Consumer<String> logSink);
}
