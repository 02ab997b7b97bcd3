package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotation.local.secretsmanager.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;

class SecretCacheTest {
    private static final String ID = FakeSecretsManager.NAME;
    private static final Duration TTL = Duration.ofMinutes(5);

    private final TestClock clock = TestClock.at("2026-03-02T10:15:00Z");
    private final FakeSecretsManager sm = new FakeSecretsManager("v1-secret");
    private final SecretCache cache = SecretCache.builder().client(sm).ttl(TTL).clock(clock).build();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void getSecret_withinTtl_sendsOneRequest() {
        for (int i = 0; i < 100; i++) {
            assertThat(cache.getSecretString(ID)).isEqualTo("v1-secret");
            clock.advance(Duration.ofSeconds(2));
        }

        assertThat(sm.getCalls).hasValue(1);
        assertThat(sm.describeCalls).hasValue(0);
        assertThat(cache.metrics().cacheHits()).isEqualTo(99);
        assertThat(cache.metrics().secretsManagerRequests()).isEqualTo(1);
    }

    @Test
    void getSecret_whenManyThreadsReadItFirst_sendsOneRequest() throws Exception {
        sm.gate = new CountDownLatch(1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(threads.submit(() -> {
                start.await();
                return cache.getSecretString(ID);
            }));
        }
        start.countDown();
        assertThat(sm.entered.await(10, TimeUnit.SECONDS)).isTrue();
        sm.gate.countDown();

        for (Future<String> f : results) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v1-secret");
        }
        assertThat(sm.getCalls).hasValue(1);
        assertThat(sm.maxInFlight).hasValue(1);
    }

    @Test
    void getSecret_afterTtl_whenCurrentUnchanged_sendsOnlyDescribeSecret() {
        cache.getSecret(ID);
        clock.advance(TTL);

        assertThat(cache.getSecretString(ID)).isEqualTo("v1-secret");
        assertThat(sm.getCalls).hasValue(1);
        assertThat(sm.describeCalls).hasValue(1);
        clock.advance(TTL.minusSeconds(1));
        cache.getSecret(ID);
        assertThat(sm.requests()).isEqualTo(2);
        assertThat(cache.metrics().refreshes()).isZero();
    }

    @Test
    void getSecret_afterTtl_whenCurrentMoved_readsNewValue() {
        String first = cache.getSecret(ID).versionId();
        String token = sm.startRotation("v2-secret");
        sm.finishRotation();

        assertThat(cache.getSecretString(ID)).isEqualTo("v1-secret");
        clock.advance(TTL);
        CachedSecret after = cache.getSecret(ID);

        assertThat(after.secretString()).isEqualTo("v2-secret");
        assertThat(after.versionId()).isEqualTo(token).isNotEqualTo(first);
        assertThat(cache.metrics()).satisfies(m -> {
            assertThat(m.refreshes()).isEqualTo(1);
            assertThat(m.describeSecretRequests()).isEqualTo(1);
            assertThat(m.getSecretValueRequests()).isEqualTo(2);
        });
    }

    @Test
    void getSecret_whenManyThreadsFindItExpired_sendsOneRequestAndServesPreviousValueMeanwhile() throws Exception {
        cache.getSecret(ID);
        sm.startRotation("v2-secret");
        sm.finishRotation();
        clock.advance(TTL);
        sm.gate = new CountDownLatch(1);
        sm.entered = new CountDownLatch(1);

        Future<String> refresher = threads.submit(() -> cache.getSecretString(ID));
        assertThat(sm.entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<String>> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(threads.submit(() -> cache.getSecretString(ID)));
        }
        for (Future<String> f : others) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v1-secret");
        }
        sm.gate.countDown();

        assertThat(refresher.get(10, TimeUnit.SECONDS)).isEqualTo("v2-secret");
        assertThat(sm.describeCalls).hasValue(1);
        assertThat(sm.maxInFlight).hasValue(1);
        assertThat(cache.metrics().staleServed()).isEqualTo(20);
        assertThat(cache.getSecretString(ID)).isEqualTo("v2-secret");
    }

    @Test
    void refreshSince_whenManyThreadsAskTogether_sendsOneRequestInFlight() throws Exception {
        long seen = cache.state(ID).generation;
        sm.startRotation("v2-secret");
        sm.finishRotation();
        sm.gate = new CountDownLatch(1);
        CountDownLatch start = new CountDownLatch(1);

        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(threads.submit(() -> {
                start.await();
                return cache.refreshSince(ID, seen).current.secretString();
            }));
        }
        start.countDown();
        assertThat(sm.entered.await(10, TimeUnit.SECONDS)).isTrue();
        sm.gate.countDown();

        for (Future<String> f : results) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v2-secret");
        }
        assertThat(sm.describeCalls).hasValue(1);
        assertThat(sm.getCalls).hasValue(2);
        assertThat(sm.maxInFlight).hasValue(1);
        assertThat(cache.metrics().coalescedRefreshes()).isEqualTo(7);
    }

    @Test
    void refresh_whenNoOneElseChecked_sendsDescribeSecret() {
        cache.getSecret(ID);

        cache.refresh(ID);
        cache.refresh(ID);

        assertThat(sm.describeCalls).hasValue(2);
        assertThat(sm.getCalls).hasValue(1);
    }

    @Test
    void getSecret_whenCheckFails_keepsServingPreviousValueAndRetriesWithinTenSeconds() {
        cache.getSecret(ID);
        clock.advance(TTL);
        sm.failing = true;

        assertThat(cache.getSecretString(ID)).isEqualTo("v1-secret");
        assertThat(cache.getSecretString(ID)).isEqualTo("v1-secret");
        assertThat(sm.describeCalls).hasValue(1);
        assertThat(cache.metrics().failedChecks()).isEqualTo(1);

        sm.failing = false;
        sm.startRotation("v2-secret");
        sm.finishRotation();
        clock.advance(Duration.ofSeconds(10));
        assertThat(cache.getSecretString(ID)).isEqualTo("v2-secret");
    }

    @Test
    void getSecret_whenFirstReadFails_throwsTheServiceError() {
        sm.failing = true;

        assertThatThrownBy(() -> cache.getSecret(ID)).isInstanceOf(InternalServiceErrorException.class);
        sm.failing = false;
        assertThat(cache.getSecretString(ID)).isEqualTo("v1-secret");
    }

    @Test
    void getPendingSecret_duringRotation_readsPendingValueOncePerVersion() {
        cache.getSecret(ID);
        String token = sm.startRotation("v2-secret");

        assertThat(cache.getPendingSecret(ID)).get().satisfies(p -> {
            assertThat(p.versionId()).isEqualTo(token);
            assertThat(p.secretString()).isEqualTo("v2-secret");
        });
        assertThat(cache.getPendingSecret(ID)).isPresent();
        assertThat(sm.describeCalls).hasValue(1);
        assertThat(sm.getCalls).hasValue(2);
    }

    @Test
    void getPendingSecret_beforeCreateSecretStoredAValue_isEmpty() {
        cache.getSecret(ID);
        String token = sm.startRotation(null);

        assertThat(cache.getPendingSecret(ID)).isEmpty();
        sm.putPendingValue(token, "v2-secret");
        assertThat(cache.getPendingSecret(ID)).isPresent();
    }

    @Test
    void getPendingSecret_afterRotationFinished_isEmptyBecausePendingIsCurrent() {
        sm.startRotation("v2-secret");
        sm.finishRotation();

        cache.refresh(ID);

        assertThat(cache.getPendingSecret(ID)).isEmpty();
    }

    @Test
    void getSecret_withBlankId_isRejected() {
        assertThatThrownBy(() -> cache.getSecret(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secretId");
        assertThat(sm.requests()).isZero();
    }

    @Test
    void builder_rejectsNonPositiveTtl() {
        assertThatThrownBy(() -> SecretCache.builder().ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
    }

    @Test
    void cachedSecret_toString_hidesTheValue() {
        CachedSecret secret = cache.getSecret(ID);

        assertThat(secret.toString()).doesNotContain("v1-secret").contains(secret.versionId());
        assertThat(cache.metrics().toString()).doesNotContain("v1-secret");
    }
}
