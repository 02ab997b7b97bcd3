package dev.rotation.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.TcpCutProxy;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.testkit.RotationWorld;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.testdb.TestDatabase;
import java.net.URI;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets Manager answers lost on the wire, with the client the deployed function builds (its
 * default retries and HTTP client): a TCP proxy in front of the local server lets the request
 * through, the server executes it, and the proxy drops the answer and the connection. The SDK's
 * own retry then repeats a request that already took effect (a PutSecretValue with the same token
 * and value, an UpdateSecretVersionStage whose label already moved); the rotation must converge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class NetworkFaultIT {

    private RotationWorld world;

    @BeforeAll
    void startWorld() {
        EngineTarget target = EngineTargets.current();
        TestDatabase db = target.database();
        world = RotationWorld.builder(target).database(db, db.createDatabase("network_faults"))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build();
    }

    @AfterAll
    void closeWorld() {
        if (world != null) {
            world.close();
        }
    }

    static Stream<Arguments> lostAnswers() {
        return Stream.of(Strategy.values()).flatMap(strategy -> Stream.of("PutSecretValue", "UpdateSecretVersionStage",
                "GetRandomPassword", "DescribeSecret", "GetSecretValue").map(operation -> Arguments.of(strategy, operation)));
    }

    @ParameterizedTest(name = "{0}, answer to the first {1} lost")
    @MethodSource("lostAnswers")
    void aSecretsManagerAnswerLostOnTheWire_theRotationConverges(Strategy strategy, String operation) {
        URI endpoint = world.server.endpoint();
        try (TcpCutProxy proxy = TcpCutProxy.forward(endpoint.getHost(), endpoint.getPort());
                SecretsManagerClient client = RotationWorld.functionsOwnClient(
                        URI.create("http://" + proxy.host() + ":" + proxy.port()))) {
            world.injector.reset();
            Scenario scenario = Scenario.start(world, strategy);
            RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(strategy, client,
                    world.target.engine(), world.target.userAdministration());
            proxy.arm(Pattern.compile("(?i)X-Amz-Target:\\s*secretsmanager\\." + operation + "\\r\\n"));

            Scenario.Result result = scenario.drive(handler, Scenario.RetryMode.SAME_STEP, 3);

            System.out.println(world.db.engine() + " " + strategy.label() + ": answer to " + operation + " lost on the"
                    + " wire; failed step invocations before convergence: " + result.failedInvocations());
            assertThat(proxy.cuts()).as("answers cut").isEqualTo(1);
            assertThat(result.problem()).isNull();
            assertThat(result.converged()).isTrue();
            assertThat(scenario.leakProblem()).isNull();
        }
    }
}
