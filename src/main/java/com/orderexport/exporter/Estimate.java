package com.orderexport.exporter;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When an export should be done, from the pace of the run now writing it: the share of its orders' created_at
 * extent read since the run's first heartbeat, per unit of time, applied to the share still to read. The
 * claim and the first pages' planning are left out, so a short export is not judged by its overheads. It assumes
 * orders are spread evenly over time (a store whose orders bunch up in the part still to read finishes later
 * than it says) and that the pace holds (hand-offs that wait behind other exports in their lane are not foreseen).
 */
final class Estimate {

    /** Below this share read, or before this much time, a pace says little. */
    static final double LEAST_SHARE = 0.05;
    static final Duration LEAST_TIME = Duration.ofSeconds(5);

    private Estimate() {}

    /**
     * @param since when the run first knew its share, and {@code sinceShare} the share then
     * @return empty until the estimate means something, and once the export is done
     */
    static Optional<Instant> completionAt(Instant since, Double sinceShare, Instant now, Double share) {
        if (since == null || sinceShare == null || share == null || share >= 1) {
            return Optional.empty();
        }
        double read = share - sinceShare;
        Duration taken = Duration.between(since, now);
        if (read < LEAST_SHARE || taken.compareTo(LEAST_TIME) < 0) {
            return Optional.empty();
        }
        long leftMillis = (long) (taken.toMillis() * (1 - share) / read);
        return Optional.of(now.plusMillis(leftMillis));
    }
}
