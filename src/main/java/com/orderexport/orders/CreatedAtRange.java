package com.orderexport.orders;

import java.time.Instant;

/**
 * The creation times a filter can possibly select, so a caller can narrow its scan before testing each order.
 *
 * @param from the earliest instant included, or null when unbounded
 * @param to the first instant excluded, or null when unbounded
 */
public record CreatedAtRange(Instant from, Instant to) {

    /** No bound at all: what a filter without created_at terms implies. */
    public static final CreatedAtRange ALL = new CreatedAtRange(null, null);

    /** True when no instant can be in the range, e.g. for {@code gt(created_at,X):lt(created_at,X)}. */
    public boolean isEmpty() {
        return from != null && to != null && !from.isBefore(to);
    }

    /** True when {@code t} is in [from, to); a null instant is in no range. */
    public boolean contains(Instant t) {
        return t != null && (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    /** The instants in both ranges. */
    public CreatedAtRange intersect(CreatedAtRange other) {
        return new CreatedAtRange(later(from, other.from), earlier(to, other.to));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }
}
