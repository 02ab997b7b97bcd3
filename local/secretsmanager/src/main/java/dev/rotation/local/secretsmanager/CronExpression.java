package dev.rotation.local.secretsmanager;

import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;

/**
 * An AWS schedule {@code cron(Minutes Hours Day-of-month Month Day-of-week Year)} in UTC, as Secrets
 * Manager accepts it: minutes 0 and year {@code *} (its windows open on the hour, at most a year apart),
 * exactly one of day-of-month and day-of-week {@code ?}.
 *
 * <p>AWS's cron syntax is Quartz's without the seconds field (SUN=1..SAT=7, names, {@code , - * ? /},
 * {@code L}, {@code W}, {@code LW}, {@code #} and {@code nL}), so Quartz's {@link org.quartz.CronExpression}
 * parses it and computes the firings; only Secrets Manager's own limits are checked here.
 */
final class CronExpression {
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private final org.quartz.CronExpression quartz;
    /** The times of day it fires at, the same on every day it fires; empty if it never fires. */
    private final List<LocalTime> timesOfDay;

    private CronExpression(org.quartz.CronExpression quartz) {
        this.quartz = quartz;
        this.timesOfDay = timesOfDay();
    }

    /** Parses the fields between the parentheses of {@code cron(...)}. */
    static CronExpression parse(String body) {
        String[] f = body.trim().split("\\s+");
        if (f.length != 6) {
            throw invalid("a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got "
                    + f.length);
        }
        if (f[2].equals("?") == f[4].equals("?")) {
            throw invalid("exactly one of day-of-month and day-of-week must be '?'");
        }
        if (!f[0].equals("0")) {
            throw invalid("the minutes field must be 0: Secrets Manager rotation windows open on the hour");
        }
        if (!f[5].equals("*")) {
            throw invalid("the year field must be *: Secrets Manager schedules are at most a year apart");
        }
        org.quartz.CronExpression quartz;
        try {
            // Quartz's first field is seconds.
            quartz = new org.quartz.CronExpression("0 " + String.join(" ", f));
        } catch (ParseException e) {
            String reason = e.getMessage() == null || e.getMessage().contains("Exception")
                    ? "'" + Validation.printable(String.join(" ", f)) + "' is not valid cron syntax"
                    : Validation.printable(e.getMessage());
            throw invalid(reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason);
        }
        quartz.setTimeZone(UTC);
        return new CronExpression(quartz);
    }

    /** True when the schedule fires more than once on a day (a schedule "in hours"). */
    boolean hourly() {
        return timesOfDay.size() > 1;
    }

    /** Latest time of day the schedule fires at. */
    LocalTime latestTimeOfDay() {
        if (timesOfDay.isEmpty()) {
            throw new IllegalStateException("the schedule never fires");
        }
        return timesOfDay.get(timesOfDay.size() - 1);
    }

    /** The first firing strictly after {@code after}. */
    Optional<Instant> next(Instant after) {
        return Optional.ofNullable(quartz.getNextValidTimeAfter(Date.from(after))).map(Date::toInstant);
    }

    private List<LocalTime> timesOfDay() {
        // Which days fire does not change the hours and minutes, so the first day that fires has them all.
        Optional<Instant> first = next(Instant.EPOCH);
        List<LocalTime> times = new ArrayList<>();
        if (first.isEmpty()) {
            return times;
        }
        LocalDate day = LocalDate.ofInstant(first.get(), ZoneOffset.UTC);
        for (Optional<Instant> t = first; t.isPresent() && LocalDate.ofInstant(t.get(), ZoneOffset.UTC).equals(day);
             t = next(t.get())) {
            times.add(LocalTime.ofInstant(t.get(), ZoneOffset.UTC));
        }
        return times;
    }

    private static ServiceException invalid(String why) {
        return ServiceException.invalidParameter("Invalid cron expression in ScheduleExpression: " + why + ".");
    }
}
