package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RotationRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z"); // a Monday

    private static RotationRules.Window first(RotationRules r, String base) {
        return r.firstWindowAfter(Instant.parse(base));
    }

    private static RotationRules.Window window(String start, String end) {
        return new RotationRules.Window(Instant.parse(start), Instant.parse(end));
    }

    @Test
    void automaticallyAfterDays_opensAtMidnightNDaysLaterForTheWholeDay() {
        RotationRules r = RotationRules.of(10L, null, null, NOW);
        assertThat(first(r, "2026-03-02T10:15:00Z")).isEqualTo(window("2026-03-12T00:00:00Z", "2026-03-13T00:00:00Z"));
        assertThat(r.automaticallyAfterDays()).isEqualTo(10L);
    }

    @Test
    void rateDays_withDuration_shortensTheWindow() {
        RotationRules r = RotationRules.of(null, "rate(2 days)", "3h", NOW);
        assertThat(first(r, "2026-03-02T10:15:00Z")).isEqualTo(window("2026-03-04T00:00:00Z", "2026-03-04T03:00:00Z"));
        assertThat(r.automaticallyAfterDays()).isEqualTo(2L);
    }

    @Test
    void rateHours_opensEveryNHoursFromMidnightForOneHour() {
        RotationRules r = RotationRules.of(null, "rate(6 hours)", null, NOW);
        assertThat(first(r, "2026-03-02T06:10:00Z")).isEqualTo(window("2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z"));
        assertThat(first(r, "2026-03-02T19:00:00Z")).isEqualTo(window("2026-03-03T00:00:00Z", "2026-03-03T01:00:00Z"));
    }

    @Test
    void rateHours_moreOftenThanEveryFourHours_isRefused() {
        assertThatThrownBy(() -> RotationRules.of(null, "rate(3 hours)", null, NOW))
                .hasMessageContaining("every four hours");
    }

    @Test
    void rateHours_durationIntoNextWindowOrNextDay_isRefused() {
        assertThatThrownBy(() -> RotationRules.of(null, "rate(4 hours)", "5h", NOW))
                .hasMessageContaining("next rotation window");
        assertThatThrownBy(() -> RotationRules.of(null, "rate(5 hours)", "5h", NOW))
                .hasMessageContaining("next UTC day");
    }

    @Test
    void cronDaily_windowRunsToEndOfDayUnlessDurationGiven() {
        RotationRules r = RotationRules.of(null, "cron(0 10 * * ? *)", null, NOW);
        assertThat(first(r, "2026-03-02T09:30:00Z")).isEqualTo(window("2026-03-02T10:00:00Z", "2026-03-03T00:00:00Z"));
        RotationRules two = RotationRules.of(null, "cron(0 10 * * ? *)", "2h", NOW);
        assertThat(first(two, "2026-03-02T10:05:00Z")).isEqualTo(window("2026-03-03T10:00:00Z", "2026-03-03T12:00:00Z"));
    }

    @Test
    void cronWeekdayAndLastDayOfMonth_areUnderstood() {
        RotationRules monday = RotationRules.of(null, "cron(0 8 ? * MON *)", "1h", NOW);
        assertThat(first(monday, "2026-03-02T10:15:00Z").start()).isEqualTo(Instant.parse("2026-03-09T08:00:00Z"));
        RotationRules last = RotationRules.of(null, "cron(0 1 L * ? *)", "1h", NOW);
        assertThat(first(last, "2026-02-10T00:00:00Z").start()).isEqualTo(Instant.parse("2026-02-28T01:00:00Z"));
        RotationRules sunday = RotationRules.of(null, "cron(0 4 ? * 1 *)", "1h", NOW);
        assertThat(first(sunday, "2026-03-02T10:15:00Z").start()).isEqualTo(Instant.parse("2026-03-08T04:00:00Z"));
    }

    @Test
    void cronWithNthAndLastWeekday_opensOnThatDay() {
        RotationRules firstSunday = RotationRules.of(null, "cron(0 0 ? * SUN#1 *)", null, NOW);
        assertThat(first(firstSunday, "2026-03-02T10:15:00Z"))
                .isEqualTo(window("2026-04-05T00:00:00Z", "2026-04-06T00:00:00Z"));
        RotationRules lastWeekday = RotationRules.of(null, "cron(0 18 LW * ? *)", "2h", NOW);
        assertThat(first(lastWeekday, "2026-03-02T10:15:00Z"))
                .isEqualTo(window("2026-03-31T18:00:00Z", "2026-03-31T20:00:00Z"));
    }

    @Test
    void cronSeveralTimesADay_hasOneHourWindows() {
        RotationRules r = RotationRules.of(null, "cron(0 0/6 * * ? *)", null, NOW);
        assertThat(first(r, "2026-03-02T10:15:00Z")).isEqualTo(window("2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z"));
    }

    @Test
    void cronInvalidOrTooFrequent_isRefusedWithReason() {
        assertThatThrownBy(() -> RotationRules.of(null, "cron(0 */2 * * ? *)", null, NOW))
                .hasMessageContaining("more often than every four hours");
        assertThatThrownBy(() -> RotationRules.of(null, "cron(0 10 * * *)", null, NOW))
                .hasMessageContaining("6 fields");
        assertThatThrownBy(() -> RotationRules.of(null, "cron(0 10 * * * *)", null, NOW))
                .hasMessageContaining("'?'");
        assertThatThrownBy(() -> RotationRules.of(null, "cron(0 25 * * ? *)", null, NOW))
                .hasMessageContaining("between 0 and 23");
        assertThatThrownBy(() -> RotationRules.of(null, "cron(0 22 * * ? *)", "3h", NOW))
                .hasMessageContaining("next UTC day");
        assertThatThrownBy(() -> RotationRules.of(null, "cron(0 0 30 2 ? *)", null, NOW))
                .hasMessageContaining("never fires");
        assertThatThrownBy(() -> RotationRules.of(null, "cron(30 8 ? * MON *)", "1h", NOW))
                .hasMessageContaining("minutes field must be 0");
        assertThatThrownBy(() -> RotationRules.of(null, "cron(0 10 * * ? 2020)", null, NOW))
                .hasMessageContaining("year field must be *");
    }

    @Test
    void durationAndExpressionSyntax_areChecked() {
        assertThatThrownBy(() -> RotationRules.of(null, "rate(2 days)", "3", NOW)).hasMessageContaining("3h");
        assertThatThrownBy(() -> RotationRules.of(null, "rate(2 days)", "25h", NOW)).hasMessageContaining("1h and 24h");
        assertThatThrownBy(() -> RotationRules.of(null, "every tuesday", null, NOW))
                .hasMessageContaining("rate(N hours)");
        assertThatThrownBy(() -> RotationRules.of(null, null, "2h", NOW))
                .hasMessageContaining("AutomaticallyAfterDays or ScheduleExpression");
    }

    @Test
    void currentOrNextWindow_skipsWindowsThatClosedWhileNobodyLooked() {
        RotationRules r = RotationRules.of(null, "cron(0 12 * * ? *)", "2h", NOW);
        Instant base = Instant.parse("2026-03-02T10:15:00Z");
        assertThat(r.currentOrNextWindow(base, Instant.parse("2026-03-02T13:00:00Z")))
                .isEqualTo(window("2026-03-02T12:00:00Z", "2026-03-02T14:00:00Z"));
        assertThat(r.currentOrNextWindow(base, Instant.parse("2026-03-02T14:00:00Z")))
                .isEqualTo(window("2026-03-03T12:00:00Z", "2026-03-03T14:00:00Z"));
    }
}
