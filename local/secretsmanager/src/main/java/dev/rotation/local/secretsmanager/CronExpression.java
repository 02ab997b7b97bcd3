package dev.rotation.local.secretsmanager;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An AWS schedule {@code cron(Minutes Hours Day-of-month Month Day-of-week Year)} in UTC.
 * Supports numbers, names (JAN-DEC, SUN-SAT), {@code * ?}, ranges, lists, {@code /} steps and
 * {@code L} as the day of month. {@code W}, {@code #} and {@code nL} are refused with a clear
 * message rather than guessed at. Day of week counts SUN=1 .. SAT=7 as AWS does.
 */
final class CronExpression {
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("JAN", 1), Map.entry("FEB", 2), Map.entry("MAR", 3), Map.entry("APR", 4),
            Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7), Map.entry("AUG", 8),
            Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Map<String, Integer> DAYS = Map.of(
            "SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth; // null when '?'
    private final boolean lastDayOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek; // null when '?'
    private final BitSet years;

    private CronExpression(BitSet minutes, BitSet hours, BitSet daysOfMonth, boolean lastDayOfMonth,
                           BitSet months, BitSet daysOfWeek, BitSet years) {
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.lastDayOfMonth = lastDayOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.years = years;
    }

    /** Parses the fields between the parentheses of {@code cron(...)}. */
    static CronExpression parse(String body) {
        String[] f = body.trim().split("\\s+");
        if (f.length != 6) {
            throw invalid("a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got "
                    + f.length);
        }
        boolean domAny = f[2].equals("?");
        boolean dowAny = f[4].equals("?");
        if (domAny == dowAny) {
            throw invalid("exactly one of day-of-month and day-of-week must be '?'");
        }
        boolean last = f[2].equals("L");
        BitSet dom = domAny || last ? null : field(f[2], 1, 31, Map.of(), "day-of-month");
        return new CronExpression(
                field(f[0], 0, 59, Map.of(), "minutes"),
                field(f[1], 0, 23, Map.of(), "hours"),
                dom, last,
                field(f[3], 1, 12, MONTHS, "month"),
                dowAny ? null : field(f[4], 1, 7, DAYS, "day-of-week"),
                field(f[5], 1970, 2199, Map.of(), "year"));
    }

    /** True when the schedule fires more than once on some day (a schedule "in hours"). */
    boolean hourly() {
        return hours.cardinality() > 1 || minutes.cardinality() > 1;
    }

    /** Latest time of day the schedule fires at. */
    LocalTime latestTimeOfDay() {
        return LocalTime.of(hours.previousSetBit(23), minutes.previousSetBit(59));
    }

    /** The first firing strictly after {@code after}, within the next ten years. */
    Optional<Instant> next(Instant after) {
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).withSecond(0).withNano(0).plusMinutes(1);
        LocalDate day = t.toLocalDate();
        LocalDate limit = day.plusYears(10);
        boolean firstDay = true;
        for (; !day.isAfter(limit); day = day.plusDays(1)) {
            if (matchesDay(day)) {
                int fromHour = firstDay ? t.getHour() : 0;
                for (int h = hours.nextSetBit(fromHour); h >= 0; h = hours.nextSetBit(h + 1)) {
                    int fromMinute = firstDay && h == t.getHour() ? t.getMinute() : 0;
                    int m = minutes.nextSetBit(fromMinute);
                    if (m >= 0) {
                        return Optional.of(day.atTime(h, m).toInstant(ZoneOffset.UTC));
                    }
                }
            }
            firstDay = false;
        }
        return Optional.empty();
    }

    private boolean matchesDay(LocalDate day) {
        if (!years.get(day.getYear()) || !months.get(day.getMonthValue())) {
            return false;
        }
        if (lastDayOfMonth) {
            return day.getDayOfMonth() == day.lengthOfMonth();
        }
        if (daysOfMonth != null) {
            return daysOfMonth.get(day.getDayOfMonth());
        }
        DayOfWeek dow = day.getDayOfWeek();
        int awsDow = dow == DayOfWeek.SUNDAY ? 1 : dow.getValue() + 1;
        return daysOfWeek.get(awsDow);
    }

    private static BitSet field(String text, int min, int max, Map<String, Integer> names, String what) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            if (part.contains("W") || part.contains("#") || (part.endsWith("L") && part.length() > 1)) {
                throw invalid("'" + part + "' in " + what + " (W, # and nL) is not supported by this local server");
            }
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, Map.of(), what);
                range = part.substring(0, slash);
            }
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                lo = number(ends[0], min, max, names, what);
                hi = number(ends[1], min, max, names, what);
                if (hi < lo) {
                    throw invalid("range '" + range + "' in " + what + " goes backwards");
                }
            } else {
                lo = number(range, min, max, names, what);
                hi = slash >= 0 ? max : lo;
            }
            for (int v = lo; v <= hi; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String text, int min, int max, Map<String, Integer> names, String what) {
        Integer named = names.get(text.toUpperCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw invalid("value " + v + " in " + what + " is outside " + min + "-" + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw invalid("'" + text + "' is not a valid " + what + " value");
        }
    }

    private static ServiceException invalid(String why) {
        return ServiceException.invalidParameter("Invalid cron expression in ScheduleExpression: " + why + ".");
    }
}
