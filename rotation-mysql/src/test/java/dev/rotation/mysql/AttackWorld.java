package dev.rotation.mysql;

import dev.rotation.shared.AlternatingUsersRotationHandler;
import dev.rotation.shared.SingleUserRotationHandler;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.secretsmanager.InProcessInvoker;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.testkit.contract.HandlerUnderTest;
import dev.rotation.testkit.contract.LocalRotationWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * One attack test's world: a local Secrets Manager over HTTP with the real SDK client and one of
 * this module's handlers registered as an in-process Lambda function, which RotateSecret drives
 * through all four steps. What the handler logged and threw is kept for leak checks.
 */
final class AttackWorld implements AutoCloseable {
    static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:mysql-under-attack";
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** Builds the handler under test from the SDK client, the environment and the log sink. */
    @FunctionalInterface
    interface HandlerFactory {
        RequestHandler<SecretsManagerRotationEvent, Void> create(SecretsManagerClient client,
                Map<String, String> environment, Consumer<String> logSink);
    }

    final LocalSecretsManager server;
    final SecretsManagerClient sm;
    private final HandlerUnderTest handler;

    AttackWorld(HandlerFactory factory) {
        InProcessInvoker invoker = new InProcessInvoker()
                .register(FUNCTION, step -> handler().invoke(step.step(), step.secretId(), step.clientRequestToken()));
        server = LocalSecretsManager.builder().port(0).rotationInvoker(invoker).maxRotationAttempts(1)
                .schedulerInterval(Duration.ZERO).build().start();
        sm = LocalRotationWorld.client(server.endpoint());
        handler = new HandlerUnderTest((environment, logSink) -> factory.create(sm, environment, logSink));
    }

    static AttackWorld singleUser() {
        return new AttackWorld((client, environment, logSink) -> new SingleUserRotationHandler(client, environment, new MySqlEngine(), logSink));
    }

    static AttackWorld alternatingUsers() {
        return new AttackWorld((client, environment, logSink) -> new AlternatingUsersRotationHandler(client, environment, new MySqlEngine(), new MySqlEngine(), logSink));
    }

    private HandlerUnderTest handler() {
        return handler;
    }

    void environment(String name, String value) {
        handler.environment(name, value);
    }

    String createSecret(String secretString) {
        return sm.createSecret(r -> r.name("attack/" + LocalRotationWorld.unique("secret")).secretString(secretString))
                .arn();
    }

    /** Runs a whole rotation through RotateSecret; returns its outcome. */
    RotationOutcome rotate(String secretArn) {
        sm.rotateSecret(r -> r.secretId(secretArn).rotationLambdaARN(FUNCTION)
                .rotationRules(rules -> rules.automaticallyAfterDays(30L)));
        assertThat(server.awaitRotations(WAIT)).as("rotation finished within %s", WAIT).isTrue();
        return server.rotationOutcome(secretArn).orElseThrow();
    }

    /** The value at AWSCURRENT. */
    String current(String secretArn) {
        return sm.getSecretValue(r -> r.secretId(secretArn).versionStage("AWSCURRENT")).secretString();
    }

    /** Per version holding AWSCURRENT or AWSPREVIOUS: its labels and value (what a failed rotation must leave). */
    Map<String, String> settledVersions(String secretArn) {
        Map<String, String> versions = new TreeMap<>();
        sm.describeSecret(r -> r.secretId(secretArn)).versionIdsToStages().forEach((version, stages) -> {
            for (String stage : List.of("AWSCURRENT", "AWSPREVIOUS")) {
                if (stages.contains(stage)) {
                    versions.put(version + " " + stage, valueOf(secretArn, version, stage));
                }
            }
        });
        return versions;
    }

    private String valueOf(String secretArn, String version, String stage) {
        try {
            return sm.getSecretValue(r -> r.secretId(secretArn).versionId(version).versionStage(stage)).secretString();
        } catch (ResourceNotFoundException noValue) {
            return "(no value)";
        }
    }

    /** Every log line, exception message and the outcome's reason, for leak checks. */
    List<String> texts(RotationOutcome outcome) {
        List<String> texts = new ArrayList<>(handler.logLines);
        texts.add(String.valueOf(outcome.reason()));
        for (Throwable t : handler.thrown) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                texts.add(String.valueOf(c));
            }
        }
        return texts;
    }

    @Override
    public void close() {
        sm.close();
        server.close();
    }
}
