package dev.rotation.postgres;

import dev.rotation.shared.AlternatingUsersRotationHandler;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda function that rotates a PostgreSQL or Aurora PostgreSQL secret with alternating users
 * ({@code name} and {@code name_clone}, the clone acting as {@code name}; see {@link PostgresUserAdmin}),
 * using the master secret its {@code masterarn} key names.
 *
 * <pre>{@code
 * # template.yaml
 * Handler: dev.rotation.postgres.PostgresAlternatingUsersRotationHandler
 * }</pre>
 */
public final class PostgresAlternatingUsersRotationHandler extends AlternatingUsersRotationHandler {

    /** For Lambda: the Secrets Manager client and configuration come from the process environment. */
    public PostgresAlternatingUsersRotationHandler() {
        super(new PostgresEngine(), new PostgresUserAdmin());
        // SnapStart: prime this handler's createSecret before the snapshot (no-op without SnapStart).
        PostgresPriming.register(client -> new PostgresAlternatingUsersRotationHandler(client, environment(), line -> { }));
    }

    /** With an explicit client and configuration; each JSON log line goes to {@code logSink}. */
    public PostgresAlternatingUsersRotationHandler(SecretsManagerClient client, Map<String, String> environment,
            Consumer<String> logSink) {
        super(client, environment, new PostgresEngine(), new PostgresUserAdmin(), logSink);
    }
}
