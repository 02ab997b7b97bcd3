package dev.rotation.postgres;

import dev.rotation.shared.SingleUserRotationHandler;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda function that rotates the password of a single PostgreSQL or Aurora PostgreSQL user.
 *
 * <pre>{@code
 * # template.yaml
 * Handler: dev.rotation.postgres.PostgresRotationHandler
 * }</pre>
 */
public final class PostgresRotationHandler extends SingleUserRotationHandler {

    /** For Lambda: the Secrets Manager client and configuration come from the process environment. */
    public PostgresRotationHandler() {
        super(new PostgresEngine());
        // SnapStart: prime this handler's createSecret before the snapshot (no-op without SnapStart).
        PostgresPriming.register(client -> new PostgresRotationHandler(client, environment(), line -> { }));
    }

    /** With an explicit client and configuration; each JSON log line goes to {@code logSink}. */
    public PostgresRotationHandler(SecretsManagerClient client, Map<String, String> environment,
            Consumer<String> logSink) {
        super(client, environment, new PostgresEngine(), logSink);
    }
}
