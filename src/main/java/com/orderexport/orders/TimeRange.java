package com.orderexport.orders;

import java.time.Instant;

/**
 * The instants a filter can possibly select on one of the order's times (created_at, updated_at), so a caller can
 * narrow its read before testing each order.
 *
 * @param from the earliest instant included, or null when unbounded
 * @param to the first instant excluded, or null when unbounded
 */
public record TimeRange(Instant from, Instant to) {

    /** No bound at all: what a filter without terms on the time implies. */
    public static final TimeRange ALL = new TimeRange(null, null);

    /** True when no instant can be in the range, e.g. for {@code gt(created_at,X):lt(created_at,X)}. */
    public boolean isEmpty() {
        return from != null && to != null && !from.isBefore(to);
    }

    /** True when {@code t} is in [from, to); a null instant is in no range. */
    public boolean contains(Instant t) {
        return t != null && (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    /** The instants in both ranges. */
    public TimeRange intersect(TimeRange other) {
        return new TimeRange(later(from, other.from), earlier(to, other.to));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }
}
