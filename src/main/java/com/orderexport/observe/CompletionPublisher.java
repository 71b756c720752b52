package com.orderexport.observe;

import java.time.Duration;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes a decided job's {@link CompletionEvent} to the EventBridge bus clients subscribe to. The job record is
 * the truth and the event only news of it: a publish that fails is retried a few times, then logged and counted,
 * and never throws, so it can neither change the job nor fail the export.
 */
public final class CompletionPublisher {

    static final int ATTEMPTS = 3;
    /** Doubled before each retry: three attempts wait at most 0.3 s in all, beside the client's own timeouts. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final EventBridgeClient events;
    private final String busName;
    private final Metrics metrics;
    private final Duration firstBackoff;

    public CompletionPublisher(EventBridgeClient events, String busName, Metrics metrics) {
        this(events, busName, metrics, FIRST_BACKOFF);
    }

    CompletionPublisher(EventBridgeClient events, String busName, Metrics metrics, Duration firstBackoff) {
        this.events = events;
        this.busName = busName;
        this.metrics = metrics;
        this.firstBackoff = firstBackoff;
    }

    public String busName() {
        return busName;
    }

    /** @return whether the bus accepted the event; false means it was logged and counted as lost */
    public boolean publish(CompletionEvent event, Log log) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(CompletionEvent.SOURCE)
                .detailType(event.detailType())
                .detail(event.detailJson())
                .time(event.completedAt())
                .build();
        Duration backoff = firstBackoff;
        String lastProblem = null;
        RuntimeException lastError = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                PutEventsResponse response = events.putEvents(r -> r.entries(entry));
                // PutEvents answers 200 even when it refused the entry: only FailedEntryCount tells.
                Integer failed = response.failedEntryCount();
                if (failed == null || failed == 0) {
                    String eventId = response.hasEntries() && !response.entries().isEmpty()
                            ? response.entries().get(0).eventId() : null;
                    log.info("completion event published", "event_id", eventId, "detail_type", event.detailType(),
                            "attempt", attempt);
                    return true;
                }
                PutEventsResultEntry result = response.hasEntries() && !response.entries().isEmpty()
                        ? response.entries().get(0) : null;
                lastProblem = result == null ? "FailedEntryCount " + failed
                        : result.errorCode() + ": " + result.errorMessage();
                lastError = null;
            } catch (RuntimeException e) {
                lastProblem = e.getClass().getSimpleName();
                lastError = e;
            }
            if (attempt < ATTEMPTS && !pause(backoff)) {
                break;
            }
            backoff = backoff.multipliedBy(2);
        }
        Object[] fields = {"detail_type", event.detailType(), "bus", busName, "attempts", ATTEMPTS,
                "problem", lastProblem};
        if (lastError != null) {
            log.error("completion event not published; the job record stands", lastError, fields);
        } else {
            log.warn("completion event not published; the job record stands", fields);
        }
        metrics.put(log, Metrics.Metric.COMPLETION_EVENTS_FAILED, 1);
        return false;
    }

    private static boolean pause(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
