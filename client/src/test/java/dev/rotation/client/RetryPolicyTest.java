package dev.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.builder().maxRounds(8).baseDelay(Duration.ofMillis(50))
            .maxDelay(Duration.ofMillis(400)).build();

    @Test
    void ceiling_doublesFromBaseDelayUpToMaxDelay() {
        assertThat(policy.ceiling(0)).isZero();
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.ceiling(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.ceiling(4)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.ceiling(7)).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void delay_staysBetweenHalfTheCeilingAndTheCeiling() {
        for (int round = 1; round <= 7; round++) {
            Duration ceiling = policy.ceiling(round);
            for (double r : new double[] {0.0, 0.25, 0.5, 0.999999, 1.0, -3, 7}) {
                assertThat(policy.delay(round, r)).isBetween(ceiling.dividedBy(2), ceiling);
            }
            assertThat(policy.delay(round, 0.0)).isEqualTo(ceiling.dividedBy(2));
            assertThat(policy.delay(round, 0.999)).isGreaterThan(policy.delay(round, 0.001));
        }
    }

    @Test
    void defaults_waitAtMostThreeQuartersOfASecondInAll() {
        RetryPolicy defaults = RetryPolicy.defaults();
        Duration total = Duration.ZERO;
        for (int round = 1; round < defaults.maxRounds(); round++) {
            total = total.plus(defaults.ceiling(round));
        }

        assertThat(total).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void builder_rejectsBadValues() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxRounds(0)).hasMessageContaining("maxRounds");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ZERO)).hasMessageContaining("baseDelay");
        assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1))
                .build()).hasMessageContaining("maxDelay");
    }
}
