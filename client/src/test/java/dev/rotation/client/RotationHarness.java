package dev.rotation.client;

import dev.rotation.testkit.EngineTarget;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.Strategy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The test kit's {@link RotationWorld} (the local Secrets Manager running the engine's real rotation
 * function against its real database) with what the client's tests add: an application's own SDK
 * client whose requests are counted on the wire, and {@link #duringSetSecretWindow}, run after each
 * setSecret and before testSecret/finishSecret, so a test can hold the single-user rotation window
 * open until the application has really worked inside it.
 */
final class RotationHarness implements AutoCloseable {
    final RotationWorld world;
    /** The application's client; {@link #applicationRequests} counts its API calls. */
    final SecretsManagerClient applicationClient;
    final AtomicInteger applicationRequests = new AtomicInteger();
    volatile Runnable duringSetSecretWindow = () -> { };

    RotationHarness(EngineTarget target, Strategy strategy) {
        world = RotationWorld.builder(target).strategy(strategy).build();
        world.afterEachStep = step -> {
            if (step.equals("setSecret")) {
                duringSetSecretWindow.run();
            }
        };
        applicationClient = RotationWorld.clientBuilder(world.server.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        applicationRequests.incrementAndGet();
                    }
                }))
                .build();
    }

    /** Every password the secret's users have held, to check that none leaks into output. */
    List<String> passwords() {
        return world.passwords;
    }

    /** Creates an application user and its secret; returns the secret's ARN. */
    String createUserSecret(String prefix) {
        return world.createSecret(world.secretFor(world.newAccount(prefix)).write());
    }

    /** For alternating users: an application user, an RDS-like master and its secret, the user's secret; returns its ARN. */
    String createAlternatingUserSecret(String prefix) {
        return world.newApplicationSecret(prefix);
    }

    /** One whole rotation through RotateSecret, awaited; asserts that it succeeded. */
    void rotate(String secretId) {
        world.rotateSuccessfully(secretId);
    }

    @Override
    public void close() {
        applicationClient.close();
        world.close();
    }
}
