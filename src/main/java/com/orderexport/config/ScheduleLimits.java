package com.orderexport.config;

import java.time.Duration;

/**
 * The settings of scheduled exports, as template parameters give them.
 *
 * @param table            the schedules table (null where a function has none)
 * @param maxPerStore      how many schedules one store may have
 * @param shortestInterval the least time a schedule may leave between two due times
 * @param settle           how long after its due time a run is created, so that changes made just before it, still
 *                         on their way through the webhook sync, are in the table when the run reads its window
 * @param deliveryRole     the role EventBridge takes to POST a run's event to a schedule's notify_url (null where a
 *                         function sets up no deliveries)
 * @param deadLetters      the queue an event goes to when EventBridge has given up delivering it
 */
public record ScheduleLimits(String table, int maxPerStore, Duration shortestInterval, Duration settle,
                             String deliveryRole, String deadLetters) {

    public static final String SCHEDULES_TABLE = "SCHEDULES_TABLE";
    public static final String MAX_SCHEDULES_PER_STORE = "MAX_SCHEDULES_PER_STORE";
    public static final String SHORTEST_SCHEDULE_INTERVAL_MINUTES = "SHORTEST_SCHEDULE_INTERVAL_MINUTES";
    public static final String SCHEDULE_SETTLE_SECONDS = "SCHEDULE_SETTLE_SECONDS";
    public static final String DELIVERY_ROLE_ARN = "DELIVERY_ROLE_ARN";
    public static final String DELIVERY_DEAD_LETTER_QUEUE_ARN = "DELIVERY_DEAD_LETTER_QUEUE_ARN";

    static final int DEFAULT_MAX_PER_STORE = 20;
    static final Duration DEFAULT_SHORTEST_INTERVAL = Duration.ofMinutes(15);
    static final Duration DEFAULT_SETTLE = Duration.ofMinutes(2);

    public ScheduleLimits {
        if (maxPerStore < 1) {
            throw new IllegalArgumentException(MAX_SCHEDULES_PER_STORE + " must be at least 1");
        }
        if (shortestInterval.isNegative() || shortestInterval.isZero()) {
            throw new IllegalArgumentException(SHORTEST_SCHEDULE_INTERVAL_MINUTES + " must be at least 1");
        }
        if (settle.isNegative()) {
            throw new IllegalArgumentException(SCHEDULE_SETTLE_SECONDS + " must not be negative");
        }
    }

    public static final ScheduleLimits DEFAULT = new ScheduleLimits(null, DEFAULT_MAX_PER_STORE,
            DEFAULT_SHORTEST_INTERVAL, DEFAULT_SETTLE, null, null);

    /** Whether the function can set up the delivery of a schedule's events to its notify_url. */
    public boolean delivers() {
        return deliveryRole != null && deadLetters != null;
    }
}
