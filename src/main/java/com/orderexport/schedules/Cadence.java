package com.orderexport.schedules;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a schedule's runs are due: {@code every} hour, day or week {@code at} a time of day in a time zone, or a
 * five-field cron expression ({@code minute hour day-of-month month day-of-week}, with {@code *}, lists, ranges,
 * steps and English day and month names) read in that zone.
 *
 * <p>Wall-clock times follow the zone's changes as cron does: a time the clocks skip (spring forward) is due when
 * they resume, shifted by the gap (02:30 on a night that jumps from 02:00 to 03:00 is due at 03:30); a time they
 * repeat (fall back) is due once, the first time. A cadence whose hour is {@code *} (every hour, or more often)
 * instead counts real time: each hour of a repeated hour gets its runs, and a skipped hour has none.
 */
public final class Cadence {

    private static final Pattern DAY_AT = Pattern.compile("(\\d{1,2}):(\\d{2})");
    private static final Pattern HOUR_AT = Pattern.compile(":(\\d{2})");
    private static final Pattern WEEK_AT = Pattern.compile("([a-zA-Z]+) (\\d{1,2}):(\\d{2})");
    private static final String[] DAY_NAMES = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    private static final String[] MONTH_NAMES = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
            "nov", "dec"};
    /** Far enough for the rarest day a cron can name (29 February), with a leap-year gap of eight years. */
    private static final int MAX_DAYS_AHEAD = 366 * 8 + 1;

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    /** 0 = Sunday ... 6 = Saturday. */
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;
    private final boolean anyHour;
    private final ZoneId zone;
    private final String text;

    private Cadence(String[] fields, ZoneId zone, String text) throws InvalidCadenceException {
        this.minutes = field(fields[0], 0, 59, null, "minute");
        this.hours = field(fields[1], 0, 23, null, "hour");
        this.daysOfMonth = field(fields[2], 1, 31, null, "day of month");
        this.months = field(fields[3], 1, 12, MONTH_NAMES, "month");
        BitSet week = field(fields[4], 0, 7, DAY_NAMES, "day of week");
        if (week.get(7)) {
            week.set(0); // 7 is Sunday too, as in cron
            week.clear(7);
        }
        this.daysOfWeek = week;
        this.anyDayOfMonth = fields[2].equals("*");
        this.anyDayOfWeek = fields[4].equals("*");
        this.anyHour = fields[1].equals("*");
        this.zone = zone;
        this.text = text;
    }

    /**
     * A cadence as a schedule states it.
     *
     * @param every    {@code hour}, {@code day}, {@code week}, or a five-field cron expression
     * @param at       for {@code hour} the minute, {@code :MM} (default {@code :00}); for {@code day} the time,
     *                 {@code HH:MM} (default {@code 00:00}); for {@code week} a day and a time, {@code monday 06:00}
     *                 (default {@code monday 00:00}); null or empty for the default; never with a cron expression
     * @param timeZone an IANA zone id such as {@code Europe/Berlin}, or {@code UTC}; null or empty for UTC
     */
    public static Cadence parse(String every, String at, String timeZone) throws InvalidCadenceException {
        ZoneId zone = zone(timeZone);
        String when = at == null ? "" : at.trim();
        String cadence = every == null ? "" : every.trim().toLowerCase(Locale.ROOT);
        String[] fields = switch (cadence) {
            case "hour" -> {
                Matcher m = HOUR_AT.matcher(when.isEmpty() ? ":00" : when);
                if (!m.matches() || Integer.parseInt(m.group(1)) > 59) {
                    throw new InvalidCadenceException("at", "an hourly schedule's at is the minute past each hour,"
                            + " :00 to :59, not " + quoted(at));
                }
                yield new String[] {m.group(1), "*", "*", "*", "*"};
            }
            case "day" -> {
                int[] time = timeOfDay(when.isEmpty() ? "00:00" : when, at, "a daily schedule's at is a time of day");
                yield new String[] {Integer.toString(time[1]), Integer.toString(time[0]), "*", "*", "*"};
            }
            case "week" -> {
                Matcher m = WEEK_AT.matcher(when.isEmpty() ? "monday 00:00" : when);
                int day = m.matches() ? dayOfWeek(m.group(1)) : -1;
                if (day < 0) {
                    throw new InvalidCadenceException("at", "a weekly schedule's at is a day and a time of day, such as"
                            + " monday 06:00, not " + quoted(at));
                }
                int[] time = timeOfDay(m.group(2) + ":" + m.group(3), at, "a weekly schedule's at is a day and a time of day");
                yield new String[] {Integer.toString(time[1]), Integer.toString(time[0]), "*", "*", Integer.toString(day)};
            }
            default -> {
                String[] cron = every == null ? new String[0] : every.trim().split("\\s+");
                if (cron.length != 5) {
                    throw new InvalidCadenceException("every", "every is hour, day, week or a cron expression of five"
                            + " fields (minute hour day-of-month month day-of-week), not " + quoted(every));
                }
                if (!when.isEmpty()) {
                    throw new InvalidCadenceException("at", "a cron expression carries its own time: leave at out");
                }
                yield cron;
            }
        };
        return new Cadence(fields, zone, (every == null ? "" : every.trim()) + (when.isEmpty() ? "" : " at " + when)
                + " (" + zone.getId() + ")");
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first due time strictly after {@code after}. */
    public Instant next(Instant after) {
        LocalDate day = after.atZone(zone).toLocalDate().minusDays(1); // a gap's shift can carry a time past midnight
        for (int i = 0; i <= MAX_DAYS_AHEAD; i++, day = day.plusDays(1)) {
            Instant found = firstOn(day, after);
            if (found != null) {
                return found;
            }
        }
        throw new IllegalStateException("no due time within eight years of " + after + " for " + text);
    }

    /** The last due time at or before {@code atOrBefore}: the run a scheduler that woke then should make. */
    public Instant latest(Instant atOrBefore) {
        LocalDate day = atOrBefore.atZone(zone).toLocalDate().plusDays(1);
        for (int i = 0; i <= MAX_DAYS_AHEAD; i++, day = day.minusDays(1)) {
            Instant found = lastOn(day, atOrBefore);
            if (found != null) {
                return found;
            }
        }
        throw new IllegalStateException("no due time within eight years before " + atOrBefore + " for " + text);
    }

    /** The shortest time between two due times over the coming year: what a limit on how often a schedule runs checks. */
    public Duration shortestInterval(Instant from) {
        Instant previous = next(from);
        Instant end = from.plus(Duration.ofDays(366));
        Duration shortest = null;
        for (int i = 0; i < 20_000 && previous.isBefore(end); i++) {
            Instant due = next(previous);
            Duration gap = Duration.between(previous, due);
            shortest = shortest == null || gap.compareTo(shortest) < 0 ? gap : shortest;
            previous = due;
        }
        return shortest == null ? Duration.between(from, previous) : shortest;
    }

    @Override
    public String toString() {
        return text;
    }

    private Instant firstOn(LocalDate day, Instant after) {
        if (!matchesDay(day)) {
            return null;
        }
        if (anyHour) {
            // Real time: each minute of the day as it passes (zones' offsets are whole minutes), from just after `after`.
            Instant first = after.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
            Instant end = startOf(day.plusDays(1));
            for (Instant t = later(startOf(day), first); t.isBefore(end); t = t.plus(1, ChronoUnit.MINUTES)) {
                if (minutes.get(t.atZone(zone).getMinute())) {
                    return t;
                }
            }
            return null;
        }
        return wallClockTimesOn(day).stream().filter(t -> t.isAfter(after)).findFirst().orElse(null);
    }

    private Instant lastOn(LocalDate day, Instant atOrBefore) {
        if (!matchesDay(day)) {
            return null;
        }
        if (anyHour) {
            Instant start = startOf(day);
            Instant last = startOf(day.plusDays(1)).minus(1, ChronoUnit.MINUTES);
            Instant bound = atOrBefore.truncatedTo(ChronoUnit.MINUTES);
            for (Instant t = bound.isBefore(last) ? bound : last; !t.isBefore(start); t = t.minus(1, ChronoUnit.MINUTES)) {
                if (minutes.get(t.atZone(zone).getMinute())) {
                    return t;
                }
            }
            return null;
        }
        return wallClockTimesOn(day).stream().filter(t -> !t.isAfter(atOrBefore)).reduce((a, b) -> b).orElse(null);
    }

    /** The day's due times of a cadence with set hours, in order (a gap's shift can make two of them one). */
    private List<Instant> wallClockTimesOn(LocalDate day) {
        TreeSet<Instant> times = new TreeSet<>();
        for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
            for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                times.add(wallClock(day, h, m));
            }
        }
        return List.copyOf(times);
    }

    /** The instant of a wall-clock time: a skipped one shifted by the gap, a repeated one at its first occurrence. */
    private Instant wallClock(LocalDate day, int hour, int minute) {
        return ZonedDateTime.ofLocal(LocalDateTime.of(day, LocalTime.of(hour, minute)), zone, null).toInstant();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private Instant startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant();
    }

    /** cron's rule: when both day fields are restricted, either one matching is enough. */
    private boolean matchesDay(LocalDate day) {
        if (!months.get(day.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth && anyDayOfWeek) {
            return true;
        }
        if (anyDayOfMonth) {
            return dow;
        }
        if (anyDayOfWeek) {
            return dom;
        }
        return dom || dow;
    }

    private static BitSet field(String text, int min, int max, String[] names, String name) throws InvalidCadenceException {
        BitSet values = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, max - min + 1, null, name, text);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", -1);
                if (ends.length != 2) {
                    throw new InvalidCadenceException("every", "the cron " + name + " field " + quoted(text)
                            + " has a range that is not a-b");
                }
                from = number(ends[0], min, max, names, name, text);
                to = number(ends[1], min, max, names, name, text);
                if (to < from) {
                    throw new InvalidCadenceException("every", "the cron " + name + " field " + quoted(text)
                            + " has a range that runs backwards");
                }
            } else {
                from = number(range, min, max, names, name, text);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }
        return values;
    }

    private static int number(String text, int min, int max, String[] names, String name, String field)
            throws InvalidCadenceException {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(text)) {
                    return names == MONTH_NAMES ? i + 1 : i;
                }
            }
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new InvalidCadenceException("every", "the cron " + name + " field " + quoted(field) + " holds "
                + quoted(text) + ", not a " + name + " from " + min + " to " + max);
    }

    private static int[] timeOfDay(String time, String at, String what) throws InvalidCadenceException {
        Matcher m = DAY_AT.matcher(time);
        if (m.matches()) {
            int hour = Integer.parseInt(m.group(1));
            int minute = Integer.parseInt(m.group(2));
            if (hour <= 23 && minute <= 59) {
                return new int[] {hour, minute};
            }
        }
        throw new InvalidCadenceException("at", what + ", 00:00 to 23:59, not " + quoted(at));
    }

    private static int dayOfWeek(String name) {
        for (DayOfWeek day : DayOfWeek.values()) {
            String full = day.name().toLowerCase(Locale.ROOT);
            if (full.equalsIgnoreCase(name) || full.substring(0, 3).equalsIgnoreCase(name)) {
                return day.getValue() % 7;
            }
        }
        return -1;
    }

    private static ZoneId zone(String timeZone) throws InvalidCadenceException {
        if (timeZone == null || timeZone.isBlank() || timeZone.equals("UTC")) {
            return ZoneOffset.UTC;
        }
        // Region ids only: a bare offset (+02:00) has no summer time and says nothing of where the schedule lives.
        if (!timeZone.contains("/")) {
            throw new InvalidCadenceException("timezone", "timezone is an IANA zone such as Europe/Berlin, or UTC, not "
                    + quoted(timeZone));
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidCadenceException("timezone", "timezone is an IANA zone such as Europe/Berlin, or UTC, not "
                    + quoted(timeZone));
        }
    }

    private static String quoted(String text) {
        return text == null ? "nothing" : "'" + text + "'";
    }
}
