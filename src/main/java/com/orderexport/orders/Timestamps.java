package com.orderexport.orders;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Reads an order's timestamp text as {@link Instant#parse} does, without its formatter for the form Elastic
 * Path sends: {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}. Every order has two timestamps, and the formatter costs as
 * much as binding the rest of the order; any other text (offsets, lower case, leap seconds, 24:00) takes the
 * formatter's exact way, so the result is always the one {@link Instant#parse} gives.
 */
final class Timestamps {

    private static final int SECONDS_PER_DAY = 86_400;

    private Timestamps() {}

    /** The instant {@code text} denotes, or null when it is null or {@link Instant#parse} refuses it. */
    static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        Instant fast = plainUtc(text);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with an hour below 24 and a second below 60, else null. */
    static Instant plainUtc(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int digits = length - 21;
            int fraction = number(text, 20, digits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException invalidDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[from, from + digits)}, or -1 when it is not all ASCII digits. */
    private static int number(String text, int from, int digits) {
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
