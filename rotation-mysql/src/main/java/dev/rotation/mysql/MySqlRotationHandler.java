package dev.rotation.mysql;

import dev.rotation.shared.SingleUserRotationHandler;

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
    }
}
