package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.RotateSecretResponse;

class RotationIT {
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:stub-rotation";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestClock clock = TestClock.at("2026-03-02T10:15:00Z");
    private final InProcessInvoker invoker = new InProcessInvoker();
    private LocalSecretsManager server;
    private SecretsManagerClient sm;

    @BeforeEach
    void start() {
        server = LocalSecretsManager.builder().port(0).clock(clock).rotationInvoker(invoker)
                .maxRotationAttempts(3).schedulerInterval(Duration.ZERO).build().start();
        sm = Sdk.client(server.endpoint());
    }

    @AfterEach
    void stop() {
        sm.close();
        server.close();
    }

    /** A rotation function in the reference's shape: fills AWSPENDING, then moves AWSCURRENT to it. */
    private InProcessInvoker.StepHandler stubFunction(List<String> seen) {
        return step -> {
            seen.add(step.step());
            switch (step.step()) {
                case RotationStep.CREATE_SECRET -> {
                    try {
                        sm.getSecretValue(r -> r.secretId(step.secretId()).versionId(step.clientRequestToken())
                                .versionStage("AWSPENDING"));
                    } catch (ResourceNotFoundException noValueYet) {
                        sm.putSecretValue(r -> r.secretId(step.secretId()).clientRequestToken(step.clientRequestToken())
                                .secretString("rotated-" + step.clientRequestToken().substring(0, 8))
                                .versionStages("AWSPENDING"));
                    }
                }
                case RotationStep.FINISH_SECRET -> {
                    DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(step.secretId()));
                    String current = d.versionIdsToStages().entrySet().stream()
                            .filter(e -> e.getValue().contains("AWSCURRENT")).map(e -> e.getKey()).findFirst()
                            .orElseThrow();
                    if (!current.equals(step.clientRequestToken())) {
                        sm.updateSecretVersionStage(r -> r.secretId(step.secretId()).versionStage("AWSCURRENT")
                                .moveToVersionId(step.clientRequestToken()).removeFromVersionId(current));
                    }
                }
                default -> {
                }
            }
        };
    }

    @Test
    void rotateSecret_withStubFunction_runsFourStepsInOrderAndMovesLabels() {
        List<String> seen = new CopyOnWriteArrayList<>();
        invoker.register("stub-rotation", stubFunction(seen));
        String first = sm.createSecret(r -> r.name("app/db").secretString("v1")).versionId();

        RotateSecretResponse rotated = sm.rotateSecret(r -> r.secretId("app/db").rotationLambdaARN(FUNCTION)
                .rotationRules(rr -> rr.automaticallyAfterDays(30L)));
        assertThat(server.awaitRotations(WAIT)).isTrue();

        assertThat(seen).containsExactly("createSecret", "setSecret", "testSecret", "finishSecret");
        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId("app/db"));
        assertThat(d.versionIdsToStages().get(rotated.versionId())).contains("AWSCURRENT", "AWSPENDING");
        assertThat(d.versionIdsToStages().get(first)).containsExactly("AWSPREVIOUS");
        assertThat(d.lastRotatedDate()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(d.rotationEnabled()).isTrue();
        assertThat(d.nextRotationDate()).isEqualTo(java.time.Instant.parse("2026-04-01T23:59:59Z"));
        assertThat(sm.getSecretValue(r -> r.secretId("app/db")).secretString()).isEqualTo(
                "rotated-" + rotated.versionId().substring(0, 8));
        assertThat(server.rotationOutcome("app/db")).get()
                .satisfies(o -> assertThat(o.status()).isEqualTo(RotationOutcome.SUCCEEDED));
    }

    @Test
    void rotateSecret_returnsBeforeTheStepsRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        invoker.register("stub-rotation", step -> {
            calls.incrementAndGet();
            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
        });
        sm.createSecret(r -> r.name("slow").secretString("v1"));

        RotateSecretResponse rotated = sm.rotateSecret(r -> r.secretId("slow").rotationLambdaARN(FUNCTION));

        assertThat(sm.describeSecret(r -> r.secretId("slow")).versionIdsToStages().get(rotated.versionId()))
                .containsExactly("AWSPENDING");
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("slow").versionStage("AWSPENDING")))
                .isInstanceOf(ResourceNotFoundException.class);
        release.countDown();
        assertThat(server.awaitRotations(WAIT)).isTrue();
        assertThat(calls).hasValue(4);
    }

    @Test
    void rotateSecret_whenAStepFailsTwice_retriesWholeRotationWithSameToken() {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> tokens = new CopyOnWriteArrayList<>();
        AtomicInteger setFailures = new AtomicInteger();
        InProcessInvoker.StepHandler real = stubFunction(seen);
        invoker.register("stub-rotation", step -> {
            tokens.add(step.clientRequestToken());
            if (step.step().equals(RotationStep.SET_SECRET) && setFailures.incrementAndGet() <= 2) {
                throw new IllegalStateException("database not reachable");
            }
            real.handle(step);
        });
        sm.createSecret(r -> r.name("flaky").secretString("v1"));

        RotateSecretResponse rotated = sm.rotateSecret(r -> r.secretId("flaky").rotationLambdaARN(FUNCTION));
        assertThat(server.awaitRotations(WAIT)).isTrue();

        assertThat(tokens).containsOnly(rotated.versionId());
        assertThat(seen).containsExactly("createSecret", "createSecret", "createSecret", "setSecret", "testSecret",
                "finishSecret");
        assertThat(sm.describeSecret(r -> r.secretId("flaky")).versionIdsToStages().get(rotated.versionId()))
                .contains("AWSCURRENT");
        assertThat(server.rotationOutcome("flaky").orElseThrow().attempts()).isEqualTo(3);
    }

    @Test
    void rotateSecret_whenEveryAttemptFails_givesUpLeavingPendingAndRefusesTheNextRotation() {
        AtomicInteger calls = new AtomicInteger();
        invoker.register("stub-rotation", step -> {
            calls.incrementAndGet();
            throw new IllegalStateException("login failed for password v1-secret-value");
        });
        sm.createSecret(r -> r.name("broken").secretString("v1-secret-value"));

        RotateSecretResponse rotated = sm.rotateSecret(r -> r.secretId("broken").rotationLambdaARN(FUNCTION));
        assertThat(server.awaitRotations(WAIT)).isTrue();

        assertThat(calls).hasValue(3);
        RotationOutcome outcome = server.rotationOutcome("broken").orElseThrow();
        assertThat(outcome.status()).isEqualTo(RotationOutcome.FAILED);
        assertThat(outcome.step()).isEqualTo("createSecret");
        assertThat(outcome.reason()).contains("login failed").doesNotContain("v1-secret-value");
        assertThat(sm.describeSecret(r -> r.secretId("broken")).versionIdsToStages().get(rotated.versionId()))
                .containsExactly("AWSPENDING");
        assertThat(sm.describeSecret(r -> r.secretId("broken")).lastRotatedDate()).isNull();
        assertThatThrownBy(() -> sm.rotateSecret(r -> r.secretId("broken")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("previous rotation isn't complete");
    }

    @Test
    void rotateSecret_withoutInvoker_failsAtFirstStepWithNoFunctionReason() {
        try (LocalSecretsManager bare = LocalSecretsManager.builder().port(0).clock(clock)
                .schedulerInterval(Duration.ZERO).build().start();
             SecretsManagerClient client = Sdk.client(bare.endpoint())) {
            client.createSecret(r -> r.name("s").secretString("v1"));
            client.rotateSecret(r -> r.secretId("s").rotationLambdaARN(FUNCTION));
            assertThat(bare.awaitRotations(WAIT)).isTrue();
            RotationOutcome o = bare.rotationOutcome("s").orElseThrow();
            assertThat(o.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(o.step()).isEqualTo("createSecret");
            assertThat(o.reason()).contains("no function");
        }
    }

    @Test
    void rotateSecret_withUnknownFunction_failsLikeLambdaResourceNotFound() {
        sm.createSecret(r -> r.name("s").secretString("v1"));
        sm.rotateSecret(r -> r.secretId("s")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:123456789012:function:missing"));
        assertThat(server.awaitRotations(WAIT)).isTrue();
        assertThat(server.rotationOutcome("s").orElseThrow().reason())
                .contains("ResourceNotFoundException").contains("Function not found");
    }

    @Test
    void rotateSecret_withNoOpFunction_leavesValuelessPendingVersion() {
        invoker.register("stub-rotation", step -> { });
        sm.createSecret(r -> r.name("noop").secretString("v1"));

        RotateSecretResponse rotated = sm.rotateSecret(r -> r.secretId("noop").rotationLambdaARN(FUNCTION));
        assertThat(server.awaitRotations(WAIT)).isTrue();

        assertThat(server.rotationOutcome("noop").orElseThrow().status()).isEqualTo(RotationOutcome.SUCCEEDED);
        assertThat(sm.describeSecret(r -> r.secretId("noop")).versionIdsToStages().get(rotated.versionId()))
                .containsExactly("AWSPENDING");
        assertThatThrownBy(() -> sm.getSecretValue(r -> r.secretId("noop").versionStage("AWSPENDING")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void rotateSecret_withRotateImmediatelyFalse_runsOnlyTestSecretAndRemovesThePendingVersion() {
        List<String> seen = new CopyOnWriteArrayList<>();
        invoker.register("stub-rotation", step -> seen.add(step.step()));
        String first = sm.createSecret(r -> r.name("later").secretString("v1")).versionId();

        RotateSecretResponse r1 = sm.rotateSecret(r -> r.secretId("later").rotationLambdaARN(FUNCTION)
                .rotateImmediately(false).rotationRules(rr -> rr.scheduleExpression("rate(10 days)")));
        assertThat(server.awaitRotations(WAIT)).isTrue();

        assertThat(seen).containsExactly("testSecret");
        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId("later"));
        assertThat(d.versionIdsToStages()).containsOnlyKeys(first);
        assertThat(d.rotationEnabled()).isTrue();
        assertThat(d.lastRotatedDate()).isNull();
        assertThat(d.nextRotationDate()).isEqualTo(java.time.Instant.parse("2026-03-12T23:59:59Z"));
        assertThat(server.rotationOutcome("later").orElseThrow().status()).isEqualTo(RotationOutcome.TEST_SUCCEEDED);
        assertThat(r1.versionId()).isNotEqualTo(first);
    }

    @Test
    void rotateSecret_stepPastTheTimeout_failsLikeATimedOutLambda() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        try (LocalSecretsManager strict = LocalSecretsManager.builder().port(0).clock(clock)
                .rotationInvoker(new InProcessInvoker().register("stub-rotation", step -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                }))
                .maxRotationAttempts(1).rotationStepTimeout(Duration.ofMillis(200))
                .schedulerInterval(Duration.ZERO).build().start();
             SecretsManagerClient client = Sdk.client(strict.endpoint())) {
            client.createSecret(r -> r.name("hangs").secretString("v1"));
            client.rotateSecret(r -> r.secretId("hangs").rotationLambdaARN(FUNCTION));
            assertThat(strict.awaitRotations(WAIT)).isTrue();
            RotationOutcome o = strict.rotationOutcome("hangs").orElseThrow();
            assertThat(o.status()).isEqualTo(RotationOutcome.FAILED);
            assertThat(o.reason()).contains("Task timed out after 0.20 seconds");
            assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancelRotateSecret_stopsARunningRotationBetweenSteps() throws Exception {
        CountDownLatch inCreate = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        invoker.register("stub-rotation", step -> {
            seen.add(step.step());
            if (step.step().equals(RotationStep.CREATE_SECRET)) {
                inCreate.countDown();
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            }
        });
        sm.createSecret(r -> r.name("c").secretString("v1"));
        RotateSecretResponse rotated = sm.rotateSecret(r -> r.secretId("c").rotationLambdaARN(FUNCTION));
        assertThat(inCreate.await(30, TimeUnit.SECONDS)).isTrue();

        var cancelled = sm.cancelRotateSecret(r -> r.secretId("c"));
        release.countDown();
        assertThat(server.awaitRotations(WAIT)).isTrue();

        assertThat(cancelled.versionId()).isEqualTo(rotated.versionId());
        assertThat(seen).containsExactly("createSecret");
        assertThat(sm.describeSecret(r -> r.secretId("c")).rotationEnabled()).isFalse();
        assertThat(server.rotationOutcome("c").orElseThrow().status()).isEqualTo(RotationOutcome.CANCELLED);
    }
}
