package dev.rotation.postgres;

import dev.rotation.shared.SingleUserRotationHandler;

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
    }
}
