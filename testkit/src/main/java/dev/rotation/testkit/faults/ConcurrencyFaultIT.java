package dev.rotation.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotation.testkit.EngineTargets;
import dev.rotation.testkit.Strategy;
import dev.rotation.testkit.EngineTarget;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.testkit.RotationWorld;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rotation.local.secretsmanager.RotationOutcome;
import dev.rotation.local.secretsmanager.RotationStep;
import dev.rotation.local.testdb.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;

/**
 * Concurrency the service produces: a step retried while a slow earlier attempt of the same step
 * still runs (the earlier one held on a latch inside its database or Secrets Manager call, released
 * only after the retry and the rest of the rotation finished), two RotateSecret calls at once for
 * the same secret, and many secrets rotated at once on one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class ConcurrencyFaultIT {
    private static final Duration WAIT = Duration.ofSeconds(120);


    private RotationWorld world;
    private ExecutorService threads;

    @BeforeAll
    void startWorld() {
        EngineTarget target = EngineTargets.current();
        TestDatabase db = target.database();
        world = RotationWorld.builder(target).database(db, db.createDatabase("concurrency"))
                .maxRotationAttempts(LocalSecretsManager.DEFAULT_MAX_ROTATION_ATTEMPTS).faultInjection().build();
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    void closeWorld() {
        if (threads != null) {
            threads.shutdownNow();
        }
        if (world != null) {
            world.close();
        }
    }

    static Stream<Arguments> stuckSetSecrets() {
        return FaultMatrix.setSecretDatabaseCalls();
    }

    @ParameterizedTest(name = "{0}, first attempt stuck at {1}")
    @MethodSource("stuckSetSecrets")
    void setSecret_retriedWhileTheFirstAttemptIsStuck_convergesAndTheLateAttemptHarmsNothing(Strategy strategy,
            String slowCall) throws Exception {
        retriedWhileAnEarlierAttemptIsStuck(strategy, RotationStep.SET_SECRET, slowCall);
    }

    @Test
    void createSecret_retriedWhileTheFirstAttemptIsStuckBeforePutSecretValue_keepsTheRetrysPassword() throws Exception {
        Scenario scenario = retriedWhileAnEarlierAttemptIsStuck(Strategy.SINGLE_USER, RotationStep.CREATE_SECRET,
                "PutSecretValue");
        assertThat(scenario.thrown).as("the late attempt's PutSecretValue with another value")
                .anyMatch(t -> t.getMessage().contains("ResourceExistsException"));
    }

    /**
     * The first invocation of {@code step} blocks at its first {@code slowCall} until the retry of
     * the same step and every later step have finished; then it goes on. The invariant must hold
     * throughout and after it, and the rotation must end as the service expects.
     */
    private Scenario retriedWhileAnEarlierAttemptIsStuck(Strategy strategy, String step, String slowCall)
            throws Exception {
        Scenario scenario = Scenario.start(world, strategy);
        RequestHandler<SecretsManagerRotationEvent, Void> handler = world.handler(strategy);
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        world.injector.reset();
        world.injector.onCall((call, armed) -> {
            if (call.description().equals(slowCall) && first.compareAndSet(true, false)) {
                stuck.countDown();
                await(release);
            }
        });
        int index = Scenario.STEPS.indexOf(step);
        for (String earlier : Scenario.STEPS.subList(0, index)) {
            assertThat(RotationWorld.invoke(handler, earlier, scenario.arn, scenario.token)).isEmpty();
        }
        Future<Optional<Throwable>> slow = threads.submit(() -> RotationWorld.invoke(handler, step, scenario.arn,
                scenario.token));
        assertThat(stuck.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the first attempt reached %s", slowCall)
                .isTrue();

        for (String later : Scenario.STEPS.subList(index, Scenario.STEPS.size())) {
            Optional<Throwable> failure = RotationWorld.invoke(handler, later, scenario.arn, scenario.token);
            failure.ifPresent(scenario.thrown::add);
            assertThat(failure).as("%s while an earlier %s is stuck", later, step).isEmpty();
            assertThat(scenario.invariantProblem()).isNull();
        }
        release.countDown();
        Optional<Throwable> late = slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        late.ifPresent(scenario.thrown::add);

        assertThat(scenario.invariantProblem()).as("after the late attempt").isNull();
        assertThat(scenario.endStateProblem()).as("after the late attempt").isNull();
        assertThat(scenario.leakProblem()).isNull();
        return scenario;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rotateSecret_twiceAtOnceForTheSameSecret_refusesOne_andTheOtherConverges() throws Exception {
        Scenario scenario = Scenario.create(world, Strategy.SINGLE_USER, null, null);
        world.injector.reset();
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                try {
                    return scenario.rotateSecretWith(RotationWorld.functionArn(Strategy.SINGLE_USER));
                } catch (InvalidRequestException refused) {
                    return "refused: " + refused.awsErrorDetails().errorCode();
                }
            }, threads));
        }
        List<String> answers = new ArrayList<>();
        for (CompletableFuture<String> call : calls) {
            answers.add(call.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertThat(world.server.awaitRotations(WAIT)).isTrue();

        assertThat(answers).filteredOn(a -> a.startsWith("refused")).containsExactly("refused: InvalidRequestException");
        String token = answers.stream().filter(a -> !a.startsWith("refused")).findFirst().orElseThrow();
        scenario.token = token;
        assertThat(world.server.rotationOutcome(scenario.arn).orElseThrow().status()).isEqualTo(RotationOutcome.SUCCEEDED);
        assertThat(scenario.endStateProblem()).isNull();
    }

    @Test
    void manySecretsRotatedAtOnce_onOneServer_allConverge() throws Exception {
        int secrets = 20;
        List<Scenario> scenarios = new ArrayList<>();
        for (int i = 0; i < secrets; i++) {
            scenarios.add(Scenario.create(world, i % 2 == 0 ? Strategy.SINGLE_USER : Strategy.ALTERNATING_USERS,
                    null, null));
        }
        world.injector.reset();
        CyclicBarrier together = new CyclicBarrier(secrets);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return scenario.rotateSecretWith(RotationWorld.functionArn(scenario.strategy));
            }, threads));
        }
        for (CompletableFuture<String> call : calls) {
            call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(world.server.awaitRotations(WAIT)).isTrue();

        for (Scenario scenario : scenarios) {
            RotationOutcome outcome = world.server.rotationOutcome(scenario.arn).orElseThrow();
            assertThat(outcome.status()).as("%s: %s", scenario.strategy, outcome.reason())
                    .isEqualTo(RotationOutcome.SUCCEEDED);
            assertThat(scenario.endStateProblem()).as(scenario.strategy.label()).isNull();
        }
    }
}
