package dev.rotation.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.testkit.RotationWorld;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.testdb.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every external call of a rotation, failed one at a time: a fault-free rotation lists the call
 * positions (each Secrets Manager request, each database login, statement and engine or
 * administration call); then for every position and every fault kind that applies to it (Secrets
 * Manager: error before the request takes effect, answer lost after it took effect, timeout after
 * it took effect, the last only on the requests that change something; database: connection lost
 * before or after the server executed the call) a fresh
 * rotation runs with that one fault, retried as the service retries, alternately by invoking the
 * failed step again and by restarting the whole rotation with the same token. The invariant holds
 * after every invocation, the rotation ends as the service expects, and no password leaks. The
 * counts go to {@link ConvergenceTable}; every fault must converge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class FaultConvergenceIT {
    /** A fault plus the service's retries; the service itself gives up after a handful of attempts. */
    private static final int MAX_FAILED_INVOCATIONS = 4;


    private RotationWorld world;
    private TestDatabase db;

    @BeforeAll
    void startWorld() {
        EngineTarget target = EngineTargets.current();
        db = target.database();
        world = RotationWorld.builder(target).database(db, db.createDatabase("faults"))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build();
    }

    @AfterAll
    void closeWorld() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void singleUser_aFaultAtEveryCallPosition_converges() {
        runMatrix(Strategy.SINGLE_USER);
    }

    @Test
    void alternatingUsers_aFaultAtEveryCallPosition_converges() {
        runMatrix(Strategy.ALTERNATING_USERS, 0);
    }

    /** The second rotation switches back to the base user, which exists and is AWSPREVIOUS: other calls. */
    @Test
    void alternatingUsers_secondRotation_aFaultAtEveryCallPosition_converges() {
        runMatrix(Strategy.ALTERNATING_USERS, 1);
    }

    private void runMatrix(Strategy strategy) {
        runMatrix(strategy, 0);
    }

    private void runMatrix(Strategy strategy, int priorRotations) {
        RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(strategy);
        String label = strategy.label() + (priorRotations == 0 ? "" : ", rotation " + (priorRotations + 1));
        List<FaultInjector.Call> positions = dryRun(strategy, handler, priorRotations);
        System.out.println(db.engine() + " " + label + ": " + positions.size() + " call positions: "
                + positions.stream().map(FaultInjector.Call::toString).collect(Collectors.joining(", ")));

        int injected = 0;
        int failedAStep = 0;
        int converged = 0;
        List<String> problems = new ArrayList<>();
        int run = 0;
        for (FaultInjector.Call position : positions) {
            for (FaultInjector.Kind kind : FaultInjector.Kind.values()) {
                if (!applies(kind, position)) {
                    continue;
                }
                Scenario.RetryMode mode = Scenario.RetryMode.values()[run++ % 2];
                world.injector.reset();
                Scenario scenario = Scenario.start(world, strategy, null, null, priorRotations);
                world.logLines.clear();
                world.injector.reset();
                world.injector.arm(position.position(), kind);
                Scenario.Result result = scenario.drive(handler, mode, MAX_FAILED_INVOCATIONS);
                injected++;
                String problem = result.problem();
                if (world.injector.fired().isEmpty()) {
                    problem = "the fault never fired";
                } else if (!world.injector.fired().get().description().equals(position.description())) {
                    problem = "the fault hit " + world.injector.fired().get() + " instead of " + position;
                }
                if (problem == null) {
                    problem = scenario.leakProblem();
                }
                if (result.failedInvocations() > 0) {
                    failedAStep++;
                }
                if (result.converged() && problem == null) {
                    converged++;
                } else {
                    problems.add(position + " " + kind + " " + mode + ": " + problem);
                }
                world.dropUsers();
            }
        }
        ConvergenceTable.record(new ConvergenceTable.Row(db.engine(), label, positions.size(), injected,
                failedAStep, converged));
        assertThat(problems).as("fault positions that did not converge").isEmpty();
        assertThat(failedAStep).as("faults that made a step fail").isGreaterThan(injected / 2);
    }

    /**
     * Every kind of the call's site, except that a timeout after the effect is tried only on the
     * requests that change something: on a read it is the same lost answer as SM_ANSWER_LOST, and
     * the suite must stay within minutes.
     */
    private static boolean applies(FaultInjector.Kind kind, FaultInjector.Call call) {
        if (kind.site() != call.site()) {
            return false;
        }
        return kind != FaultInjector.Kind.SM_TIMEOUT || WRITES.contains(call.description());
    }

    private static final List<String> WRITES = List.of("PutSecretValue", "UpdateSecretVersionStage");

    private List<FaultInjector.Call> dryRun(Strategy strategy, RequestHandler<SecretsManagerRotationEvent, Void> handler,
            int priorRotations) {
        Scenario scenario = Scenario.start(world, strategy, null, null, priorRotations);
        world.injector.reset();
        Scenario.Result result = scenario.drive(handler, Scenario.RetryMode.SAME_STEP, 0);
        assertThat(result.problem()).as("the fault-free rotation").isNull();
        assertThat(result.converged()).isTrue();
        List<FaultInjector.Call> calls = world.injector.calls();
        world.dropUsers();
        assertThat(calls).as("call positions").isNotEmpty();
        return calls;
    }
}
