package dev.rotation.testkit.contract.alternating;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.local.rds.LocalRds;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import dev.rotation.testkit.contract.HandlerUnderTest;
import dev.rotation.testkit.contract.LocalRotationWorld;
import dev.rotation.testkit.contract.TestJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * One alternating-users test's world: a local Secrets Manager over HTTP with the real SDK client,
 * the handler under test registered as an in-process Lambda function, a real server with a master
 * user that is no superuser, and an application user with its secret.
 *
 * <p>Much like the single-user contract's RotationFixture; what both set up alike lives in
 * {@link LocalRotationWorld}, and what differs here is the master secret and the users a rotation creates.
 */
final class AlternatingUsersFixture implements AutoCloseable {
    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:alternating-users-under-test";
    static final List<String> STEPS = List.of(RotationStep.CREATE_SECRET, RotationStep.SET_SECRET,
            RotationStep.TEST_SECRET, RotationStep.FINISH_SECRET);
    private static final Duration WAIT = Duration.ofSeconds(120);

    final AlternatingUsersTarget target;
    final TestDatabase db;
    final String dbName;
    final LocalSecretsManager server;
    final SecretsManagerClient sm;
    private final HandlerUnderTest handler;
    final List<String> logLines;
    final List<Throwable> thrown;
    /** Every password a test used or a rotation made, for the leak checks. */
    final List<String> passwords = new CopyOnWriteArrayList<>();
    /** When set, the function runs every step twice in a row. */
    final AtomicBoolean everyStepTwice = new AtomicBoolean();
    /** When set, the next finishSecret fails before the handler runs, so the service retries the whole rotation. */
    final AtomicBoolean failNextFinish = new AtomicBoolean();
    private final List<String> users = new ArrayList<>();
    private final List<String> masters = new ArrayList<>();

    AlternatingUsersFixture(AlternatingUsersTarget target, String dbName) {
        this.target = target;
        this.db = target.database();
        this.dbName = dbName;
        InProcessInvoker invoker = new InProcessInvoker().register(FUNCTION, this::function);
        server = LocalSecretsManager.builder().port(0).rotationInvoker(invoker).maxRotationAttempts(2)
                .schedulerInterval(Duration.ZERO).build().start();
        sm = LocalRotationWorld.client(server.endpoint());
        this.handler = new HandlerUnderTest((environment, logSink) -> target.handler(sm, environment, logSink));
        this.logLines = handler.logLines;
        this.thrown = handler.thrown;
    }

    private void function(RotationStep step) {
        if (step.step().equals(RotationStep.FINISH_SECRET) && failNextFinish.getAndSet(false)) {
            throw new IllegalStateException("simulated Lambda timeout before finishSecret");
        }
        invoke(step.step(), step.secretId(), step.clientRequestToken());
        if (everyStepTwice.get()) {
            invoke(step.step(), step.secretId(), step.clientRequestToken());
        }
    }

    void environment(String name, String value) {
        handler.environment(name, value);
    }

    /** Invokes one step the way Lambda does; records and rethrows what the handler throws. */
    void invoke(String step, String secretArn, String token) {
        handler.invoke(step, secretArn, token);
    }

    // ---- users and secrets ----------------------------------------------------------------------

    static String unique(String prefix) {
        return LocalRotationWorld.unique(prefix);
    }

    static String random(int bytes) {
        return LocalRotationWorld.random(bytes);
    }

    String newPassword() {
        String password = LocalRotationWorld.newPassword();
        passwords.add(password);
        return password;
    }

    /** An application user with rights on this test's database only; it and its clone are dropped at the end. */
    String newAppUser(String username, String password) {
        for (String leftover : List.of(username + "_clone", username)) {
            try {
                db.dropUser(leftover);
            } catch (RuntimeException tooLongForTheServer) {
                // Only a name the server cannot hold fails here, and then no such user exists either.
            }
        }
        users.add(username + "_clone");
        users.add(username);
        db.createAppUser(dbName, username, password);
        return username;
    }

    /** A master user (no superuser) and its secret; returns the secret's ARN. */
    String newMasterSecret(String appUser) {
        String master = unique("master");
        String password = newPassword();
        masters.add(master);
        target.createMaster(dbName, master, password, appUser);
        return createSecret(masterSecret(master, password).write());
    }

