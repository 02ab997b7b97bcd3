package dev.rotation.testkit.faults;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.shared.AlternatingUsersRotationHandler;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.SecretsManagerClients;
import dev.rotation.shared.SingleUserRotationHandler;
import dev.rotation.shared.UserAdministration;
import dev.rotation.testkit.contract.LocalRotationWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The world the fault contracts run in: a local Secrets Manager over HTTP, a plain SDK client for
 * the test's own reads and a second one for the handler, which reports every request to the
 * {@link FaultInjector} and does not retry (so that every injected fault reaches the function), and
 * a real database. Handlers are built from the shared strategy classes around the engine module's
 * engine and administration, wrapped by {@link FaultyEngine} and {@link FaultyUserAdministration}.
 */
public final class FaultWorld implements AutoCloseable {
    static final String NOOP_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:does-nothing";
    /** Runs the single-user handler (under the injector, which counts but fails nothing unless armed). */
    static final String SINGLE_USER_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:single-user";
    /** Runs the alternating-users handler, likewise. */
    static final String ALTERNATING_USERS_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:alternating";

    final FaultTarget target;
    final TestDatabase db;
    final String dbName;
    final LocalSecretsManager server;
    /** The test's own client: never counted, never faulted. */
    final SecretsManagerClient sm;
    /** The handler's client: every request is a call position. */
    final SecretsManagerClient handlerClient;
    final FaultInjector injector = new FaultInjector();
    final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Map<String, String> environment = LocalRotationWorld.initialEnvironment();
    private final List<String> usersToDrop = new CopyOnWriteArrayList<>();
    /** The ssl key of the secrets scenarios create: plaintext unless a TLS test says otherwise. */
    volatile dev.rotation.secret.SslMode ssl = dev.rotation.secret.SslMode.DISABLED;
    private final Map<Strategy, RequestHandler<SecretsManagerRotationEvent, Void>> handlers =
            new java.util.EnumMap<>(Strategy.class);

    public FaultWorld(FaultTarget target, TestDatabase db, String dbName) {
        this.target = target;
        this.db = db;
        this.dbName = dbName;
        InProcessInvoker invoker = new InProcessInvoker().register(NOOP_FUNCTION, step -> { })
                .register(SINGLE_USER_FUNCTION, step -> run(Strategy.SINGLE_USER, step))
                .register(ALTERNATING_USERS_FUNCTION, step -> run(Strategy.ALTERNATING_USERS, step));
        server = LocalSecretsManager.builder().port(0).rotationInvoker(invoker)
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS)
                .schedulerInterval(Duration.ZERO).build().start();
        sm = client(UnaryOperator.identity());
        handlerClient = client(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(new FaultInterceptor(injector))
                .retryStrategy(AwsRetryStrategy.doNotRetry())));
    }

    private SecretsManagerClient client(
            UnaryOperator<software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder> config) {
        return config.apply(LocalRotationWorld.clientBuilder(server.endpoint())).build();
    }

    /** The function RotateSecret invokes for {@code strategy}. */
    static String functionArn(Strategy strategy) {
        return strategy == Strategy.SINGLE_USER ? SINGLE_USER_FUNCTION : ALTERNATING_USERS_FUNCTION;
    }

    private void run(Strategy strategy, dev.rotation.local.secretsmanager.RotationStep step) {
        RequestHandler<SecretsManagerRotationEvent, Void> handler;
        synchronized (handlers) {
            handler = handlers.computeIfAbsent(strategy, this::handler);
        }
        Optional<Throwable> failure = invoke(handler, step.step(), step.secretId(), step.clientRequestToken());
        if (failure.isPresent()) {
            throw new IllegalStateException(failure.get().getMessage());
        }
    }

    /** Changes the function's configuration for handlers built afterwards. */
    public void environment(String name, String value) {
        environment.put(name, value);
        synchronized (handlers) {
            handlers.clear();
        }
    }

    /** A handler of {@code strategy} whose every external call is under the injector. */
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(Strategy strategy) {
        return handler(strategy, new FaultyEngine(target.engine(), injector),
                new FaultyUserAdministration(target.userAdministration(), injector));
    }

    /** A handler of {@code strategy} around the given engine and administration. */
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(Strategy strategy, DatabaseEngine engine,
            UserAdministration admin) {
        return handler(strategy, handlerClient, engine, admin);
    }

    /** A handler of {@code strategy} with its own Secrets Manager client. */
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(Strategy strategy, SecretsManagerClient client,
            DatabaseEngine engine, UserAdministration admin) {
        Map<String, String> env = Map.copyOf(environment);
        return strategy == Strategy.SINGLE_USER
                ? new SingleUserRotationHandler(client, env, engine, logLines::add)
                : new AlternatingUsersRotationHandler(client, env, engine, admin, logLines::add);
    }

    /**
     * The client the deployed function builds ({@link SecretsManagerClients#create}: default retries,
     * timeouts and HTTP client) with {@code endpoint} as SECRETS_MANAGER_ENDPOINT. Its default
     * credentials chain reads the JVM's aws.accessKeyId and aws.secretAccessKey, set to dummies when
     * absent (the local server checks no signature).
     */
    static synchronized SecretsManagerClient functionsOwnClient(java.net.URI endpoint) {
        if (System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "AKIDLOCAL");
            System.setProperty("aws.secretAccessKey", "local");
        }
        return SecretsManagerClients.create(Map.of("AWS_REGION", "us-east-1",
                SecretsManagerClients.SECRETS_MANAGER_ENDPOINT, endpoint.toString()));
    }

    /** Invokes one step the way Lambda does; returns what the handler threw. */
    public static Optional<Throwable> invoke(RequestHandler<SecretsManagerRotationEvent, Void> handler, String step,
            String secretArn, String token) {
        try {
            handler.handleRequest(LocalRotationWorld.event(step, secretArn, token), null);
            return Optional.empty();
        } catch (RuntimeException | Error e) {
            return Optional.of(e);
        }
    }

    static String random(int bytes) {
        return LocalRotationWorld.random(bytes);
    }

    static String newPassword() {
        return LocalRotationWorld.newPassword();
    }

    /** An ordinary application user (dropped with its clone when the world closes, or by {@link #dropUsers}). */
    void createAppUser(String username, String password) {
        usersToDrop.add(username + "_clone");
        usersToDrop.add(username);
        db.createAppUser(dbName, username, password);
    }

    void createMaster(String username, String password, String appUser) {
        target.createMaster(db, dbName, username, password, appUser);
        usersToDrop.add(username);
    }

    /** Drops every user made so far, e.g. between two runs of a matrix. */
    void dropUsers() {
        // A leftover user in a test database changes no other run: all names are unique.
        LocalRotationWorld.dropQuietly(db, usersToDrop);
        usersToDrop.clear();
    }

    @Override
    public void close() {
        dropUsers();
        handlerClient.close();
        sm.close();
        server.close();
    }
}
