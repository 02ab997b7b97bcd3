package dev.rotation.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * One test's world: a local Secrets Manager over HTTP with the real SDK client, the engine's rotation
 * handler registered as an in-process Lambda function, a "do nothing" function for setting up
 * step-by-step tests, and a real database with a database of its own for the test's users.
 */
final class RotationFixture implements AutoCloseable {
    static final String REAL_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rotation-under-test";
    static final String NOOP_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:does-nothing";
    static final String CURRENT = "AWSCURRENT";
    static final String PENDING = "AWSPENDING";
    static final String PREVIOUS = "AWSPREVIOUS";
    static final List<String> STEPS = List.of(RotationStep.CREATE_SECRET, RotationStep.SET_SECRET,
            RotationStep.TEST_SECRET, RotationStep.FINISH_SECRET);
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** Creates the handler under test the way the engine module does. */
    @FunctionalInterface
    interface HandlerFactory {
        RequestHandler<SecretsManagerRotationEvent, Void> create(SecretsManagerClient client,
                Map<String, String> environment, Consumer<String> logSink);
    }

    final TestDatabase db;
    final String dbName;
    final LocalSecretsManager server;
    final SecretsManagerClient sm;
    private final HandlerUnderTest handler;
    /** Every JSON line the handler logged during this test. */
    final List<String> logLines;
    /** Every exception the handler threw during this test, however it was invoked. */
    final List<Throwable> thrown;
    private final List<String> users = new ArrayList<>();

    RotationFixture(TestDatabase db, String dbName, HandlerFactory factory) {
        this.db = db;
        this.dbName = dbName;
        InProcessInvoker invoker = new InProcessInvoker()
                .register(REAL_FUNCTION, step -> invoke(step.step(), step.secretId(), step.clientRequestToken()))
                .register(NOOP_FUNCTION, step -> { });
        server = LocalSecretsManager.builder().port(0).rotationInvoker(invoker).maxRotationAttempts(2)
                .schedulerInterval(Duration.ZERO).build().start();
        sm = LocalRotationWorld.client(server.endpoint());
        this.handler = new HandlerUnderTest((environment, logSink) -> factory.create(sm, environment, logSink));
        this.logLines = handler.logLines;
        this.thrown = handler.thrown;
    }

    /** Changes the function's configuration for the invocations that follow. */
    void environment(String name, String value) {
        handler.environment(name, value);
    }

    /** Invokes one step the way Lambda does; records and rethrows what the handler throws. */
    void invoke(String step, String secretArn, String token) {
        handler.invoke(step, secretArn, token);
    }

    void invokeAllSteps(String secretArn, String token) {
        for (String step : STEPS) {
            invoke(step, secretArn, token);
        }
    }

    // ---- database users ------------------------------------------------------------------------

    /** A unique name: {@code prefix}, an underscore and eight random hex digits. */
    static String unique(String prefix) {
        return LocalRotationWorld.unique(prefix);
    }

    static String random(int bytes) {
        return LocalRotationWorld.random(bytes);
    }

    /** A password that every engine accepts and no default exclusion touches. */
    static String newPassword() {
        return LocalRotationWorld.newPassword();
    }

    /** Creates an ordinary application user with rights on this test's database only. */
    Account newAccount(String username, String password) {
        db.dropUser(username);
        users.add(username);
        db.createAppUser(dbName, username, password);
        return new Account(username, password);
    }

    Account newAccount(String prefix) {
        return newAccount(unique(prefix), newPassword());
    }

    boolean canLogin(String username, String password) {
        return db.canLogin(dbName, username, password);
    }

    // ---- secrets -------------------------------------------------------------------------------

    /**
     * The secret an operator would store for {@code account}, with a nested unknown key that must
     * survive, and {@code ssl: false}: the test servers offer no TLS unless a TLS test started one, and
     * without the key the functions refuse plaintext.
     */
    TestJson secretFor(Account account) {
        return TestJson.object()
                .put("engine", db.engine())
                .put("host", db.host())
                .put("port", db.port())
                .put("username", account.username())
                .put("password", account.password())
                .put("dbname", dbName)
                .put("ssl", false)
                .put("team", TestJson.raw("{\"owner\":\"payments\",\"tags\":[1,\"two\",null]}"));
    }

    String createSecret(String secretString) {
        return sm.createSecret(r -> r.name("contract/" + unique("secret")).secretString(secretString)).arn();
    }

    /** Runs a whole rotation through RotateSecret with the function under test; returns the token. */
    String rotate(String secretArn) {
        String token = startRotation(secretArn, REAL_FUNCTION);
        RotationOutcome outcome = server.rotationOutcome(secretArn).orElseThrow();
        assertThat(outcome.status()).as("rotation outcome, reason: %s", outcome.reason())
                .isEqualTo(RotationOutcome.SUCCEEDED);
        return token;
    }

    /**
     * Turns rotation on through RotateSecret with a function that does nothing, which leaves the
     * service's value-less AWSPENDING version under the returned token: the state in which Secrets
     * Manager invokes createSecret.
     */
    String startPendingRotation(String secretArn) {
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

    /** Version id to its labels, sorted, for comparisons. */
    Map<String, List<String>> labels(String secretArn) {
        Map<String, List<String>> labels = new TreeMap<>();
        sm.describeSecret(r -> r.secretId(secretArn)).versionIdsToStages()
                .forEach((version, stages) -> labels.put(version, stages.stream().sorted().toList()));
        return labels;
    }

    String versionHolding(String secretArn, String stage) {
        return labels(secretArn).entrySet().stream().filter(e -> e.getValue().contains(stage))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no version holds " + stage));
    }

    /** The value of a version at a label; empty while the version has no value. */
    Optional<String> valueOf(String secretArn, String versionId, String stage) {
        try {
            return Optional.of(sm.getSecretValue(r -> r.secretId(secretArn).versionId(versionId).versionStage(stage))
                    .secretString());
        } catch (ResourceNotFoundException noValue) {
            return Optional.empty();
        }
    }

    String currentValue(String secretArn) {
        return sm.getSecretValue(r -> r.secretId(secretArn).versionStage(CURRENT)).secretString();
    }

    /** Every version's labels and value: equal snapshots mean the secret did not change. */
    SecretState state(String secretArn) {
        Map<String, List<String>> labels = labels(secretArn);
        Map<String, String> values = new TreeMap<>();
        labels.forEach((version, stages) -> values.put(version, stages.isEmpty() ? "(no label)"
                : valueOf(secretArn, version, stages.get(0)).orElse("(no value)")));
        return new SecretState(labels, values, sm.describeSecret(r -> r.secretId(secretArn)).rotationEnabled());
    }

    @Override
    public void close() {
        LocalRotationWorld.dropQuietly(db, users);
        sm.close();
        server.close();
    }

    /** A database user and the password it was created with. Never printed. */
    record Account(String username, String password) {
        @Override
        public String toString() {
            return "Account{" + username + "}";
        }
    }

    /** What a secret holds: labels and values per version, and whether rotation is on. */
    record SecretState(Map<String, List<String>> labels, Map<String, String> values, Boolean rotationEnabled) {
        @Override
        public String toString() {
            return "SecretState{labels=" + labels + ", rotationEnabled=" + rotationEnabled + ", values=<"
                    + values.size() + " hidden>}";
        }
    }
}
