package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    /** Enough draws that a delay outside its bounds, or no jitter at all, would show. */
    private static final int DRAWS = 200;

    private final RetryPolicy policy = RetryPolicy.builder().maxRounds(8).baseDelay(Duration.ofMillis(50))
            .maxDelay(Duration.ofMillis(400)).build();

    @Test
    void delayBefore_firstRound_isZero() {
        assertThat(policy.delayBefore(0)).isZero();
    }

    @Test
    void delayBefore_laterRounds_staysBetweenHalfAndAllOfACeilingThatDoublesUpToMaxDelay() {
        long[] ceilings = {50, 100, 200, 400, 400, 400, 400};
        for (int round = 1; round <= ceilings.length; round++) {
            Duration ceiling = Duration.ofMillis(ceilings[round - 1]);
            for (int i = 0; i < DRAWS; i++) {
                assertThat(policy.delayBefore(round)).as("round %d", round).isBetween(ceiling.dividedBy(2), ceiling);
            }
        }
    }

    @Test
    void delayBefore_isJittered() {
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < DRAWS; i++) {
            seen.add(policy.delayBefore(3));
        }

        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void defaults_areFiveRoundsFrom50MillisecondsTo1SecondAndWaitAtMostThreeQuartersOfASecondInAll() {
        RetryPolicy defaults = RetryPolicy.defaults();
        assertThat(defaults.maxRounds()).isEqualTo(5);
        assertThat(defaults.baseDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(defaults.maxDelay()).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < DRAWS; i++) {
            Duration total = Duration.ZERO;
            for (int round = 1; round < defaults.maxRounds(); round++) {
                total = total.plus(defaults.delayBefore(round));
            }

            assertThat(total).isBetween(Duration.ofMillis(375), Duration.ofMillis(750));
        }
    }

    @Test
    void builder_rejectsBadValues() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxRounds(0)).hasMessageContaining("maxRounds");
        assertThatThrownBy(() -> RetryPolicy.builder().maxRounds(21)).hasMessageContaining("maxRounds");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ZERO)).hasMessageContaining("baseDelay");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofNanos(999_999)))
                .hasMessageContaining("baseDelay");
        assertThatThrownBy(() -> RetryPolicy.builder().maxDelay(Duration.ofMillis(-1))).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1))
                .build()).hasMessageContaining("maxDelay");
    }
}
