package dev.rotation.local.secretsmanager;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret's validated RotationRules and the rotation windows they define, all in UTC.
 * <ul>
 * <li>{@code AutomaticallyAfterDays=N} and {@code rate(N days)}: the window opens at midnight N days
 *     after the day of the last rotation and lasts until the end of that day (or Duration).</li>
 * <li>{@code rate(N hours)}: windows open at midnight and every N hours after it, each day, and last
 *     one hour (or Duration).</li>
 * <li>{@code cron(...)}: a window opens at each firing; one hour long if the schedule fires several
 *     times a day, else until the end of the day (or Duration).</li>
 * </ul>
 * Rotation may not be scheduled more often than every four hours, and a window may not reach into
 * the next UTC day or the next window, as the service requires.
 */
final class RotationRules {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d{1,4})\\s+(hour|hours|day|days)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,2})h");
    private static final Duration MIN_INTERVAL = Duration.ofHours(4);
    private static final Duration DAY = Duration.ofDays(1);

    /** A rotation window: rotation may start at any time in [start, end). */
    record Window(Instant start, Instant end) {
        boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    private final Long automaticallyAfterDays;
    private final String scheduleExpression;
    private final String duration;
    private final int rateDays;   // >0 for AutomaticallyAfterDays and rate(N days)
    private final int rateHours;  // >0 for rate(N hours)
    private final CronExpression cron;
    private final Duration window;

    private RotationRules(Long automaticallyAfterDays, String scheduleExpression, String duration,
                          int rateDays, int rateHours, CronExpression cron, Duration window) {
        this.automaticallyAfterDays = automaticallyAfterDays;
        this.scheduleExpression = scheduleExpression;
        this.duration = duration;
        this.rateDays = rateDays;
        this.rateHours = rateHours;
        this.cron = cron;
        this.window = window;
    }

    /**
     * Validates rules as RotateSecret receives them; {@code now} anchors the check that a cron
     * schedule fires at all and no more often than every four hours.
     */
    static RotationRules of(Long automaticallyAfterDays, String scheduleExpression, String duration, Instant now) {
        if (automaticallyAfterDays != null && scheduleExpression != null) {
            throw ServiceException.invalidParameter(
                    "RotationRules may set AutomaticallyAfterDays or ScheduleExpression, but not both.");
        }
        if (automaticallyAfterDays == null && scheduleExpression == null) {
            throw ServiceException.invalidParameter(
                    "RotationRules must set AutomaticallyAfterDays or ScheduleExpression.");
        }
        Duration given = parseDuration(duration);
        if (automaticallyAfterDays != null) {
            if (automaticallyAfterDays < 1 || automaticallyAfterDays > 1000) {
                throw ServiceException.invalidParameter(
                        "AutomaticallyAfterDays must be between 1 and 1000, got " + automaticallyAfterDays + ".");
            }
            return new RotationRules(automaticallyAfterDays, null, duration,
                    automaticallyAfterDays.intValue(), 0, null, given == null ? DAY : given);
        }
        String expr = scheduleExpression.trim();
        Matcher rate = RATE.matcher(expr);
        if (rate.matches()) {
            int n = Integer.parseInt(rate.group(1));
            if (rate.group(2).startsWith("day")) {
                if (n < 1 || n > 1000) {
                    throw ServiceException.invalidParameter("rate() in days must be between 1 and 1000, got " + n + ".");
                }
                return new RotationRules(null, scheduleExpression, duration, n, 0, null, given == null ? DAY : given);
            }
            if (n < 4 || n > 24) {
                throw ServiceException.invalidParameter(
                        "rate() in hours must be between 4 and 24: Secrets Manager rotates at most every four hours, got "
                                + n + ".");
            }
            Duration w = given == null ? Duration.ofHours(1) : given;
            if (w.compareTo(Duration.ofHours(n)) > 0) {
                throw ServiceException.invalidParameter(
                        "Duration " + duration + " reaches into the next rotation window of " + expr + ".");
            }
            int lastStart = ((23 / n) * n);
            if (lastStart + w.toHours() > 24) {
                throw ServiceException.invalidParameter("Duration " + duration
                        + " makes the window that opens at " + lastStart + ":00 reach into the next UTC day.");
            }
            return new RotationRules(null, scheduleExpression, duration, 0, n, null, w);
        }
        Matcher c = CRON.matcher(expr);
        if (c.matches()) {
            CronExpression cron = CronExpression.parse(c.group(1));
            Duration w = given != null ? given : cron.hourly() ? Duration.ofHours(1) : null;
            validateCron(cron, w, duration, now);
            return new RotationRules(null, scheduleExpression, duration, 0, 0, cron, w);
        }
        throw ServiceException.invalidParameter(
                "ScheduleExpression must be rate(N hours), rate(N days) or cron(...), got an expression of "
                        + expr.length() + " characters that is neither.");
    }

    private static void validateCron(CronExpression cron, Duration w, String duration, Instant now) {
        Instant previous = null;
        Instant t = now;
        for (int i = 0; i < 200; i++) {
            Instant next = cron.next(t).orElse(null);
            if (next == null) {
                if (previous == null) {
                    throw ServiceException.invalidParameter("The cron expression never fires after the current date.");
                }
                break;
            }
            if (previous != null && Duration.between(previous, next).compareTo(MIN_INTERVAL) < 0) {
                throw ServiceException.invalidParameter(
                        "The cron expression schedules rotation more often than every four hours.");
            }
            if (previous != null && w != null && Duration.between(previous, next).compareTo(w) < 0) {
                throw ServiceException.invalidParameter(
                        "Duration " + duration + " reaches into the next rotation window of the cron expression.");
            }
            previous = next;
            t = next;
        }
        if (w != null) {
            long latest = cron.latestTimeOfDay().toSecondOfDay();
            if (latest + w.getSeconds() > DAY.getSeconds()) {
                throw ServiceException.invalidParameter(
                        "Duration " + duration + " makes a rotation window reach into the next UTC day.");
            }
        }
    }

    private static Duration parseDuration(String duration) {
        if (duration == null) {
            return null;
        }
        Matcher m = DURATION.matcher(duration);
        if (!m.matches()) {
            throw ServiceException.invalidParameter("Duration must look like 3h (whole hours), got '"
                    + Validation.printable(duration) + "'.");
        }
        int h = Integer.parseInt(m.group(1));
        if (h < 1 || h > 24) {
            throw ServiceException.invalidParameter("Duration must be between 1h and 24h, got " + h + "h.");
        }
        return Duration.ofHours(h);
    }

    Long automaticallyAfterDays() {
        // DescribeSecret reports the interval in days for every schedule, as the service does.
        if (automaticallyAfterDays != null) {
            return automaticallyAfterDays;
        }
        if (rateDays > 0) {
            return (long) rateDays;
        }
        return null;
    }

    Long requestedAutomaticallyAfterDays() {
        return automaticallyAfterDays;
    }

    String scheduleExpression() {
        return scheduleExpression;
    }

    String duration() {
        return duration;
    }

    /** The first window that opens strictly after {@code base} (the last rotation or configuration). */
    Window firstWindowAfter(Instant base) {
        if (rateDays > 0) {
            Instant start = midnight(base).plus(Duration.ofDays(rateDays));
            return window(start);
        }
        if (rateHours > 0) {
            return window(nextHourSlot(base));
        }
        return window(cron.next(base).orElse(Instant.MAX));
    }

    /** The window after {@code w}. */
    Window windowAfter(Window w) {
        if (rateDays > 0) {
            return window(w.start().plus(Duration.ofDays(rateDays)));
        }
        return firstWindowAfter(w.start());
    }

    /**
     * The window a scheduled rotation should use at {@code now}: the first one after {@code base},
     * skipping windows that closed before {@code now} (a missed window is not made up for).
     */
    Window currentOrNextWindow(Instant base, Instant now) {
        Window w = firstWindowAfter(base);
        for (int i = 0; i < 100_000 && !w.end().isAfter(now) && !w.start().equals(Instant.MAX); i++) {
            w = windowAfter(w);
        }
        return w;
    }

    private Instant nextHourSlot(Instant base) {
        Instant day = midnight(base);
        for (int d = 0; d < 3; d++) {
            for (int h = 0; h < 24; h += rateHours) {
                Instant slot = day.plus(Duration.ofDays(d)).plus(Duration.ofHours(h));
                if (slot.isAfter(base)) {
                    return slot;
                }
            }
        }
        throw new IllegalStateException("no hour slot");
    }

    private Window window(Instant start) {
        if (start.equals(Instant.MAX)) {
            return new Window(Instant.MAX, Instant.MAX);
        }
        Duration w = window != null ? window : Duration.between(start, midnight(start).plus(DAY));
        return new Window(start, start.plus(w));
    }

    private static Instant midnight(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RotationRules r && Objects.equals(automaticallyAfterDays, r.automaticallyAfterDays)
                && Objects.equals(scheduleExpression, r.scheduleExpression) && Objects.equals(duration, r.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(automaticallyAfterDays, scheduleExpression, duration);
    }

    @Override
    public String toString() {
        return "RotationRules[days=" + automaticallyAfterDays + ", expr=" + scheduleExpression + ", duration="
                + duration + "]";
    }

    static Instant truncateToSeconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }
}
