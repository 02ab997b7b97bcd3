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
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.secret.DatabaseSecret;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults in the database itself, on a server of the test's own: restarted in the middle of
 * setSecret, down while the service retries, and a connection cut by a TCP proxy after the server
 * executed the password change but before its answer reached the function. Each time the invariant
 * holds right after the fault and the retried rotation converges.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class DatabaseFaultIT {
    /**
     * The statement that gives a user its new password, in every engine's and strategy's words
     * (MariaDB's own-password change of a mysql_native_password account: {@code SET PASSWORD = '<hash>'}).
     */
    static final Pattern PASSWORD_CHANGE = Pattern.compile(
            "(?is)(ALTER USER|SET PASSWORD).*(IDENTIFIED BY|PASSWORD\\s*\\(|PASSWORD\\s+'SCRAM|=\\s*'\\*[0-9A-F]{40}')");


    private TestDatabase own;
    private RotationWorld world;

    @BeforeAll
    void startOwnServer() {
        EngineTarget target = EngineTargets.current();
        own = target.startOwnDatabase();
        world = RotationWorld.builder(target).database(own, own.createDatabase("db_faults"))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build();
    }

    @AfterAll
    void stopOwnServer() {
        if (world != null) {
            world.close();
        }
        if (own != null) {
            own.close();
        }
    }

    static Stream<Arguments> restartPoints() {
        return FaultMatrix.setSecretDatabaseCalls();
    }

    @ParameterizedTest(name = "{0}, restart at {1}")
    @MethodSource("restartPoints")
    void setSecret_whenTheServerRestartsInTheMiddle_failsAndTheRetriedRotationConverges(Strategy strategy,
            String restartAt) {
        Scenario scenario = Scenario.start(world, strategy);
        RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(strategy);
        AtomicBoolean restarted = new AtomicBoolean();
        world.injector.reset();
        world.injector.onCall((call, armed) -> {
            if (call.description().equals(restartAt) && restarted.compareAndSet(false, true)) {
                own.restart();
            }
        });
        assertThat(RotationWorld.invoke(handler, RotationStep.CREATE_SECRET, scenario.arn, scenario.token)).isEmpty();

        Optional<Throwable> failure = RotationWorld.invoke(handler, RotationStep.SET_SECRET, scenario.arn, scenario.token);

        assertThat(restarted).as("the server was restarted at %s", restartAt).isTrue();
        assertThat(failure).as("setSecret on a connection the restart broke").isPresent();
        failure.ifPresent(scenario.thrown::add);
        assertThat(scenario.invariantProblem()).isNull();
        Scenario.Result result = scenario.drive(handler, Scenario.RetryMode.RESTART, 2);
        assertThat(result.problem()).isNull();
        assertThat(result.converged()).isTrue();
        assertThat(scenario.leakProblem()).isNull();
    }

    @Test
    void setSecret_whileTheServerIsDown_failsNamingTheServer_andConvergesOnceItIsBack() {
        Scenario scenario = Scenario.start(world, Strategy.SINGLE_USER);
        RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(Strategy.SINGLE_USER);
        AtomicBoolean stopped = new AtomicBoolean();
        world.injector.reset();
        world.injector.onCall((call, armed) -> {
            if (call.description().equals("changeOwnPassword") && stopped.compareAndSet(false, true)) {
                own.stop();
            }
        });
        assertThat(RotationWorld.invoke(handler, RotationStep.CREATE_SECRET, scenario.arn, scenario.token)).isEmpty();
        Optional<Throwable> first = RotationWorld.invoke(handler, RotationStep.SET_SECRET, scenario.arn, scenario.token);
        Optional<Throwable> whileDown;
        try {
            whileDown = RotationWorld.invoke(handler, RotationStep.SET_SECRET, scenario.arn, scenario.token);
        } finally {
            own.start();
        }

        assertThat(first).isPresent();
        assertThat(whileDown).isPresent();
        assertThat(whileDown.get().getMessage()).contains("could not log in")
                .contains(own.host() + ":" + own.port());
        first.ifPresent(scenario.thrown::add);
        whileDown.ifPresent(scenario.thrown::add);
        assertThat(scenario.invariantProblem()).isNull();
        Scenario.Result result = scenario.drive(handler, Scenario.RetryMode.SAME_STEP, 2);
        assertThat(result.problem()).isNull();
        assertThat(result.converged()).isTrue();
        assertThat(scenario.leakProblem()).isNull();
    }

    static Stream<Arguments> cutCases() {
        return Stream.of(Strategy.values()).flatMap(strategy -> Stream.of(Scenario.RetryMode.values())
                .map(mode -> Arguments.of(strategy, mode)));
    }

    @ParameterizedTest(name = "{0}, retry {1}")
    @MethodSource("cutCases")
    void setSecret_whenTheConnectionIsCutAfterThePasswordChangeButBeforeTheAnswer_theRetryConverges(Strategy strategy,
            Scenario.RetryMode mode) {
        try (TcpCutProxy proxy = TcpCutProxy.forward(own.host(), own.port())) {
            Scenario scenario = Scenario.start(world, strategy, proxy.host(), proxy.port());
            RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(strategy);
            world.injector.reset();
            assertThat(RotationWorld.invoke(handler, RotationStep.CREATE_SECRET, scenario.arn, scenario.token)).isEmpty();
            proxy.arm(PASSWORD_CHANGE);

            Optional<Throwable> failure = RotationWorld.invoke(handler, RotationStep.SET_SECRET, scenario.arn,
                    scenario.token);

            assertThat(failure).as("setSecret whose answer was cut off").isPresent();
            failure.ifPresent(scenario.thrown::add);
            assertThat(proxy.cuts()).isEqualTo(1);
            DatabaseSecret pending = scenario.valueAt(Scenario.PENDING).orElseThrow();
            assertThat(scenario.canLogin(pending.username(), pending.password()))
                    .as("the server executed the password change before the cut").isTrue();
            assertThat(scenario.invariantProblem()).isNull();
            Scenario.Result result = scenario.drive(handler, mode, 2);
            assertThat(result.problem()).isNull();
            assertThat(result.converged()).isTrue();
            assertThat(scenario.leakProblem()).isNull();
            assertThat(List.of(proxy.cuts())).containsExactly(1);
        }
    }
}
