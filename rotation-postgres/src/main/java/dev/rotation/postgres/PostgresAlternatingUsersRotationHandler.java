package dev.rotation.postgres;

import dev.rotation.shared.AlternatingUsersRotationHandler;

/**
 * The Lambda function that rotates a PostgreSQL or Aurora PostgreSQL secret with alternating users
 * ({@code name} and {@code name_clone}, the clone acting as {@code name}; see {@link PostgresEngine}),
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
        super(new PostgresEngine());
    }
}