    /**
     * A master user and its secret as RDS manages it: only username and password, {@code OwningService}
     * rds, and the system tag naming its DB instance, which {@code rds} (the RDS API's stand-in, the
     * handler's {@code RDS_ENDPOINT}) places at {@code endpointHost:endpointPort}. Returns the secret's ARN.
     */
    String newRdsManagedMasterSecret(String appUser, LocalRds rds, String endpointHost, int endpointPort) {
        String master = unique("master");
        String password = newPassword();
        masters.add(master);
        target.createMaster(dbName, master, password, appUser);
        String instanceArn = "arn:aws:rds:us-east-1:123456789012:db:" + unique("db").replace('_', '-');
        rds.putInstance(instanceArn, endpointHost, endpointPort);
        environment("RDS_ENDPOINT", rds.endpoint().toString());
        environment("AWS_ACCESS_KEY_ID", "AKIDLOCAL");
        environment("AWS_SECRET_ACCESS_KEY", "local");
        return server.createManagedSecret("rds!" + unique("db"), "rds",
                TestJson.object().put("username", master).put("password", password).write(),
                Map.of("aws:rds:primaryDBInstanceArn", instanceArn));
    }

    /** A master user and a secret holding only its username and password, as RDS-managed master secrets do. */
    String newUsernamePasswordOnlyMasterSecret(String appUser) {
        String master = unique("master");
        String password = newPassword();
        masters.add(master);
        target.createMaster(dbName, master, password, appUser);
        return createSecret(TestJson.object().put("username", master).put("password", password).write());
    }

    /** The master secret, naming its own server; without dbname the master logs in to the engine's administrative default. */
    TestJson masterSecret(String master, String password) {
        return TestJson.object().put("engine", db.engine()).put("host", db.host()).put("port", db.port())
                .put("username", master).put("password", password).put("ssl", false);
    }

    TestJson appSecret(String username, String password, String masterArn) {
        return TestJson.object().put("engine", db.engine()).put("host", db.host()).put("port", db.port())
                .put("username", username).put("password", password).put("dbname", dbName).put("ssl", false)
                .put("masterarn", masterArn).put("team", TestJson.raw("{\"owner\":\"payments\"}"));
    }

    String createSecret(String secretString) {
        return sm.createSecret(r -> r.name("alternating/" + unique("secret")).secretString(secretString)).arn();
    }

    // ---- rotations ------------------------------------------------------------------------------

    /** Runs a whole rotation through RotateSecret; returns its outcome. */
    RotationOutcome rotate(String secretArn) {
        sm.rotateSecret(r -> r.secretId(secretArn).rotationLambdaARN(FUNCTION)
                .rotationRules(rules -> rules.automaticallyAfterDays(30L)));
        assertThat(server.awaitRotations(WAIT)).as("rotation finished within %s", WAIT).isTrue();
        RotationOutcome outcome = server.rotationOutcome(secretArn).orElseThrow();
        passwords.add(current(secretArn).password());
        return outcome;
    }

    /** A rotation that must succeed. */
    void rotateSuccessfully(String secretArn) {
        RotationOutcome outcome = rotate(secretArn);
        assertThat(outcome.status()).as("rotation outcome, reason: %s", outcome.reason())
                .isEqualTo(RotationOutcome.SUCCEEDED);
    }

    DatabaseSecret current(String secretArn) {
        return read(secretArn, "AWSCURRENT").orElseThrow();
    }

    Optional<DatabaseSecret> read(String secretArn, String stage) {
        try {
            return Optional.of(DatabaseSecret.parse(sm.getSecretValue(r -> r.secretId(secretArn).versionStage(stage))
                    .secretString()));
        } catch (ResourceNotFoundException noValue) {
            return Optional.empty();
        }
    }

    String currentValue(String secretArn) {
        return sm.getSecretValue(r -> r.secretId(secretArn).versionStage("AWSCURRENT")).secretString();
    }

    /** The AWSPENDING version's value, if it has one. */
    Optional<String> pendingValue(String secretArn) {
        try {
            return Optional.of(sm.getSecretValue(r -> r.secretId(secretArn).versionStage("AWSPENDING")).secretString());
        } catch (ResourceNotFoundException noValue) {
            return Optional.empty();
        }
    }

    boolean canLogin(DatabaseSecret secret) {
        return db.canLogin(dbName, secret.username(), secret.password());
    }

    boolean canLogin(String username, String password) {
        return db.canLogin(dbName, username, password);
    }

    // ---- the application's table ----------------------------------------------------------------

    void createTable(String username, String password, String table) {
        try (Connection c = db.connect(dbName, username, password); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, note VARCHAR(40))");
        } catch (SQLException e) {
            throw new AssertionError("user " + username + " cannot create table " + table + ": " + e.getMessage(), e);
        }
    }

    /** Inserts a row as the user and returns how many rows the user then reads. */
    int writeAndCount(String username, String password, String table, int id) {
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
    void alterAndDrop(String username, String password, String table) {
        try (Connection c = db.connect(dbName, username, password); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + table + " ADD COLUMN extra INT");
            s.execute("DROP TABLE " + table);
        } catch (SQLException e) {
            throw new AssertionError("user " + username + " cannot alter and drop " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        LocalRotationWorld.dropQuietly(db, users);
        for (String master : masters) {
            try {
                target.dropMaster(master);
            } catch (RuntimeException e) {
                // As above.
            }
        }
        sm.close();
        server.close();
    }
}
