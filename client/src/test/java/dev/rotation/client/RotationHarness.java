package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The local Secrets Manager running a real rotation function against a real database, a secret for
 * an ordinary application user, and a separate SDK client for the application whose requests are
 * counted on the wire. {@link #duringSetSecretWindow} runs after each setSecret and before
 * testSecret/finishSecret, so a test can hold the single-user rotation window open until the
 * application has really worked inside it.
 */
final class RotationHarness implements AutoCloseable {
    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:rotate";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Creates the rotation function under test, as its module does. */
    @FunctionalInterface
    interface HandlerFactory {
        RequestHandler<SecretsManagerRotationEvent, Void> create(SecretsManagerClient client,
                Map<String, String> environment, Consumer<String> logSink);
    }

    final TestDatabase db;
    final String dbName;
    final LocalSecretsManager server;
    /** The rotation function's client. */
    final SecretsManagerClient functionClient;
    /** The application's client; {@link #applicationRequests} counts its API calls. */
    final SecretsManagerClient applicationClient;
    final AtomicInteger applicationRequests = new AtomicInteger();
    /** Every password the secret has held, to check that none leaks into output. */
    final List<String> passwords = new CopyOnWriteArrayList<>();
    final List<String> functionLog = new CopyOnWriteArrayList<>();
    volatile Runnable duringSetSecretWindow = () -> { };
    private final RequestHandler<SecretsManagerRotationEvent, Void> handler;
    private boolean rotationConfigured;

    RotationHarness(TestDatabase db, HandlerFactory factory) {
        this.db = db;
        this.dbName = db.createDatabase("client");
        InProcessInvoker invoker = new InProcessInvoker().register(FUNCTION, this::invoke);
        server = LocalSecretsManager.builder().port(0).rotationInvoker(invoker).maxRotationAttempts(2)
                .schedulerInterval(Duration.ZERO).build().start();
        functionClient = LocalSecrets.client(server.endpoint(), null);
        applicationClient = LocalSecrets.client(server.endpoint(), new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                applicationRequests.incrementAndGet();
            }
        });
        handler = factory.create(functionClient, Map.of("DB_CONNECT_TIMEOUT_SECONDS", "10"), functionLog::add);
    }

    private void invoke(RotationStep step) {
        SecretsManagerRotationEvent event = new SecretsManagerRotationEvent();
        event.setStep(step.step());
        event.setSecretId(step.secretId());
        event.setClientRequestToken(step.clientRequestToken());
        event.setRotationToken(step.rotationToken());
        handler.handleRequest(event, null);
        if (RotationStep.SET_SECRET.equals(step.step())) {
            duringSetSecretWindow.run();
        }
    }

    static String newPassword() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "Pw-" + HexFormat.of().formatHex(b) + "-Xy9";
    }

    static String unique(String prefix) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return prefix + "_" + HexFormat.of().formatHex(b);
    }

    /** Creates an application user and its secret; returns the secret's name. */
    String createUserSecret(String username) {
        String password = newPassword();
        db.dropUser(username);
        db.createAppUser(dbName, username, password);
        passwords.add(password);
        String name = "app/" + unique("db");
        functionClient.createSecret(r -> r.name(name).secretString(secretJson(username, password, null)));
        return name;
    }

    /**
     * For alternating users: a master secret holding the server's admin login, then an application user
     * and its secret naming the master secret in {@code masterarn}; returns the user secret's name.
     */
    String createAlternatingUserSecret(String username) {
        String masterArn = functionClient.createSecret(r -> r.name("admin/" + unique("master"))
                .secretString(secretJson(db.adminUsername(), db.adminPassword(), null))).arn();
        String password = newPassword();
        db.dropUser(username);
        db.dropUser(username + "_clone");
        db.createAppUser(dbName, username, password);
        passwords.add(password);
        String name = "app/" + unique("db");
        functionClient.createSecret(r -> r.name(name).secretString(secretJson(username, password, masterArn)));
        return name;
    }

    /** The secret an operator stores: plaintext for the throwaway servers, which offer no TLS. */
    String secretJson(String username, String password, String masterArn) {
        return "{\"engine\":\"" + db.engine() + "\",\"host\":\"" + db.host() + "\",\"port\":" + db.port()
                + ",\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"dbname\":\"" + dbName
                + "\",\"ssl\":false" + (masterArn == null ? "" : ",\"masterarn\":\"" + masterArn + "\"") + "}";
    }

    /** One whole rotation through RotateSecret, awaited; asserts that it succeeded. */
    void rotate(String secretId) {
        if (rotationConfigured) {
            functionClient.rotateSecret(r -> r.secretId(secretId));
        } else {
            functionClient.rotateSecret(r -> r.secretId(secretId).rotationLambdaARN(FUNCTION)
                    .rotationRules(rules -> rules.automaticallyAfterDays(30L)));
            rotationConfigured = true;
        }
        assertThat(server.awaitRotations(WAIT)).as("rotation finished within %s", WAIT).isTrue();
        RotationOutcome outcome = server.rotationOutcome(secretId).orElseThrow();
        assertThat(outcome.status()).as("rotation outcome, reason: %s", outcome.reason())
                .isEqualTo(RotationOutcome.SUCCEEDED);
        passwords.add(DatabaseCredentials.fromJson(
                functionClient.getSecretValue(r -> r.secretId(secretId).versionStage("AWSCURRENT")).secretString())
                .password());
    }

    @Override
    public void close() {
        applicationClient.close();
        functionClient.close();
        server.close();
    }
}
