package dev.rotation.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.testkit.RotationWorld;
import dev.rotation.testkit.Strategy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The fault matrix of {@link FaultConvergenceIT}, for any world built with
 * {@link RotationWorld.Builder#faultInjection()}: a fault-free rotation lists the call positions, then a
 * rotation per position and fault kind (of the given sites) runs with that one fault and must converge.
 */
public final class FaultMatrix {
    /** A fault plus the service's retries; the service itself gives up after a handful of attempts. */
    private static final int MAX_FAILED_INVOCATIONS = 4;

    private FaultMatrix() {
    }

    private static final Set<FaultInjector.Site> ALL_SITES = EnumSet.allOf(FaultInjector.Site.class);

    /**
     * The database calls setSecret makes, by strategy, at which a fault test stops or breaks the first
     * attempt: the password change of single user, and each of alternating users' administration steps.
     */
    public static Stream<Arguments> setSecretDatabaseCalls() {
        return Stream.of(
                Arguments.of(Strategy.SINGLE_USER, "changeOwnPassword"),
                Arguments.of(Strategy.ALTERNATING_USERS, "admin.ensureUser"),
                Arguments.of(Strategy.ALTERNATING_USERS, "admin.synchronizePrivileges"),
                Arguments.of(Strategy.ALTERNATING_USERS, "admin.setPassword"));
    }

    /**
     * Runs the matrix for {@code strategy} after {@code priorRotations} fault-free rotations: every fault kind
     * at every call position; asserts that every fault converged.
     */
    public static void converge(RotationWorld world, Strategy strategy, int priorRotations) {
        converge(world, strategy, priorRotations, ALL_SITES, true);
    }

    /**
     * Runs the matrix with faults at the call positions of {@code sites} only, and with every applicable
     * kind at each position ({@code everyKind}) or one kind per position, taking turns (a quicker pass that
     * still breaks every call once); asserts that every fault converged.
     */
    public static void converge(RotationWorld world, Strategy strategy, int priorRotations,
            Set<FaultInjector.Site> sites, boolean everyKind) {
        String engine = world.db.engine();
        RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(strategy);
        String label = strategy.label() + (priorRotations == 0 ? "" : ", rotation " + (priorRotations + 1));
        List<FaultInjector.Call> positions = dryRun(world, strategy, handler, priorRotations);
        System.out.println(engine + " " + label + ": " + positions.size() + " call positions: "
                + positions.stream().map(FaultInjector.Call::toString).collect(Collectors.joining(", ")));

        int injected = 0;
        int failedAStep = 0;
        int converged = 0;
        List<String> problems = new ArrayList<>();
        int run = 0;
        int turn = 0;
        for (FaultInjector.Call position : positions) {
            List<FaultInjector.Kind> kinds = new ArrayList<>();
            for (FaultInjector.Kind kind : FaultInjector.Kind.values()) {
                if (sites.contains(kind.site()) && applies(kind, position)) {
                    kinds.add(kind);
                }
            }
            if (!everyKind && !kinds.isEmpty()) {
                kinds = List.of(kinds.get(turn++ % kinds.size()));
            }
            for (FaultInjector.Kind kind : kinds) {
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
        ConvergenceTable.record(new ConvergenceTable.Row(engine, label, positions.size(), injected,
                failedAStep, converged));
        assertThat(injected).as("faults injected").isPositive();
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

    private static List<FaultInjector.Call> dryRun(RotationWorld world, Strategy strategy,
            RequestHandler<SecretsManagerRotationEvent, Void> handler, int priorRotations) {
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
