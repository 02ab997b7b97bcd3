package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import java.sql.Connection;
import java.util.Objects;

/**
 * {@link DatabaseEngine#changeOwnPassword}: the user a connection is logged in as changes its own
 * password.
 *
 * @param connection logged in as {@code loggedInAs}'s user, an ordinary application user
 * @param loggedInAs the credentials the connection logged in with (some servers want the current password)
 * @param newPassword the password the user must have afterwards
 */
public record PasswordChangeRequest(Connection connection, DatabaseSecret loggedInAs, String newPassword) {

    public PasswordChangeRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(loggedInAs, "loggedInAs");
        Objects.requireNonNull(newPassword, "newPassword");
    }

    /** Never shows the new password. */
    @Override
    public String toString() {
        return "PasswordChangeRequest{user=" + loggedInAs.username() + ", newPassword=<redacted>}";
    }
}
