package dev.rotation.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of AWS's documentation, with the firings they describe: Secrets Manager's "Rotation
 * schedules" (its example table and the wildcards of its field table) and EventBridge's cron reference
 * (W, LW, nL, n#k), moved to minute 0 where Secrets Manager requires it. 1 January 2025 is a Wednesday.
 */
class CronExpressionTest {
    private static final Instant NEW_YEAR = Instant.parse("2024-12-31T23:30:00Z");

    static Stream<Arguments> documentedExamples() {
        return Stream.of(
                // Secrets Manager, example schedules
                row("0 /8 * * ? *", "Every eight hours starting at midnight", NEW_YEAR,
                        "2025-01-01T00:00", "2025-01-01T08:00", "2025-01-01T16:00", "2025-01-02T00:00"),
                row("0 8/8 * * ? *", "Every eight hours starting at 8:00 AM", NEW_YEAR,
                        "2025-01-01T08:00", "2025-01-01T16:00", "2025-01-02T08:00"),
                row("0 2/10 * * ? *", "Every ten hours, starting at 2:00 AM; 2:00, 12:00, 22:00, then the next day",
                        NEW_YEAR, "2025-01-01T02:00", "2025-01-01T12:00", "2025-01-01T22:00", "2025-01-02T02:00"),
                row("0 4/12 * * ? *", "4:00 AM, 4:00 PM, and then the next day 4:00 AM (increments reset each day)",
                        NEW_YEAR, "2025-01-01T04:00", "2025-01-01T16:00", "2025-01-02T04:00"),
                row("0 10 * * ? *", "Every day at 10:00 AM", NEW_YEAR, "2025-01-01T10:00", "2025-01-02T10:00"),
                row("0 18 ? * SAT *", "Every Saturday at 6:00 PM", NEW_YEAR, "2025-01-04T18:00", "2025-01-11T18:00"),
                row("0 8 1 * ? *", "The first day of every month at 8:00 AM", NEW_YEAR,
                        "2025-01-01T08:00", "2025-02-01T08:00"),
                row("0 1 ? 1/3 SUN#1 *", "Every three months on the first Sunday at 1:00 AM", NEW_YEAR,
                        "2025-01-05T01:00", "2025-04-06T01:00", "2025-07-06T01:00", "2025-10-05T01:00"),
                row("0 17 L * ? *", "The last day of every month at 5:00 PM", NEW_YEAR,
                        "2025-01-31T17:00", "2025-02-28T17:00", "2025-03-31T17:00"),
                row("0 8 ? * MON-FRI *", "Monday through Friday at 8:00 AM", NEW_YEAR,
                        "2025-01-01T08:00", "2025-01-02T08:00", "2025-01-03T08:00", "2025-01-06T08:00"),
                row("0 16 1,15 * ? *", "First and 15th day of every month at 4:00 PM", NEW_YEAR,
                        "2025-01-01T16:00", "2025-01-15T16:00", "2025-02-01T16:00"),
                row("0 0 ? * SUN#1 *", "First Sunday of every month at midnight", NEW_YEAR,
                        "2025-01-05T00:00", "2025-02-02T00:00", "2025-03-02T00:00"),
                row("0 0 ? 1/11 2#1 *", "Starting in January, every 11 months on the first Monday at midnight",
                        NEW_YEAR, "2025-01-06T00:00", "2025-12-01T00:00", "2026-01-05T00:00"),
                // Secrets Manager, wildcards of the field table
                row("0 0 1/2 * ? *", "day-of-month 1/2: day 1, 3, 5, and so on", NEW_YEAR,
                        "2025-01-01T00:00", "2025-01-03T00:00", "2025-01-05T00:00"),
                row("0 0 1 JAN,APR,JUL,OCT ? *", "JAN,APR,JUL,OCT", NEW_YEAR,
                        "2025-01-01T00:00", "2025-04-01T00:00", "2025-07-01T00:00", "2025-10-01T00:00"),
                row("0 0 1 1/3 ? *", "month 1/3: month 1, 4, 7, and 10", NEW_YEAR,
                        "2025-01-01T00:00", "2025-04-01T00:00", "2025-07-01T00:00", "2025-10-01T00:00"),
                row("0 0 ? * TUE#3 *", "TUE#3: the third Tuesday of the month", NEW_YEAR,
                        "2025-01-21T00:00", "2025-02-18T00:00"),
                row("0 0 ? * 1,4 *", "day-of-week 1,4: the first and fourth day of the week", NEW_YEAR,
                        "2025-01-01T00:00", "2025-01-05T00:00", "2025-01-08T00:00"),
                row("0 0 ? * 1/2 *", "day-of-week 1/2: day 1, 3, 5, and 7", NEW_YEAR,
                        "2025-01-02T00:00", "2025-01-04T00:00", "2025-01-05T00:00", "2025-01-07T00:00"),
                row("0 0 ? * L *", "day-of-week L: the last day of the week", NEW_YEAR,
                        "2025-01-04T00:00", "2025-01-11T00:00"),
                row("0 0 ? * SUNL *", "SUNL: the last Sunday of the month", NEW_YEAR,
                        "2025-01-26T00:00", "2025-02-23T00:00"),
                // EventBridge
                row("0 10 ? * 6L *", "6L: the last Friday of the month", NEW_YEAR,
                        "2025-01-31T10:00", "2025-02-28T10:00", "2025-03-28T10:00"),
                row("0 0 3W * ? *", "3W: the weekday closest to the third day of the month",
                        Instant.parse("2025-04-10T00:00:00Z"),
                        "2025-05-02T00:00", "2025-06-03T00:00", "2025-07-03T00:00", "2025-08-04T00:00"),
                row("0 0 LW * ? *", "LW: the last weekday of the month", Instant.parse("2025-04-10T00:00:00Z"),
                        "2025-04-30T00:00", "2025-05-30T00:00", "2025-06-30T00:00"),
                row("0 0 ? * 3#2 *", "3#2: the second Tuesday of the month", NEW_YEAR,
                        "2025-01-14T00:00", "2025-02-11T00:00"));
    }

    private static Arguments row(String expression, String meaning, Instant after, String... firings) {
        return Arguments.of(expression, meaning, after, Arrays.stream(firings).map(f -> Instant.parse(f + ":00Z")).toList());
    }

    @ParameterizedTest(name = "cron({0}): {1}")
    @MethodSource("documentedExamples")
    void next_forTheDocumentedExamples_firesWhenTheDocumentationSays(String expression, String meaning, Instant after,
                                                                     List<Instant> firings) {
        CronExpression cron = CronExpression.parse(expression);
        List<Instant> got = new ArrayList<>();
        Instant t = after;
        for (int i = 0; i < firings.size(); i++) {
            t = cron.next(t).orElseThrow();
            got.add(t);
        }
        assertThat(got).as(meaning).isEqualTo(firings);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("0 10 * * *", "6 fields"),
                Arguments.of("0 0 * * * *", "exactly one of day-of-month and day-of-week must be '?'"),
                Arguments.of("0 0 ? * ? *", "exactly one of day-of-month and day-of-week must be '?'"),
                Arguments.of("0 0 1 * MON *", "exactly one of day-of-month and day-of-week must be '?'"),
                Arguments.of("30 8 ? * MON *", "minutes field must be 0"),
                Arguments.of("0 10 * * ? 2026", "year field must be *"),
                Arguments.of("0 25 * * ? *", "between 0 and 23"),
                Arguments.of("0 0 32 * ? *", "between 1 and 31"),
                Arguments.of("0 0 1 13 ? *", "between 1 and 12"),
                Arguments.of("0 0 ? * 8 *", "between 1 and 7"),
                Arguments.of("0 0 ? * 6#6 *", "between 1 and 5 must follow the '#'"),
                // EventBridge: with '#', only one expression in the day-of-week field.
                Arguments.of("0 0 ? * 3#1,6#3 *", "multiple \"nth\" days"),
                Arguments.of("0 0 ? * FOO *", "FOO"),
                Arguments.of("0 0 W * ? *", "'0 0 W * ? *' is not valid cron syntax"));
    }

    @ParameterizedTest(name = "cron({0})")
    @MethodSource("refused")
    void parse_whatAwsRefuses_isRefusedWithTheReason(String expression, String reason) {
        assertThatThrownBy(() -> CronExpression.parse(expression)).isInstanceOf(ServiceException.class)
                .hasMessageStartingWith("Invalid cron expression in ScheduleExpression: ")
                .hasMessageContaining(reason)
                .hasMessageEndingWith(".")
                .hasMessageNotContaining("..");
    }

    @Test
    void next_isStrictlyAfter() {
        CronExpression daily = CronExpression.parse("0 10 * * ? *");
        assertThat(daily.next(Instant.parse("2025-01-01T10:00:00Z"))).hasValue(Instant.parse("2025-01-02T10:00:00Z"));
        assertThat(daily.next(Instant.parse("2025-01-01T09:59:59.999Z"))).hasValue(Instant.parse("2025-01-01T10:00:00Z"));
    }

    @Test
    void hourlyAndLatestTimeOfDay_followTheHoursField() {
        CronExpression everyEight = CronExpression.parse("0 /8 * * ? *");
        assertThat(everyEight.hourly()).isTrue();
        assertThat(everyEight.latestTimeOfDay()).isEqualTo(LocalTime.of(16, 0));
        CronExpression lastFriday = CronExpression.parse("0 10 ? * 6L *");
        assertThat(lastFriday.hourly()).isFalse();
        assertThat(lastFriday.latestTimeOfDay()).isEqualTo(LocalTime.of(10, 0));
        assertThat(CronExpression.parse("0 8,20 1 * ? *").latestTimeOfDay()).isEqualTo(LocalTime.of(20, 0));
    }

    @Test
    void next_ofADayThatNeverComes_isEmpty() {
        CronExpression february30 = CronExpression.parse("0 0 30 2 ? *");
        assertThat(february30.next(NEW_YEAR)).isEmpty();
        assertThat(february30.hourly()).isFalse();
    }
}
