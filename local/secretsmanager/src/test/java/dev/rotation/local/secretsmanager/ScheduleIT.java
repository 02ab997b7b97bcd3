package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

class ScheduleIT {
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:scheduled";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestClock clock = TestClock.at("2026-03-02T10:15:00Z");
    private final List<String> steps = new CopyOnWriteArrayList<>();
    private final InProcessInvoker invoker = new InProcessInvoker().register("scheduled", s -> steps.add(s.step()));
    private LocalSecretsManager server;
    private SecretsManagerClient sm;

    private void start(Duration schedulerInterval) {
        server = LocalSecretsManager.builder().port(0).clock(clock).rotationInvoker(invoker)
                .schedulerInterval(schedulerInterval).build().start();
        sm = Sdk.client(server.endpoint());
    }

    @AfterEach
    void stop() {
        sm.close();
        server.close();
    }

    /** Rotates immediately once (no-op function), then detaches AWSPENDING so the next rotation may start. */
    private void rotateNowAndSettle(String name, java.util.function.Consumer<
            software.amazon.awssdk.services.secretsmanager.model.RotationRulesType.Builder> rules) {
        String token = sm.rotateSecret(r -> r.secretId(name).rotationLambdaARN(FUNCTION).rotationRules(rules))
                .versionId();
        assertThat(server.awaitRotations(WAIT)).isTrue();
        sm.updateSecretVersionStage(r -> r.secretId(name).versionStage("AWSPENDING").removeFromVersionId(token));
        steps.clear();
    }

    @Test
    void automaticallyAfterDays_rotatesOnlyInsideTheWindowAndOnce() {
        start(Duration.ZERO);
        sm.createSecret(r -> r.name("daily").secretString("v1"));
        rotateNowAndSettle("daily", rr -> rr.automaticallyAfterDays(1L));
        assertThat(sm.describeSecret(r -> r.secretId("daily")).nextRotationDate())
                .isEqualTo(Instant.parse("2026-03-03T23:59:59Z"));

        clock.set(Instant.parse("2026-03-02T23:59:00Z"));
        assertThat(server.runDueRotations()).isZero();

        clock.set(Instant.parse("2026-03-03T00:30:00Z"));
        assertThat(server.runDueRotations()).isEqualTo(1);
        assertThat(server.awaitRotations(WAIT)).isTrue();
        assertThat(steps).containsExactly("createSecret", "setSecret", "testSecret", "finishSecret");
        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId("daily"));
        assertThat(d.lastRotatedDate()).isEqualTo(Instant.parse("2026-03-03T00:30:00Z"));
        assertThat(d.nextRotationDate()).isEqualTo(Instant.parse("2026-03-04T23:59:59Z"));

