package dev.rotation.shared;

import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.MasterSecret;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
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
 * server and that the current credentials still log in, then reads the master secret at AWSCURRENT
 * (only here) and finds the master's server from the master secret alone: its {@code host} and
 * {@code port} keys or, for a master secret RDS manages (which holds only a username and password),
 * the endpoint of the DB instance or cluster its system tag names ({@value #RDS_INSTANCE_TAG},
 * {@value #RDS_CLUSTER_TAG}), from the RDS API. That server must be the rotated secret's; the master
 * then logs in to it with its own {@code ssl} setting and database, and through
 * {@link UserAdministration}: refuses an other user the pair does not manage, creates the other
 * user if it is missing, makes its privileges equal to the current user's (on every rotation, so
 * grants never go stale), and only then sets its password.
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
    /** The system tag RDS puts on the master secret it manages for a DB instance: the instance's ARN. */
    public static final String RDS_INSTANCE_TAG = "aws:rds:primaryDBInstanceArn";
    /** The system tag RDS puts on the master secret it manages for a DB cluster: the cluster's ARN. */
    public static final String RDS_CLUSTER_TAG = "aws:rds:primaryDBClusterArn";

    private final UserAdministration admin;
    private final Function<Map<String, String>, RdsEndpointLookup> rdsLookup;

    /** For Lambda: the shared Secrets Manager client, the process environment, logs on stdout. */
    protected <E extends DatabaseEngine & UserAdministration> AlternatingUsersRotationHandler(E engine) {
        this(engine, engine);
    }

    /** For Lambda, with the user administration apart from the engine. */
    protected AlternatingUsersRotationHandler(DatabaseEngine engine, UserAdministration admin) {
        super(engine);
        this.admin = Objects.requireNonNull(admin, "admin");
        this.rdsLookup = RdsQueryApi::new;
        // As SingleUserRotationHandler: prime createSecret and the login classes when Lambda allows it.
        Priming.register(client -> new AlternatingUsersRotationHandler(client, environment(), engine, admin, line -> { }),
                engine);
    }

    /** With an explicit client and configuration; each JSON log line goes to {@code logSink}. */
    public AlternatingUsersRotationHandler(SecretsManagerClient client, Map<String, String> environment,
            DatabaseEngine engine, UserAdministration admin, Consumer<String> logSink) {
        this(client, environment, engine, admin, null, logSink);
    }

    /**
     * As above, with {@code rdsLookup} standing in for the RDS API (null: the RDS API, at
     * {@code RDS_ENDPOINT} when set).
     */
    public AlternatingUsersRotationHandler(SecretsManagerClient client, Map<String, String> environment,
            DatabaseEngine engine, UserAdministration admin, RdsEndpointLookup rdsLookup, Consumer<String> logSink) {
        super(client, environment, engine, logSink);
        this.admin = Objects.requireNonNull(admin, "admin");
        this.rdsLookup = rdsLookup == null ? RdsQueryApi::new : env -> rdsLookup;
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
    protected PasswordChange applyPendingSecret(SetSecretContext context) {
        DatabaseSecret current = context.current();
        DatabaseSecret pending = context.pending();
        String expected = AlternateUsername.of(current.username());
        if (!pending.username().equals(expected)) {
            throw new RotationException("the pending secret names user '" + pending.username() + "' but alternating"
                    + " users switch from user '" + current.username() + "' to user '" + expected + "'");
        }
        int defaultPort = context.engine().description().defaultPort();
        if (!ServerAddress.of(pending, defaultPort).sameServerAs(ServerAddress.of(current, defaultPort))) {
            throw new RotationException("the pending secret names server " + ServerAddress.of(pending, defaultPort)
                    + " but the current one names " + ServerAddress.of(current, defaultPort));
        }
        if (!context.login().logsIn(current)) {
            throw new RotationException("the current user '" + current.username() + "' does not log in with the"
                    + " AWSCURRENT password (was it dropped, or its password changed outside rotation?); nothing"
                    + " was changed");
        }
        String masterArn = current.masterArn().orElseThrow(() -> new RotationException("the AWSCURRENT secret has no"
                + " key '" + MASTER_ARN_KEY + "'; alternating users need the ARN of a secret holding a master (admin)"
                + " login to the same server"));
        MasterSecret master = readMaster(context::readMaster, masterArn);
        ServerAddress rotatedServer = ServerAddress.of(current, defaultPort);
        ServerAddress masterServer = masterServer(context::tagsOf, context.environment(), masterArn, master,
                defaultPort);
        if (!masterServer.sameServerAs(rotatedServer)) {
            throw new RotationException(otherServer(masterServer, rotatedServer));
        }
        if (master.username().equals(current.username()) || master.username().equals(pending.username())) {
            throw new RotationException(masterInPair(master, current.username(), pending.username()));
        }
        DatabaseSecret masterLogin = masterLogin(master, masterServer, current.engine());
        Connection session = context.login().open(masterLogin).orElseThrow(() -> new RotationException(
                "the database refuses the master user '" + master.username() + "' of the secret named by key '"
                        + MASTER_ARN_KEY + "' (" + masterArn + ")"));
        UserAdministration administration = context.sanitized(admin);
        AdminRequest request = new AdminRequest(session, current.username(), pending.username(), master.username());
        try {
            if (!administration.currentUserExists(request)) {
                throw new RotationException("the current user '" + current.username() + "' does not exist on the"
                        + " server; nothing was changed");
            }
            administration.requireManageable(request);
            log(context, administration.ensureUser(request));
            log(context, administration.synchronizePrivileges(request));
            PasswordChange change = administration.setPassword(request, pending.password());
            context.log("user '" + pending.username() + "' has the privileges of user '" + current.username()
                    + "' and the pending password");
            return change;
        } catch (SQLException e) {
            throw new RotationException("preparing user '" + pending.username() + "' as the master user failed: "
                    + DatabaseLogin.describe(e), e);
        } finally {
            DatabaseLogin.closeQuietly(session);
        }
    }

    private static String otherServer(ServerAddress masterServer, ServerAddress rotatedServer) {
        return "the master secret named by key '" + MASTER_ARN_KEY + "' is for server " + masterServer
                + " but the rotated secret is for server " + rotatedServer + "; the master must log in to the same"
                + " server, and its server comes from the master secret (its host key, or for a secret RDS manages,"
                + " its DB instance or cluster), never from the rotated secret";
    }

    private static String masterInPair(MasterSecret master, String current, String other) {
        return "the master user '" + master.username() + "' is one of the alternating pair ('" + current + "', '"
                + other + "'); the master must be another user";
    }

    @Override
    List<String> preflightCheckNames() {
        return List.of(Preflight.MASTER_SECRET, Preflight.MASTER_SERVER, Preflight.MASTER_LOGIN,
                Preflight.MASTER_PRIVILEGES, Preflight.OTHER_USER);
    }

    /**
     * Preflight for alternating users: the master secret is readable, names the rotated secret's
     * server, logs in there and holds what the master needs; and the other user is one the next
     * rotation may manage (absent, or the pair's). Reads only, as setSecret's own checks do.
     */
    @Override
    void preflightChecks(Preflight.Run run) {
        DatabaseSecret current = run.current;
        int defaultPort = run.engine.description().defaultPort();
        String other = AlternateUsername.of(current.username());
        String masterArn = current.masterArn().orElse(null);
        if (masterArn == null) {
            run.fail(Preflight.MASTER_SECRET, "the secret has no key '" + MASTER_ARN_KEY + "': alternating users need"
                    + " the ARN of a secret holding a master (admin) login to the same server; add it with"
                    + " put-secret-value");
            run.notChecked(Preflight.MASTER_SERVER, Preflight.MASTER_LOGIN, Preflight.MASTER_PRIVILEGES,
                    Preflight.OTHER_USER);
            return;
        }
        MasterSecret master;
        try {
            master = readMaster(run::readMaster, masterArn);
            if (master.username().equals(current.username()) || master.username().equals(other)) {
                throw new RotationException(masterInPair(master, current.username(), other));
            }
            run.pass(Preflight.MASTER_SECRET, "read " + masterArn + " (AWSCURRENT): master user '" + master.username()
                    + "', " + (master.host().isPresent() ? "its server from its host key"
                            : "no host key (its server from its RDS tag)"));
        } catch (RotationException e) {
            run.fail(Preflight.MASTER_SECRET, e.getMessage());
            run.notChecked(Preflight.MASTER_SERVER, Preflight.MASTER_LOGIN, Preflight.MASTER_PRIVILEGES,
                    Preflight.OTHER_USER);
            return;
        }
        ServerAddress rotatedServer = ServerAddress.of(current, defaultPort);
        ServerAddress masterServer;
        try {
            masterServer = masterServer(run::tagsOf, run.environment, masterArn, master, defaultPort);
        } catch (RotationException | SdkException e) {
            run.fail(Preflight.MASTER_SERVER, e instanceof RotationException ? e.getMessage()
                    : "finding the master's server failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            run.notChecked(Preflight.MASTER_LOGIN, Preflight.MASTER_PRIVILEGES, Preflight.OTHER_USER);
            return;
        }
        if (!masterServer.sameServerAs(rotatedServer)) {
            run.fail(Preflight.MASTER_SERVER, otherServer(masterServer, rotatedServer) + ". Point key '"
                    + MASTER_ARN_KEY + "' at the master secret of server " + rotatedServer);
            run.notChecked(Preflight.MASTER_LOGIN, Preflight.MASTER_PRIVILEGES, Preflight.OTHER_USER);
            return;
        }
        run.pass(Preflight.MASTER_SERVER, "server " + masterServer + ", the rotated secret's");
        if (!run.databaseReached) {
            run.notChecked(Preflight.MASTER_LOGIN, Preflight.MASTER_PRIVILEGES, Preflight.OTHER_USER);
            return;
        }
        Connection session;
        try {
            session = run.login.open(masterLogin(master, masterServer, current.engine())).orElse(null);
        } catch (RotationException e) {
            run.fail(Preflight.MASTER_LOGIN, "the master user '" + master.username() + "': " + e.getMessage());
            run.notChecked(Preflight.MASTER_PRIVILEGES, Preflight.OTHER_USER);
            return;
        }
        if (session == null) {
            run.fail(Preflight.MASTER_LOGIN, "the database refuses the master user '" + master.username() + "' with"
                    + " the password of " + masterArn + ": put the master's real password into that secret (or let"
                    + " RDS manage it)");
            run.notChecked(Preflight.MASTER_PRIVILEGES, Preflight.OTHER_USER);
            return;
        }
        run.pass(Preflight.MASTER_LOGIN, "the master user '" + master.username() + "' logs in to " + masterServer);
        UserAdministration administration = run.engine.withAdministration(admin);
        AdminRequest request = new AdminRequest(session, current.username(), other, master.username());
        try {
            try {
                MasterPrivileges privileges = administration.masterPrivileges(request);
                if (privileges.missing().isEmpty()) {
                    run.pass(Preflight.MASTER_PRIVILEGES, privileges.detail());
                } else {
                    run.fail(Preflight.MASTER_PRIVILEGES, "the master user '" + master.username() + "' lacks "
                            + String.join(", ", privileges.missing()) + ", which alternating users need (" + privileges
                            .detail() + "): grant it, or use the database's master user (RDS's has it)");
                }
            } catch (SQLException e) {
                run.fail(Preflight.MASTER_PRIVILEGES, "reading the master's privileges failed: "
                        + DatabaseLogin.describe(e));
            } catch (RotationException e) {
                run.fail(Preflight.MASTER_PRIVILEGES, "reading the master's privileges failed: " + e.getMessage());
            }
            try {
                admin.usernameLimit(run.environment).check(other);
                if (!administration.currentUserExists(request)) {
                    run.fail(Preflight.OTHER_USER, "the current user '" + current.username() + "' does not exist on"
                            + " the server: put the user that exists into the secret");
                } else if (!administration.currentUserExists(new AdminRequest(session, other, current.username(),
                        master.username()))) {
                    run.pass(Preflight.OTHER_USER, "user '" + other + "' does not exist yet: the next rotation creates"
                            + " it with the privileges of user '" + current.username() + "'");
                } else {
                    administration.requireManageable(request);
                    run.pass(Preflight.OTHER_USER, "user '" + other + "' exists and is one the pair manages: the next"
                            + " rotation gives it the privileges of user '" + current.username() + "' and a new"
                            + " password");
                }
            } catch (RotationException e) {
                run.fail(Preflight.OTHER_USER, e.getMessage());
            } catch (SQLException e) {
                run.fail(Preflight.OTHER_USER, "reading the users as the master failed: " + DatabaseLogin.describe(e));
            }
        } finally {
            DatabaseLogin.closeQuietly(session);
        }
    }

    private static void log(SetSecretContext context, AdminChanges changes) {
        changes.changes().forEach(context::log);
    }

    /** The master secret at AWSCURRENT; every failure names the {@code masterarn} key, never a value. */
    private static MasterSecret readMaster(Function<String, MasterSecret> reader, String arn) {
        try {
            return reader.apply(arn);
        } catch (ResourceNotFoundException e) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' (" + arn
                    + ") does not exist or has no AWSCURRENT value");
        } catch (SecretsManagerException e) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' (" + arn
                    + ") cannot be read: " + errorCode(e) + " (the function needs secretsmanager:GetSecretValue on it,"
                    + " and kms:Decrypt on its key)");
        } catch (SdkException e) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' (" + arn
                    + ") cannot be read: " + e.getClass().getSimpleName());
        } catch (RotationException e) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "': " + e.getMessage());
        }
    }

    /**
     * The master's server, from the master secret alone: its {@code host} and {@code port} keys; or,
     * for a secret that names no host (the master secrets RDS manages hold only username and
     * password), the writer endpoint of the DB instance or cluster its RDS system tag names, looked up
     * with the RDS API. Never the rotated secret's server: its author would choose where the master's
     * password goes.
     */
    private ServerAddress masterServer(Function<String, Map<String, String>> tagsOf, Map<String, String> environment,
            String masterArn, MasterSecret master, int defaultPort) {
        if (master.host().isPresent()) {
            return new ServerAddress(master.host().get(), master.port().orElse(defaultPort));
        }
        Map<String, String> tags;
        try {
            tags = tagsOf.apply(masterArn);
        } catch (SecretsManagerException e) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' (" + masterArn
                    + ") has no host key, and its tags cannot be read: " + errorCode(e) + " (the function needs"
                    + " secretsmanager:DescribeSecret on it)");
        }
        String resource = tags.get(RDS_INSTANCE_TAG);
        if (resource == null) {
            resource = tags.get(RDS_CLUSTER_TAG);
        }
        if (resource == null) {
            throw new RotationException("the master secret named by key '" + MASTER_ARN_KEY + "' (" + masterArn
                    + ") has no host key and is not managed by RDS (no tag " + RDS_INSTANCE_TAG + " or "
                    + RDS_CLUSTER_TAG + "), so nothing says which server its password belongs to; add host and port"
                    + " keys to the master secret");
        }
        return rdsLookup.apply(environment).writerEndpoint(resource);
    }

    /** The login as the master: the master's credentials on its own server, with its own ssl and dbname. */
    private static DatabaseSecret masterLogin(MasterSecret master, ServerAddress server, String engine) {
        DatabaseSecret.Builder login = DatabaseSecret.builder().engine(engine).host(server.host()).port(server.port())
                .username(master.username()).password(master.password()).ssl(master.ssl());
        master.dbname().ifPresent(login::dbname);
        return login.build();
    }

    private static String errorCode(SecretsManagerException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }
}
