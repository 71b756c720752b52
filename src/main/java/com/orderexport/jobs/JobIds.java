package com.orderexport.jobs;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Makes version 7 UUIDs (RFC 9562): time-ordered, so a store's jobs sort by creation under the table's sort
 * key and a descending query lists the newest first.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static int sequence;

    private JobIds() {}

    /** A new id; ids made by one container in the same millisecond still sort in the order they were made. */
    public static synchronized UUID next(long epochMillis) {
        if (epochMillis <= lastMillis) {
            epochMillis = lastMillis;
            sequence++;
            if (sequence > 0xFFF) {
                epochMillis = ++lastMillis;
                sequence = 0;
            }
        } else {
            lastMillis = epochMillis;
            sequence = RANDOM.nextInt(0x400); // leave room for many ids within one millisecond
        }
        long high = (epochMillis << 16) | 0x7000L | sequence;
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
