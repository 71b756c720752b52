package com.orderexport.csv;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes the export's timestamps in its one fixed-width form, {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC, the form
 * Elastic Path's own API returns: always three fraction digits ({@code .000} for whole seconds), finer digits
 * truncated, so every cell has the same width, sorts as text in time order and reads alike in a spreadsheet.
 *
 * <p>Parsing two timestamps with {@code Instant.parse} costs nearly as much as extracting all the other columns of
 * a row, and Elastic Path sends its timestamps in UTC almost always, so text that is already
 * {@code yyyy-MM-ddTHH:mm:ss[.f]Z} (one to nine fraction digits, a real date and time) is reshaped as text
 * instead. The check is strict: whatever it reshapes, {@link #format} of {@code Instant.parse} gives the same;
 * anything else (offsets, lower case, leap seconds, years outside 0000-9999) goes the slow, exact way.
 */
final class CanonicalInstant {

    /** Length of every cell for years 0000 to 9999. */
    static final int LENGTH = 24;

    private static final DateTimeFormatter FIXED_WIDTH =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CanonicalInstant() {
    }

    /** The cell for {@code instant}, truncated to milliseconds. */
    static String format(Instant instant) {
        return FIXED_WIDTH.format(instant);
    }

    /**
     * The cell for {@code text} when it is already ISO-8601 in UTC as described above, found without parsing it
     * ({@code text} itself when it has exactly three fraction digits); null when it must be parsed.
     */
    static String reshape(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || !isDateTime(text)) {
            return null;
        }
        if (length == 20) {
            return text.charAt(19) == 'Z' ? text.substring(0, 19) + ".000Z" : null;
        }
        if (text.charAt(19) != '.' || text.charAt(length - 1) != 'Z' || length == 21) {
            return null;
        }
        for (int i = 20; i < length - 1; i++) {
            if (digit(text.charAt(i)) < 0) {
                return null;
            }
        }
        return switch (length) {
            case 22 -> text.substring(0, 21) + "00Z";
            case 23 -> text.substring(0, 22) + "0Z";
            case LENGTH -> text;
            default -> text.substring(0, 23) + "Z";
        };
    }

    /** Whether {@code text} starts with {@code yyyy-MM-ddTHH:mm:ss}, a real date and time of day. */
    private static boolean isDateTime(String text) {
        if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return false;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
                && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The decimal number in {@code text[from, from + digits)}, or -1 when it is not all ASCII digits. */
    private static int number(String text, int from, int digits) {
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            int digit = digit(text.charAt(i));
            if (digit < 0) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }
}
