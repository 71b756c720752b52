package com.orderexport.csv;

/**
 * Recognises timestamps already written exactly as {@link java.time.Instant#toString()} writes them,
 * so the export can copy them instead of parsing and re-formatting each one.
 *
 * <p>Parsing two timestamps with {@code Instant.parse} costs nearly as much as extracting all the
 * other columns of a row, and Elastic Path sends its timestamps in this form almost always. The
 * check is strict: for any text it accepts, {@code Instant.parse(text).toString()} is that same
 * text; anything else (offsets, lower case, {@code .000}, leap seconds, invalid dates) goes the
 * slow, exact way.
 */
final class CanonicalInstant {

    private CanonicalInstant() {
    }

    /** Whether {@code text} is {@code yyyy-MM-ddTHH:mm:ss[.SSS|.SSSSSS|.SSSSSSSSS]Z} exactly as Instant prints it. */
    static boolean isCanonical(String text) {
        int length = text.length();
        if (length != 20 && length != 24 && length != 27 && length != 30) {
            return false;
        }
        if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return false;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        return length == 20 || canonicalFraction(text, length);
    }

    // Instant prints the shortest of 3, 6 or 9 fraction digits, and none when the fraction is zero.
    private static boolean canonicalFraction(String text, int length) {
        if (text.charAt(19) != '.') {
            return false;
        }
        for (int i = 20; i < length - 1; i++) {
            if (digit(text.charAt(i)) < 0) {
                return false;
            }
        }
        return number(text, length - 4, 3) != 0;
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
