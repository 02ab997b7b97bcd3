package dev.rotation.mysql;

import dev.rotation.shared.AlternatingUsersRotationHandler;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda function that rotates a MySQL, Aurora MySQL or MariaDB secret with alternating users
 * ({@code name} and {@code name_clone}), using the master secret its {@code masterarn} key names.
 *
 * <pre>{@code
 * # template.yaml
 * Handler: dev.rotation.mysql.MySqlAlternatingUsersRotationHandler
 * }</pre>
 */
public final class MySqlAlternatingUsersRotationHandler extends AlternatingUsersRotationHandler {

    /** For Lambda: the Secrets Manager client and configuration come from the process environment. */
    public MySqlAlternatingUsersRotationHandler() {
        super(new MySqlEngine(), new MySqlUserAdmin());
        // SnapStart: prime this handler's createSecret before the snapshot (no-op without SnapStart).
        MySqlPriming.register(client -> new MySqlAlternatingUsersRotationHandler(client, environment(), line -> { }));
    }

    /** With an explicit client and configuration; each JSON log line goes to {@code logSink}. */
    public MySqlAlternatingUsersRotationHandler(SecretsManagerClient client, Map<String, String> environment,
            Consumer<String> logSink) {
        super(client, environment, new MySqlEngine(), new MySqlUserAdmin(), logSink);
    }
}
