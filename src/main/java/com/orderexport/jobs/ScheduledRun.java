package com.orderexport.jobs;

import java.time.Instant;

/**
 * What makes a job one run of a schedule: which schedule, for which due time, and for an incremental schedule the
 * window of {@code updated_at} its filter covers (from inclusive, to exclusive).
 *
 * @param windowFrom null for a first incremental run (everything up to {@code windowTo}) and for a schedule that is
 *                   not incremental
 * @param windowTo   null for a schedule that is not incremental (its runs export its filter as it is)
 */
public record ScheduledRun(String scheduleId, Instant dueAt, Instant windowFrom, Instant windowTo) {

    public boolean incremental() {
        return windowTo != null;
    }

    /**
     * The filter terms that bound a run to its window, in epoch milliseconds (the filter language's exact form),
     * ready to go before the schedule's own terms; empty when the schedule is not incremental.
     */
    public String windowTerms() {
        if (!incremental()) {
            return "";
        }
        String to = "lt(updated_at," + windowTo.toEpochMilli() + ")";
        return windowFrom == null ? to : "ge(updated_at," + windowFrom.toEpochMilli() + "):" + to;
    }
}
