package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Single-user rotation: one database user whose password changes. createSecret stores the current
 * secret with a new password; setSecret logs in as that user with the current password (or, after a
 * half-finished rotation, the AWSPREVIOUS one) and changes its own password to the pending one. The
 * user needs no admin rights. Applications holding the old password fail between setSecret and
 * finishSecret; alternating users avoid that.
 *
 * <p>An engine module ships it as a Lambda handler with a public no-argument constructor:
 *
 * <pre>{@code
 * package dev.rotation.mysql;
 *
 * public final class MySqlRotationHandler extends SingleUserRotationHandler {
 *     public MySqlRotationHandler() {
 *         super(new MySqlEngine());
 *     }
 * }
 * // template.yaml: Handler: dev.rotation.mysql.MySqlRotationHandler
 * // tests:         new SingleUserRotationHandler(client, environment, new MySqlEngine(), logLines::add)
 * }</pre>
 */
public class SingleUserRotationHandler extends RotationHandler {

    /** For Lambda: the shared Secrets Manager client, the process environment, logs on stdout. */
    protected SingleUserRotationHandler(DatabaseEngine engine) {
        super(engine);
        // SnapStart and provisioned concurrency: prime this strategy's createSecret and the engine's
        // login classes ahead of the first request (no-op in other environments).
        Priming.register(client -> new SingleUserRotationHandler(client, environment(), engine, line -> { }),
                engine);
    }

    /** With an explicit client and configuration; logs on stdout. */
    public SingleUserRotationHandler(SecretsManagerClient client, Map<String, String> environment, DatabaseEngine engine) {
        super(client, environment, engine, System.out::println);
    }

    /** With an explicit client and configuration; each JSON log line goes to {@code logSink}. */
    public SingleUserRotationHandler(SecretsManagerClient client, Map<String, String> environment, DatabaseEngine engine,
            Consumer<String> logSink) {
        super(client, environment, engine, logSink);
    }

    /** The current secret with the new password; every other key unchanged. */
    @Override
    protected DatabaseSecret pendingSecret(DatabaseSecret current, String newPassword) {
        return current.withPassword(newPassword);
    }

    /**
     * Checks that pending and current name the same user on the same server, logs in with the
     * current password or else the previous one, and changes the user's own password.
     */
    @Override
    protected PasswordChange applyPendingSecret(SetSecretContext context) {
        DatabaseSecret current = context.current();
        DatabaseSecret pending = context.pending();
        if (!pending.username().equals(current.username())) {
            throw new RotationException("the pending secret names user '" + pending.username()
                    + "' but the current one names user '" + current.username()
                    + "'; single-user rotation only changes a user's own password");
        }
        int defaultPort = context.engine().description().defaultPort();
        if (!pending.host().toLowerCase(Locale.ROOT).equals(current.host().toLowerCase(Locale.ROOT))
                || pending.port().orElse(defaultPort) != current.port().orElse(defaultPort)) {
            throw new RotationException("the pending secret names server " + pending.host() + ":"
                    + pending.port().orElse(defaultPort) + " but the current one names " + current.host() + ":"
                    + current.port().orElse(defaultPort));
        }
        DatabaseSecret loggedIn = current;
        Optional<Connection> connection = context.login().open(current);
        if (connection.isEmpty()) {
            Optional<DatabaseSecret> previous = context.previous();
            if (previous.isPresent()) {
                // Same user and server as current, only the password differs: a half-finished
                // rotation may have left the database holding the previous password.
                loggedIn = current.withPassword(previous.get().password());
                connection = context.login().open(loggedIn);
                if (connection.isPresent()) {
                    context.log("the current password is refused; logged in with the AWSPREVIOUS password");
                }
            }
            if (connection.isEmpty()) {
                throw new RotationException("the database refuses user '" + current.username()
                        + "' with the current password" + (previous.isPresent() ? " and with the previous one"
                        : " and the secret has no usable AWSPREVIOUS version"));
            }
        }
        Connection session = connection.get();
        try {
            return context.engine().changeOwnPassword(new PasswordChangeRequest(session, loggedIn, pending.password()));
        } catch (SQLException e) {
            throw new RotationException("changing the password of user '" + current.username() + "' failed: "
                    + DatabaseLogin.describe(e), e);
        } finally {
            DatabaseLogin.closeQuietly(session);
        }
    }
}
