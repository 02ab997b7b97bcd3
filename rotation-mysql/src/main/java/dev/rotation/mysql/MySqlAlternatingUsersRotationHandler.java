package dev.rotation.mysql;

import dev.rotation.shared.AlternatingUsersRotationHandler;

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
        super(new MySqlEngine());
    }
}
