package dev.rotation.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.rds.LocalRds;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.secret.SslMode;
import dev.rotation.shared.AlternatingUsersRotationHandler;
import dev.rotation.shared.DatabaseEngine;
import dev.rotation.shared.SecretsManagerClients;
import dev.rotation.shared.SingleUserRotationHandler;
import dev.rotation.shared.UserAdministration;
import dev.rotation.testkit.faults.FaultInjector;
import dev.rotation.testkit.faults.FaultInterceptor;
import dev.rotation.testkit.faults.FaultyEngine;
import dev.rotation.testkit.faults.FaultyUserAdministration;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The one world every contract test runs in: a local Secrets Manager over HTTP with the real SDK
 * client, the engine's handlers of both strategies built from the shared strategy classes and
 * registered as in-process Lambda functions (RotateSecret invokes them as the service would), a real
 * database of the engine's kind with a database of the test's own, and the users and secrets the test
 * makes, dropped again at the end.
 *
 * <p>With fault injection ({@link Builder#faultInjection}) the handlers' every external call is
 * a fault position: their Secrets Manager client reports each request to the injector and does not
 * retry, and the engine and its administration are wrapped in {@link FaultyEngine} and
 * {@link FaultyUserAdministration}; the test's own client ({@link #sm}) is never counted.
 *
 * <pre>{@code
 * try (RotationWorld world = RotationWorld.builder(EngineTargets.current()).build()) {
 *     String arn = world.createSecret(world.secretFor(world.newAccount("app")).write());
 *     world.rotateSuccessfully(arn);
 * }
 * }</pre>
 */
public final class RotationWorld implements AutoCloseable {
    public static final String CURRENT = "AWSCURRENT";
    public static final String PENDING = "AWSPENDING";
    public static final String PREVIOUS = "AWSPREVIOUS";
    public static final List<String> STEPS = List.of(RotationStep.CREATE_SECRET, RotationStep.SET_SECRET,
            RotationStep.TEST_SECRET, RotationStep.FINISH_SECRET);
    /** Leaves the service's value-less AWSPENDING version in place: the state createSecret starts from. */
    public static final String NOOP_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:does-nothing";
    /** Runs the engine's single-user handler. */
    public static final String SINGLE_USER_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:single-user";
    /** Runs the engine's alternating-users handler. */
    public static final String ALTERNATING_USERS_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:alternating";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final SecureRandom RANDOM = new SecureRandom();

    public final EngineTarget target;
    public final TestDatabase db;
    public final String dbName;
    public final Strategy strategy;
    public final LocalSecretsManager server;
    /** The test's own client: never counted, never faulted. */
    public final SecretsManagerClient sm;
    /** The handlers' client: {@link #sm}, or with a fault injector one that counts every request. */
    public final SecretsManagerClient handlerClient;
    /** Counts and injects faults into the handlers' external calls, when the world was built with fault injection. */
    public final FaultInjector injector = new FaultInjector();
    private final boolean faultInjection;
    /** Every JSON line the handlers logged. */
    public final List<String> logLines = new CopyOnWriteArrayList<>();
    /** Every exception a handler threw, however it was invoked. */
    public final List<Throwable> thrown = new CopyOnWriteArrayList<>();
    /** Every password a test used or a rotation made, for the leak checks. */
    public final List<String> passwords = new CopyOnWriteArrayList<>();
    /** When set, the functions run every step twice in a row. */
    public final AtomicBoolean everyStepTwice = new AtomicBoolean();
    /** When set, the next finishSecret fails before the handler runs, so the service retries the whole rotation. */
    public final AtomicBoolean failNextFinish = new AtomicBoolean();
    /**
     * Runs in the function's invocation after each step returned, with the step's name: a test can hold
     * the rotation between two steps (for example the single-user window after setSecret) until the
     * application it watches has worked inside it.
     */
    public volatile java.util.function.Consumer<String> afterEachStep = step -> { };
    /** The ssl key of the secrets {@link #secretFor} and {@link #appSecret} write: plaintext unless a test says otherwise. */
    public volatile SslMode ssl = SslMode.DISABLED;

    private final Map<String, String> environment = initialEnvironment();
    private final Map<Strategy, RequestHandler<SecretsManagerRotationEvent, Void>> handlers =
            new EnumMap<>(Strategy.class);
    private final List<String> users = new CopyOnWriteArrayList<>();

    private RotationWorld(Builder builder) {
        this.target = builder.target;
        this.db = builder.db == null ? target.database() : builder.db;
        this.dbName = builder.dbName == null ? db.createDatabase("world") : builder.dbName;
        this.strategy = builder.strategy;
        this.faultInjection = builder.faultInjection;
        environment.putAll(db.functionEnvironment());
        InProcessInvoker invoker = new InProcessInvoker()
                .register(NOOP_FUNCTION, step -> { })
                .register(SINGLE_USER_FUNCTION, step -> run(Strategy.SINGLE_USER, step))
                .register(ALTERNATING_USERS_FUNCTION, step -> run(Strategy.ALTERNATING_USERS, step));
        server = LocalSecretsManager.builder().port(0).rotationInvoker(invoker)
                .maxRotationAttempts(builder.maxRotationAttempts).schedulerInterval(Duration.ZERO).build().start();
        sm = client(server.endpoint());
        handlerClient = !faultInjection ? sm : clientBuilder(server.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new FaultInterceptor(injector))
                        .retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A world for {@code target}'s engine; by default on its shared server, in a new database, single user. */
    public static Builder builder(EngineTarget target) {
        return new Builder(target);
    }

    /** Options of a {@link RotationWorld}. */
    public static final class Builder {
        private final EngineTarget target;
        private TestDatabase db;
        private String dbName;
        private Strategy strategy = Strategy.SINGLE_USER;
        private int maxRotationAttempts = 2;
        private boolean faultInjection;

        private Builder(EngineTarget target) {
            this.target = target;
        }

        /** Runs on {@code db}, in the existing database {@code dbName} (default: the target's server, a new database). */
        public Builder database(TestDatabase db, String dbName) {
            this.db = db;
            this.dbName = dbName;
            return this;
        }

        /** Runs on {@code db}, in a new database. */
        public Builder server(TestDatabase db) {
            this.db = db;
            return this;
        }

        /** The strategy {@link RotationWorld#function()} and {@link RotationWorld#rotate} use (default single user). */
        public Builder strategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /** How often the local Secrets Manager runs a failing rotation with the same token (default 2). */
        public Builder maxRotationAttempts(int attempts) {
            this.maxRotationAttempts = attempts;
            return this;
        }

        /** Puts every external call of the handlers under the world's {@link RotationWorld#injector}. */
        public Builder faultInjection() {
            this.faultInjection = true;
            return this;
        }

        public RotationWorld build() {
            return new RotationWorld(this);
        }
    }

    // ---- the functions -------------------------------------------------------------------------

    /** The function RotateSecret invokes for {@code strategy}. */
    public static String functionArn(Strategy strategy) {
        return strategy == Strategy.SINGLE_USER ? SINGLE_USER_FUNCTION : ALTERNATING_USERS_FUNCTION;
    }

    /** The function of this world's strategy. */
    public String function() {
        return functionArn(strategy);
    }

    private void run(Strategy strategy, RotationStep step) {
        if (step.step().equals(RotationStep.FINISH_SECRET) && failNextFinish.getAndSet(false)) {
            throw new IllegalStateException("simulated Lambda timeout before finishSecret");
        }
        invoke(strategy, step.step(), step.secretId(), step.clientRequestToken());
        if (everyStepTwice.get()) {
            invoke(strategy, step.step(), step.secretId(), step.clientRequestToken());
        }
        afterEachStep.accept(step.step());
    }

    /** Changes the function's configuration for the invocations that follow. */
    public void environment(String name, String value) {
        synchronized (handlers) {
            environment.put(name, value);
            handlers.clear();
        }
    }

    /** The function's configuration as the next handler gets it. */
    public Map<String, String> environment() {
        synchronized (handlers) {
            return Map.copyOf(environment);
        }
    }

    /** The handler of {@code strategy}, built from the engine as the module builds it (under the injector, if any). */
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(Strategy strategy) {
        synchronized (handlers) {
            return handlers.computeIfAbsent(strategy, s -> {
                DatabaseEngine engine = target.engine();
                UserAdministration admin = target.userAdministration();
                if (faultInjection) {
                    engine = new FaultyEngine(engine, injector);
                    admin = new FaultyUserAdministration(admin, injector);
                }
                return handler(s, handlerClient, engine, admin);
            });
        }
    }

    /** A handler of {@code strategy} around the given engine and administration, with the handlers' client. */
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(Strategy strategy, DatabaseEngine engine,
            UserAdministration admin) {
        return handler(strategy, handlerClient, engine, admin);
    }

    /** A handler of {@code strategy} with its own Secrets Manager client. */
    public RequestHandler<SecretsManagerRotationEvent, Void> handler(Strategy strategy, SecretsManagerClient client,
            DatabaseEngine engine, UserAdministration admin) {
        Map<String, String> env = environment();
        return strategy == Strategy.SINGLE_USER
                ? new SingleUserRotationHandler(client, env, engine, logLines::add)
                : new AlternatingUsersRotationHandler(client, env, engine, admin, logLines::add);
    }

    /** Invokes one step of this world's strategy the way Lambda does; records and rethrows what the handler throws. */
    public void invoke(String step, String secretArn, String token) {
        invoke(strategy, step, secretArn, token);
    }

    /** Invokes one step of {@code strategy}'s handler; records and rethrows what it throws. */
    public void invoke(Strategy strategy, String step, String secretArn, String token) {
        try {
            handler(strategy).handleRequest(event(step, secretArn, token), null);
        } catch (RuntimeException | Error e) {
            thrown.add(e);
            throw e;
        }
    }

    /** The four steps in order, as one rotation's invocations. */
    public void invokeAllSteps(String secretArn, String token) {
        for (String step : STEPS) {
            invoke(step, secretArn, token);
        }
    }

    /** Invokes one step the way Lambda does; returns what the handler threw, if anything. */
    public static Optional<Throwable> invoke(RequestHandler<SecretsManagerRotationEvent, Void> handler, String step,
            String secretArn, String token) {
        try {
            handler.handleRequest(event(step, secretArn, token), null);
            return Optional.empty();
        } catch (RuntimeException | Error e) {
            return Optional.of(e);
        }
    }

    // ---- users ------------------------------------------------------------------------------

    /** A new password every engine accepts, remembered for the leak checks. */
    public String newPassword() {
        String password = randomPassword();
        passwords.add(password);
        return password;
    }

    /**
     * An ordinary application user with rights on this world's database only; it and its clone are
     * dropped when the world closes (leftovers of a name are dropped first).
     */
    public String newAppUser(String username, String password) {
        for (String leftover : List.of(username + "_clone", username)) {
            try {
                db.dropUser(leftover);
            } catch (RuntimeException tooLongForTheServer) {
                // Only a name the server cannot hold fails here, and then no such user exists either.
            }
        }
        users.add(username + "_clone");
        users.add(username);
        passwords.add(password);
        db.createAppUser(dbName, username, password);
        return username;
    }

    public Account newAccount(String username, String password) {
        return new Account(newAppUser(username, password), password);
    }

    public Account newAccount(String prefix) {
        return newAccount(unique(prefix), newPassword());
    }

    /** A master user like a managed database's (no superuser), able to administer {@code appUser}. */
    public void createMaster(String username, String password, String appUser) {
        users.add(username);
        passwords.add(password);
        db.createMaster(dbName, username, password, appUser);
    }

    /** A master user and its secret naming its own server; returns the secret's ARN. */
    public String newMasterSecret(String appUser) {
        String master = unique("master");
        String password = newPassword();
        createMaster(master, password, appUser);
        return createSecret(masterSecret(master, password).write());
    }

    /** A master user and a secret holding only its username and password, with no RDS tag: names no server. */
    public String newUsernamePasswordOnlyMasterSecret(String appUser) {
        String master = unique("master");
        String password = newPassword();
        createMaster(master, password, appUser);
        return createSecret(TestJson.object().put("username", master).put("password", password).write());
    }

    /**
     * A master user and its secret as RDS manages it: only username and password, {@code OwningService}
     * rds, and the system tag naming its DB instance, which {@code rds} (the RDS API's stand-in, the
     * handlers' {@code RDS_ENDPOINT}) places at {@code endpointHost:endpointPort}. Returns the secret's ARN.
     */
    public String newRdsManagedMasterSecret(String appUser, LocalRds rds, String endpointHost, int endpointPort) {
        String master = unique("master");
        String password = newPassword();
        createMaster(master, password, appUser);
        String instanceArn = "arn:aws:rds:us-east-1:123456789012:db:" + unique("db").replace('_', '-');
        rds.putInstance(instanceArn, endpointHost, endpointPort);
        environment("RDS_ENDPOINT", rds.endpoint().toString());
        environment("AWS_ACCESS_KEY_ID", "AKIDLOCAL");
        environment("AWS_SECRET_ACCESS_KEY", "local");
        return server.createManagedSecret("rds!" + unique("db"), "rds",
                TestJson.object().put("username", master).put("password", password).write(),
                Map.of("aws:rds:primaryDBInstanceArn", instanceArn));
    }

    /**
     * Alternating users: a new application user {@code prefix_<random>}, a master secret for it and its
     * secret; returns the secret's ARN. The users are dropped when the world closes.
     */
    public String newApplicationSecret(String prefix) {
        String base = unique(prefix);
        String password = newPassword();
        newAppUser(base, password);
        String masterArn = newMasterSecret(base);
        return createSecret(appSecret(base, password, masterArn).write());
    }

    /** Drops every user made so far, e.g. between two runs of a matrix. */
    public void dropUsers() {
        dropQuietly(db, users);
        users.clear();
    }

    public boolean canLogin(String username, String password) {
        return db.canLogin(dbName, username, password);
    }

    public boolean canLogin(DatabaseSecret secret) {
        return canLogin(secret.username(), secret.password());
    }

    // ---- secrets ------------------------------------------------------------------------------

    /**
     * The secret an operator would store for {@code account}, with a nested unknown key that must
     * survive, and {@link #ssl} ({@code ssl: false} by default: the test servers offer no TLS unless a
     * TLS test started one, and without the key the functions refuse plaintext).
     */
    public TestJson secretFor(Account account) {
        return withSsl(TestJson.object()
                .put("engine", db.engine())
                .put("host", db.host())
                .put("port", db.port())
                .put("username", account.username())
                .put("password", account.password())
                .put("dbname", dbName))
                .put("team", TestJson.raw("{\"owner\":\"payments\",\"tags\":[1,\"two\",null]}"));
    }

    /** An alternating-users secret for {@code username} with the master secret {@code masterArn}. */
    public TestJson appSecret(String username, String password, String masterArn) {
        return withSsl(TestJson.object().put("engine", db.engine()).put("host", db.host()).put("port", db.port())
                .put("username", username).put("password", password).put("dbname", dbName))
                .put("masterarn", masterArn).put("team", TestJson.raw("{\"owner\":\"payments\"}"));
    }

    /** The master secret, naming its own server; without dbname the master logs in to the engine's default. */
    public TestJson masterSecret(String master, String password) {
        return withSsl(TestJson.object().put("engine", db.engine()).put("host", db.host()).put("port", db.port())
                .put("username", master).put("password", password));
    }

    private TestJson withSsl(TestJson secret) {
        return switch (ssl) {
            case DISABLED -> secret.put("ssl", false);
            case REQUIRED -> secret.put("ssl", true);
            case PREFERRED -> secret;
        };
    }

    public String createSecret(String secretString) {
        return sm.createSecret(r -> r.name("world/" + unique("secret")).secretString(secretString)).arn();
    }

    // ---- rotations ------------------------------------------------------------------------------

    /** Runs a whole rotation through RotateSecret with this world's function; returns its outcome. */
    public RotationOutcome rotate(String secretArn) {
        startRotation(secretArn, function());
        RotationOutcome outcome = server.rotationOutcome(secretArn).orElseThrow();
        read(secretArn, CURRENT).ifPresent(current -> passwords.add(current.password()));
        return outcome;
    }

    /** A rotation that must succeed; returns its token. */
    public String rotateSuccessfully(String secretArn) {
        String token = startRotation(secretArn, function());
        RotationOutcome outcome = server.rotationOutcome(secretArn).orElseThrow();
        assertThat(outcome.status()).as("rotation outcome, reason: %s", outcome.reason())
                .isEqualTo(RotationOutcome.SUCCEEDED);
        read(secretArn, CURRENT).ifPresent(current -> passwords.add(current.password()));
        return token;
    }

    /**
     * Turns rotation on through RotateSecret with a function that does nothing, which leaves the
     * service's value-less AWSPENDING version under the returned token: the state in which Secrets
     * Manager invokes createSecret.
     */
    public String startPendingRotation(String secretArn) {
        String token = startRotation(secretArn, NOOP_FUNCTION);
        assertThat(labels(secretArn).get(token)).containsExactly(PENDING);
        SecretAssertions.assertNoValue("the new AWSPENDING version", valueOf(secretArn, token, PENDING));
        return token;
    }

    private String startRotation(String secretArn, String function) {
        String token = sm.rotateSecret(r -> r.secretId(secretArn).rotationLambdaARN(function)
                .rotationRules(rules -> rules.automaticallyAfterDays(30L))).versionId();
        assertThat(server.awaitRotations(WAIT)).as("rotation finished within %s", WAIT).isTrue();
        return token;
    }

    // ---- reading ------------------------------------------------------------------------------

    /** Version id to its labels, sorted, for comparisons. */
    public Map<String, List<String>> labels(String secretArn) {
        Map<String, List<String>> labels = new TreeMap<>();
        sm.describeSecret(r -> r.secretId(secretArn)).versionIdsToStages()
                .forEach((version, stages) -> labels.put(version, stages.stream().sorted().toList()));
        return labels;
    }

    public String versionHolding(String secretArn, String stage) {
        return labels(secretArn).entrySet().stream().filter(e -> e.getValue().contains(stage))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no version holds " + stage));
    }

    /** The value of a version at a label; empty while the version has no value. */
    public Optional<String> valueOf(String secretArn, String versionId, String stage) {
        try {
            return Optional.of(sm.getSecretValue(r -> r.secretId(secretArn).versionId(versionId).versionStage(stage))
                    .secretString());
        } catch (ResourceNotFoundException noValue) {
            return Optional.empty();
        }
    }

    public String currentValue(String secretArn) {
        return sm.getSecretValue(r -> r.secretId(secretArn).versionStage(CURRENT)).secretString();
    }

    public DatabaseSecret current(String secretArn) {
        return read(secretArn, CURRENT).orElseThrow();
    }

    /** The value at a label, parsed; empty while it has none. */
    public Optional<DatabaseSecret> read(String secretArn, String stage) {
        return pendingOrValue(secretArn, stage).map(DatabaseSecret::parse);
    }

    /** The AWSPENDING version's value, if it has one. */
    public Optional<String> pendingValue(String secretArn) {
        return pendingOrValue(secretArn, PENDING);
    }

    private Optional<String> pendingOrValue(String secretArn, String stage) {
        try {
            return Optional.of(sm.getSecretValue(r -> r.secretId(secretArn).versionStage(stage)).secretString());
        } catch (ResourceNotFoundException noValue) {
            return Optional.empty();
        }
    }

    /** Per version holding AWSCURRENT or AWSPREVIOUS: its value (what a failed rotation must leave as it was). */
    public Map<String, String> settledVersions(String secretArn) {
        Map<String, String> versions = new TreeMap<>();
        labels(secretArn).forEach((version, stages) -> {
            for (String stage : List.of(CURRENT, PREVIOUS)) {
                if (stages.contains(stage)) {
                    versions.put(version + " " + stage, valueOf(secretArn, version, stage).orElse("(no value)"));
                }
            }
        });
        return versions;
    }

    /** Every log line, every message of every exception a handler threw, and the outcome's reason, for leak checks. */
    public List<String> texts(RotationOutcome outcome) {
        List<String> texts = new java.util.ArrayList<>(logLines);
        texts.add(String.valueOf(outcome.reason()));
        for (Throwable t : thrown) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                texts.add(String.valueOf(c));
            }
        }
        return texts;
    }

    /** Every version's labels and value: equal snapshots mean the secret did not change. */
    public SecretState state(String secretArn) {
        Map<String, List<String>> labels = labels(secretArn);
        Map<String, String> values = new TreeMap<>();
        labels.forEach((version, stages) -> values.put(version, stages.isEmpty() ? "(no label)"
                : valueOf(secretArn, version, stages.get(0)).orElse("(no value)")));
        return new SecretState(labels, values, sm.describeSecret(r -> r.secretId(secretArn)).rotationEnabled());
    }

    /** The master secret's username. */
    public String masterUserOf(String masterArn) {
        String json = sm.getSecretValue(r -> r.secretId(masterArn).versionStage(CURRENT)).secretString();
        return software.amazon.awssdk.protocols.jsoncore.JsonNode.parser().parse(json).asObject().get("username")
                .asString();
    }

    /** Stores a new AWSCURRENT value of the master secret with {@code dbname} set. */
    public void setMasterDatabase(String masterArn, String dbname) {
        String json = sm.getSecretValue(r -> r.secretId(masterArn).versionStage(CURRENT)).secretString();
        String updated = json.substring(0, json.lastIndexOf('}')) + ",\"dbname\":\"" + dbname + "\"}";
        sm.putSecretValue(r -> r.secretId(masterArn).secretString(updated));
    }

    /** No log line holds any password a test used or a rotation made. */
    public void assertNoPasswordInLogs() {
        String logs = String.join("\n", logLines);
        int i = 0;
        for (String password : passwords) {
            assertThat(logs.contains(password)).as("a log line contains password #%d (not shown)", i++).isFalse();
        }
    }

    // ---- the application's table ----------------------------------------------------------------

    public void createTable(String username, String password, String table) {
        try (Connection c = db.connect(dbName, username, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, note VARCHAR(40))");
        } catch (SQLException e) {
            throw new AssertionError("user " + username + " cannot create table " + table + ": " + e.getMessage(), e);
        }
    }

    /** Inserts a row as the user and returns how many rows the user then reads. */
    public int writeAndCount(String username, String password, String table, int id) {
        try (Connection c = db.connect(dbName, username, password)) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (id, note) VALUES (?, ?)")) {
                insert.setInt(1, id);
                insert.setString(2, "written by " + username);
                insert.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError("user " + username + " cannot write and read " + table + ": " + e.getMessage(), e);
        }
    }

    /** Changes and drops a table the other user of the pair created: what only its owner (or a holder of ALTER/DROP) may do. */
    public void alterAndDrop(String username, String password, String table) {
        try (Connection c = db.connect(dbName, username, password); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + table + " ADD COLUMN extra INT");
            s.execute("DROP TABLE " + table);
        } catch (SQLException e) {
            throw new AssertionError("user " + username + " cannot alter and drop " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        dropUsers();
        if (handlerClient != sm) {
            handlerClient.close();
        }
        sm.close();
        server.close();
    }

    // ---- shared by every test -------------------------------------------------------------------

    /** The real SDK client's builder for a local server: static dummy credentials, us-east-1, URL connection HTTP. */
    public static SecretsManagerClientBuilder clientBuilder(URI endpoint) {
        return SecretsManagerClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    public static SecretsManagerClient client(URI endpoint) {
        return clientBuilder(endpoint).build();
    }

    /**
     * The client the deployed function builds ({@link SecretsManagerClients#create}: default retries,
     * timeouts and HTTP client) with {@code endpoint} as SECRETS_MANAGER_ENDPOINT. Its default
     * credentials chain reads the JVM's aws.accessKeyId and aws.secretAccessKey, set to dummies when
     * absent (the local server checks no signature).
     */
    public static synchronized SecretsManagerClient functionsOwnClient(URI endpoint) {
        if (System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "AKIDLOCAL");
            System.setProperty("aws.secretAccessKey", "local");
        }
        return SecretsManagerClients.create(Map.of("AWS_REGION", "us-east-1",
                SecretsManagerClients.SECRETS_MANAGER_ENDPOINT, endpoint.toString()));
    }

    /** The function's configuration every test starts from (debug logs, bounded database waits); mutable. */
    public static Map<String, String> initialEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("LOG_LEVEL", "DEBUG");
        environment.put("DB_CONNECT_TIMEOUT_SECONDS", "10");
        environment.put("DB_QUERY_TIMEOUT_SECONDS", "20");
        return environment;
    }

    /** The event Lambda hands the function for one step. */
    public static SecretsManagerRotationEvent event(String step, String secretArn, String token) {
        SecretsManagerRotationEvent event = new SecretsManagerRotationEvent();
        event.setStep(step);
        event.setSecretId(secretArn);
        event.setClientRequestToken(token);
        event.setRotationToken("rotation-token-" + random(4));
        return event;
    }

    /** A unique name: {@code prefix}, an underscore and eight random hex digits. */
    public static String unique(String prefix) {
        return prefix + "_" + random(4);
    }

    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A password that every engine accepts and no default exclusion touches (not remembered: see {@link #newPassword()}). */
    public static String randomPassword() {
        return "Pw-" + random(12) + "-Xy9";
    }

    /** Drops each user, ignoring failures: a leftover user in a throwaway server changes no other test. */
    public static void dropQuietly(TestDatabase db, Iterable<String> users) {
        for (String user : users) {
            try {
                db.dropUser(user);
            } catch (RuntimeException e) {
                // See above.
            }
        }
    }

    /** A database user and the password it was created with. Never printed. */
    public record Account(String username, String password) {
        @Override
        public String toString() {
            return "Account{" + username + "}";
        }
    }

    /** What a secret holds: labels and values per version, and whether rotation is on. */
    public record SecretState(Map<String, List<String>> labels, Map<String, String> values, Boolean rotationEnabled) {
        @Override
        public String toString() {
            return "SecretState{labels=" + labels + ", rotationEnabled=" + rotationEnabled + ", values=(not shown)}";
        }
    }
}
