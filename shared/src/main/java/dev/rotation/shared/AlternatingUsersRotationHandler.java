package dev.rotation.shared;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Alternating-users rotation: two database users, {@code name} and {@code name_clone}, and each
 * rotation gives the one that is not current a new password, so applications holding the current
 * credentials keep working while the other user changes. A master (admin) login, from the secret
 * the {@code masterarn} key names, creates the second user and changes passwords.
 *
 * <p>createSecret stores the current secret with the other user's name ({@link AlternateUsername})
 * and a new password, after checking the name against the server's limit. setSecret (once the
 * pending credentials do not log in yet) checks that the pending user is the other one on the same
 * server, that the current credentials still log in, reads the master secret at AWSCURRENT (only
 * here), checks that it names the same server, logs in as the master user to the rotated secret's
 * database, and then through {@link UserAdministration}: creates the other user if it is missing,
 * makes its privileges equal to the current user's (on every rotation, so grants never go stale),
 * and only then sets its password.
 *
 * <pre>{@code
 * public final class MySqlAlternatingUsersRotationHandler extends AlternatingUsersRotationHandler {
 *     public MySqlAlternatingUsersRotationHandler() {
 *         super(new MySqlEngine(), new MySqlUserAdmin());
 *     }
 * }
 * // template.yaml: Handler: dev.rotation.mysql.MySqlAlternatingUsersRotationHandler
 * }</pre>
 */
public class AlternatingUsersRotationHandler extends RotationHandler {
    /** The secret key naming the master secret. */
    public static final String MASTER_ARN_KEY = "masterarn";

    private final UserAdministration admin;

    /** For Lambda: the shared Secrets Manager client, the process environment, logs on stdout. */
    protected AlternatingUsersRotationHandler(DatabaseEngine engine, UserAdministration admin) {
        super(engine);
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    /** With an explicit client and configuration; each JSON log line goes to {@code logSink}. */
    public AlternatingUsersRotationHandler(SecretsManagerClient client, Map<String, String> environment,
            DatabaseEngine engine, UserAdministration admin, Consumer<String> logSink) {
        super(client, environment, engine, logSink);
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    /**
     * The current secret with the other user's name and the new password; every other key unchanged.
     *
     * @throws RotationException when the other user's name would be longer than the server allows
     */
    @Override
    protected DatabaseSecret pendingSecret(DatabaseSecret current, String newPassword) {
        String other = AlternateUsername.of(current.username());
        admin.usernameLimit(environment()).check(other);
        return current.withUsername(other).withPassword(newPassword);
    }

    @Override
    protected void applyPendingSecret(SetSecretContext context) {
        DatabaseSecret current = context.current();
        DatabaseSecret pending = context.pending();
        String expected = AlternateUsername.of(current.username());
        if (!pending.username().equals(expected)) {
            throw new RotationException("the pending secret names user '" + pending.username() + "' but alternating"
                    + " users switch from user '" + current.username() + "' to user '" + expected + "'");
        }
        int defaultPort = context.engine().defaultPort();
        if (!sameServer(pending, current, defaultPort)) {
            throw new RotationException("the pending secret names server " + server(pending, defaultPort)
                    + " but the current one names " + server(current, defaultPort));
        }
        if (!context.login().logsIn(current)) {
            throw new RotationException("the current user '" + current.username() + "' does not log in with the"
                    + " AWSCURRENT password (was it dropped, or its password changed outside rotation?); nothing"
                    + " was changed");
        }
        DatabaseSecret master = readMaster(context, current);
        if (!sameServer(master, current, defaultPort)) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' is for server "
                    + server(master, defaultPort) + " but the rotated secret is for server "
                    + server(current, defaultPort) + "; the master must log in to the same server");
        }
        DatabaseSecret masterLogin = masterLogin(master, current);
        Connection session = context.login().open(masterLogin).orElseThrow(() -> new RotationException(
                "the database refuses the master user '" + master.username() + "' of the secret named by key '"
                        + MASTER_ARN_KEY + "' (" + current.masterArn().orElse("") + ")"));
        try {
            if (!admin.userExists(session, current.username())) {
                throw new RotationException("the current user '" + current.username() + "' does not exist on the"
                        + " server; nothing was changed");
            }
            admin.requireManageable(session, current.username(), pending.username(), master.username());
            if (admin.ensureUser(session, current.username(), pending.username(), context::log)) {
                context.log("created user '" + pending.username() + "'");
            }
            admin.synchronizePrivileges(session, current.username(), pending.username(), context::log);
            admin.setPassword(session, pending.username(), pending.password());
            context.log("user '" + pending.username() + "' has the privileges of user '" + current.username()
                    + "' and the pending password");
        } catch (SQLException e) {
            throw new RotationException("preparing user '" + pending.username() + "' as the master user failed: "
                    + DatabaseLogin.describe(e), e);
        } finally {
            DatabaseLogin.closeQuietly(session);
        }
    }

    /** The master secret at AWSCURRENT; every failure names the {@code masterarn} key, never a value. */
    private static DatabaseSecret readMaster(SetSecretContext context, DatabaseSecret current) {
        Optional<String> masterArn = current.masterArn();
        if (masterArn.isEmpty()) {
            throw new RotationException("the AWSCURRENT secret has no key '" + MASTER_ARN_KEY + "'; alternating users"
                    + " need the ARN of a secret holding a master (admin) login to the same server");
        }
        String arn = masterArn.get();
        try {
            return context.readSecret(arn, VersionStages.CURRENT);
        } catch (ResourceNotFoundException e) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' (" + arn
                    + ") does not exist or has no AWSCURRENT value");
        } catch (SecretsManagerException e) {
            String code = e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' (" + arn
                    + ") cannot be read: " + code + " (the function needs secretsmanager:GetSecretValue on it, and"
                    + " kms:Decrypt on its key)");
        } catch (SdkException e) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' (" + arn
                    + ") cannot be read: " + e.getClass().getSimpleName());
        } catch (RotationException e) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "': " + e.getMessage());
        }
    }

    /** The master's credentials and server, with the rotated secret's database (the master's when it has none). */
    private static DatabaseSecret masterLogin(DatabaseSecret master, DatabaseSecret rotated) {
        DatabaseSecret.Builder login = DatabaseSecret.builder().engine(master.engine()).host(master.host())
                .username(master.username()).password(master.password()).ssl(master.ssl());
        master.port().ifPresent(login::port);
        rotated.dbname().or(master::dbname).ifPresent(login::dbname);
        return login.build();
    }

    private static boolean sameServer(DatabaseSecret a, DatabaseSecret b, int defaultPort) {
        return a.host().toLowerCase(Locale.ROOT).equals(b.host().toLowerCase(Locale.ROOT))
                && a.port().orElse(defaultPort) == b.port().orElse(defaultPort);
    }

    private static String server(DatabaseSecret secret, int defaultPort) {
        return secret.host() + ":" + secret.port().orElse(defaultPort);
    }
}
