package dev.rotation.mysql;

import dev.rotation.shared.SingleUserRotationHandler;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda function that rotates the password of a single MySQL, Aurora MySQL or MariaDB user.
 *
 * <pre>{@code
 * # template.yaml
 * Handler: dev.rotation.mysql.MySqlRotationHandler
 * }</pre>
 */
public final class MySqlRotationHandler extends SingleUserRotationHandler {

    /** For Lambda: the Secrets Manager client and configuration come from the process environment. */
    public MySqlRotationHandler() {
        super(new MySqlEngine());
        // SnapStart: prime this handler's createSecret before the snapshot (no-op without SnapStart).
        MySqlPriming.register(client -> new MySqlRotationHandler(client, environment(), line -> { }));
    }

    /** With an explicit client and configuration; each JSON log line goes to {@code logSink}. */
    public MySqlRotationHandler(SecretsManagerClient client, Map<String, String> environment, Consumer<String> logSink) {
        super(client, environment, new MySqlEngine(), logSink);
    }
}
