package io.pgha.config;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;

/**
 * A cron schedule, five fields as crontab(5) reads them (minute hour day-of-month month
 * day-of-week, with {@code *}, {@code a-b}, {@code /n} and lists), in the node's time zone. A day is
 * due when its day of month or its day of week matches, if both are restricted, as cron does.
 */
public final class Cron {
    /** How far back {@link #latestAtOrBefore} looks: beyond a year a schedule has nothing to catch up. */
    private static final long LOOKBACK_MINUTES = 366L * 24 * 60;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean daysRestricted;
    private final boolean weekdaysRestricted;

    private Cron(String text, BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet weekdays, boolean daysRestricted,
                 boolean weekdaysRestricted) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.weekdays = weekdays;
        this.daysRestricted = daysRestricted;
        this.weekdaysRestricted = weekdaysRestricted;
    }

    /** Throws IllegalArgumentException naming the field that is wrong. */
    public static Cron parse(String text) {
        String[] f = text.strip().split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), got " + f.length + " in \"" + text + "\"");
        }
        BitSet weekdays = field(f[4], 0, 7, "day-of-week");
        if (weekdays.get(7)) {
            weekdays.set(0); // 7 is Sunday too
        }
        return new Cron(text.strip(), field(f[0], 0, 59, "minute"), field(f[1], 0, 23, "hour"), field(f[2], 1, 31, "day-of-month"),
                field(f[3], 1, 12, "month"), weekdays, !f[2].equals("*"), !f[4].equals("*"));
    }

    private static BitSet field(String spec, int min, int max, String name) {
        BitSet out = new BitSet();
        for (String part : spec.split(",")) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, max, name);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                from = number(range.substring(0, range.indexOf('-')), min, max, name);
                to = number(range.substring(range.indexOf('-') + 1), min, max, name);
                if (to < from) {
                    throw new IllegalArgumentException(name + ": range " + range + " runs backwards");
                }
            } else {
                from = number(range, min, max, name);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private static int number(String s, int min, int max, String name) {
        if (!s.matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException(name + ": expected a number, *, a-b or */n, got \"" + s + "\"");
        }
        int v = Integer.parseInt(s);
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + ": " + v + " is outside " + min + "-" + max);
        }
        return v;
    }

    public boolean matches(ZonedDateTime t) {
        if (!minutes.get(t.getMinute()) || !hours.get(t.getHour()) || !months.get(t.getMonthValue())) {
            return false;
        }
        boolean day = days.get(t.getDayOfMonth());
        boolean weekday = weekdays.get(t.getDayOfWeek().getValue() % 7);
        if (daysRestricted && weekdaysRestricted) {
            return day || weekday;
        }
        return day && weekday;
    }

    /** The latest minute at or before {@code now} the schedule names; empty if none within a year. */
    public Optional<Instant> latestAtOrBefore(Instant now, ZoneId zone) {
        ZonedDateTime t = now.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        for (long i = 0; i < LOOKBACK_MINUTES; i++) {
            if (matches(t)) {
                return Optional.of(t.toInstant());
            }
            t = t.minusMinutes(1);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