        assertThat(server.runDueRotations()).isZero();
    }

    @Test
    void cronWithDuration_missedWindowIsSkippedNotMadeUp() {
        start(Duration.ZERO);
        sm.createSecret(r -> r.name("noon").secretString("v1"));
        sm.rotateSecret(r -> r.secretId("noon").rotationLambdaARN(FUNCTION).rotateImmediately(false)
                .rotationRules(rr -> rr.scheduleExpression("cron(0 12 * * ? *)").duration("2h")));
        assertThat(server.awaitRotations(WAIT)).isTrue();
        assertThat(steps).containsExactly("testSecret");
        steps.clear();
        assertThat(sm.describeSecret(r -> r.secretId("noon")).nextRotationDate())
                .isEqualTo(Instant.parse("2026-03-02T13:59:59Z"));

        clock.set(Instant.parse("2026-03-02T11:59:00Z"));
        assertThat(server.runDueRotations()).isZero();
        clock.set(Instant.parse("2026-03-02T14:00:00Z"));
        assertThat(server.runDueRotations()).isZero();
        assertThat(sm.describeSecret(r -> r.secretId("noon")).nextRotationDate())
                .isEqualTo(Instant.parse("2026-03-03T13:59:59Z"));

        clock.set(Instant.parse("2026-03-03T12:01:00Z"));
        assertThat(server.runDueRotations()).isEqualTo(1);
        assertThat(server.awaitRotations(WAIT)).isTrue();
        assertThat(steps).hasSize(4);
    }

    @Test
    void scheduledRotation_whilePreviousIncomplete_isSkippedAndLeavesStateAlone() {
        start(Duration.ZERO);
        sm.createSecret(r -> r.name("stuck").secretString("v1"));
        String pending = sm.rotateSecret(r -> r.secretId("stuck").rotationLambdaARN(FUNCTION)
                .rotationRules(rr -> rr.scheduleExpression("rate(4 hours)"))).versionId();
        assertThat(server.awaitRotations(WAIT)).isTrue();

        clock.set(Instant.parse("2026-03-02T12:10:00Z"));
        assertThat(server.runDueRotations()).isZero();
        assertThat(sm.describeSecret(r -> r.secretId("stuck")).versionIdsToStages().get(pending))
                .containsExactly("AWSPENDING");
        assertThat(server.rotationOutcome("stuck").orElseThrow().versionId()).isEqualTo(pending);
    }

    @Test
    void scheduledRotation_afterARotationThatFailedEveryRetry_reattemptsItWithItsToken() {
        boolean[] broken = {true};
        invoker.register("recovering", step -> {
            String token = step.clientRequestToken();
            switch (step.step()) {
                case RotationStep.CREATE_SECRET -> sm.putSecretValue(r -> r.secretId(step.secretId())
                        .clientRequestToken(token).secretString("v2").versionStages("AWSPENDING"));
                case RotationStep.SET_SECRET -> {
                    if (broken[0]) {
                        throw new IllegalStateException("the database is unreachable");
                    }
                }
                case RotationStep.FINISH_SECRET -> {
                    String current = sm.describeSecret(r -> r.secretId(step.secretId())).versionIdsToStages()
                            .entrySet().stream().filter(e -> e.getValue().contains("AWSCURRENT"))
                            .map(java.util.Map.Entry::getKey).findFirst().orElseThrow();
                    sm.updateSecretVersionStage(r -> r.secretId(step.secretId()).versionStage("AWSCURRENT")
                            .moveToVersionId(token).removeFromVersionId(current));
                }
                default -> { }
            }
        });
        start(Duration.ZERO);
        sm.createSecret(r -> r.name("recovers").secretString("v1"));
        String failed = sm.rotateSecret(r -> r.secretId("recovers")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:123456789012:function:recovering")
                .rotationRules(rr -> rr.scheduleExpression("rate(4 hours)"))).versionId();
        assertThat(server.awaitRotations(WAIT)).isTrue();
        assertThat(server.rotationOutcome("recovers").orElseThrow().status()).isEqualTo(RotationOutcome.FAILED);

        // RotateSecret's documented refusal: "A previous rotation isn't complete. That rotation will be
        // reattempted." The next scheduled rotation does reattempt it, with its token, once the cause is fixed.
        broken[0] = false;
        clock.set(Instant.parse("2026-03-02T12:10:00Z"));
        assertThat(server.runDueRotations()).isEqualTo(1);
        assertThat(server.awaitRotations(WAIT)).isTrue();
        assertThat(server.rotationOutcome("recovers").orElseThrow()).satisfies(o -> {
            assertThat(o.status()).isEqualTo(RotationOutcome.SUCCEEDED);
            assertThat(o.versionId()).isEqualTo(failed);
        });
        assertThat(sm.describeSecret(r -> r.secretId("recovers")).versionIdsToStages().get(failed))
                .contains("AWSCURRENT");
    }

    @Test
    void cancelRotateSecret_stopsTheSchedule() {
        start(Duration.ZERO);
        sm.createSecret(r -> r.name("off").secretString("v1"));
        rotateNowAndSettle("off", rr -> rr.automaticallyAfterDays(1L));
        sm.cancelRotateSecret(r -> r.secretId("off"));
        clock.set(Instant.parse("2026-03-03T00:30:00Z"));
        assertThat(server.runDueRotations()).isZero();
        DescribeSecretResponse d = sm.describeSecret(r -> r.secretId("off"));
        assertThat(d.rotationEnabled()).isFalse();
        assertThat(d.nextRotationDate()).isNull();
        assertThat(d.rotationRules().automaticallyAfterDays()).isEqualTo(1L);
    }

    @Test
    void backgroundScheduler_rotatesWhenTheClockEntersTheWindow() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        invoker.register("scheduled", s -> {
            steps.add(s.step());
            if (s.step().equals(RotationStep.FINISH_SECRET)) {
                finished.countDown();
            }
        });
        start(Duration.ofMillis(20));
        sm.createSecret(r -> r.name("bg").secretString("v1"));
        sm.rotateSecret(r -> r.secretId("bg").rotationLambdaARN(FUNCTION).rotateImmediately(false)
                .rotationRules(rr -> rr.automaticallyAfterDays(2L)));
        assertThat(server.awaitRotations(WAIT)).isTrue();

        clock.set(Instant.parse("2026-03-04T05:00:00Z"));

        assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.awaitRotations(WAIT)).isTrue();
        assertThat(sm.describeSecret(r -> r.secretId("bg")).lastRotatedDate())
                .isEqualTo(Instant.parse("2026-03-04T05:00:00Z"));
    }

    @Test
    void recoveryWindowEnd_purgesTheSecretByTheClock() {
        start(Duration.ZERO);
        sm.createSecret(r -> r.name("gone").secretString("v1"));
        sm.deleteSecret(r -> r.secretId("gone").recoveryWindowInDays(7L));
        clock.advance(Duration.ofDays(7).minusSeconds(1));
        server.runDueRotations();
        assertThat(sm.describeSecret(r -> r.secretId("gone")).deletedDate()).isNotNull();
        clock.advance(Duration.ofSeconds(1));
        server.runDueRotations();
        assertThatThrownBy(() -> sm.describeSecret(r -> r.secretId("gone")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(sm.listSecrets(r -> r.includePlannedDeletion(true)).secretList()).isEmpty();
    }
}
