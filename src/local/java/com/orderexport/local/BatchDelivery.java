package com.orderexport.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One batch's way through Lambda's stream error handling: invoke; on reported item failures retry from the
 * first of them (the records before it are done); on a thrown error or a timeout retry the whole batch, or
 * split it in two first when BisectBatchOnFunctionError is on; after MaximumRetryAttempts retries, or once
 * its records are older than MaximumRecordAgeInSeconds, hand what is left to the on-failure destination and
 * move on. It returns only when the batch is settled, so nothing behind it in its lane starts earlier.
 */
final class BatchDelivery {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final StreamEventSettings settings;
    private final String functionId;
    private final Duration timeout;
    private final int memoryMb;
    private final OnFailureDestination onFailure;

    /** How an invocation went: done, failed from record {@code retryFrom} on, or failed as a whole with an error. */
    private record Outcome(boolean done, int retryFrom, String error) {
        static final Outcome DONE = new Outcome(true, 0, null);

        static Outcome failedFrom(int index) {
            return new Outcome(false, index, null);
        }

        static Outcome error(String error) {
            return new Outcome(false, 0, error);
        }
    }

    BatchDelivery(StreamEventSettings settings, String functionId, Duration timeout, int memoryMb, OnFailureDestination onFailure) {
        this.settings = settings;
        this.functionId = functionId;
        this.timeout = timeout;
        this.memoryMb = memoryMb;
        this.onFailure = onFailure;
    }

    void deliver(List<StreamReader.StreamRecord> batch, RequestHandler<DynamodbEvent, StreamsEventResponse> function)
            throws InterruptedException {
        List<StreamReader.StreamRecord> pending = batch;
        for (int retries = 0; ; retries++) {
            if (tooOld(pending.get(0))) {
                onFailure.send(pending, OnFailureDestination.RECORD_AGE_EXCEEDED, retries, null);
                return;
            }
            Outcome outcome = invoke(pending, function);
            if (outcome.done()) {
                return;
            }
            if (outcome.error() != null && settings.bisectBatchOnFunctionError() && pending.size() > 1) {
                // Lambda retries each half on its own; splitting is not counted as a retry.
                int half = pending.size() / 2;
                deliver(pending.subList(0, half), function);
                deliver(pending.subList(half, pending.size()), function);
                return;
            }
            pending = pending.subList(outcome.retryFrom(), pending.size());
            if (settings.maximumRetryAttempts() >= 0 && retries >= settings.maximumRetryAttempts()) {
                onFailure.send(pending, OnFailureDestination.RETRIES_EXHAUSTED, retries + 1,
                        outcome.error() == null ? null : "Unhandled");
                return;
            }
            long backoff = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(retries, 10));
            Thread.sleep(backoff);
        }
    }

    private Outcome invoke(List<StreamReader.StreamRecord> records, RequestHandler<DynamodbEvent, StreamsEventResponse> function) {
        DynamodbEvent event = StreamFeeder.event(records.stream().map(StreamReader.StreamRecord::json).toList());
        LocalContext context = new LocalContext(functionId, timeout, memoryMb);
        StreamsEventResponse response;
        try {
            response = function.handleRequest(event, context);
        } catch (RuntimeException | Error e) {
            System.err.println(functionId + ": invocation " + context.getAwsRequestId() + " failed: " + e.getClass().getName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return Outcome.error(e.getClass().getName());
        }
        if (context.getRemainingTimeInMillis() == 0) {
            // Lambda would have stopped it at the deadline; whatever it did after does not count as done.
            System.err.println(functionId + ": invocation " + context.getAwsRequestId() + " timed out after "
                    + timeout.toSeconds() + " seconds");
            return Outcome.error("Task timed out");
        }
        if (!settings.reportBatchItemFailures() || response == null || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return Outcome.DONE;
        }
        int first = records.size();
        for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            int index = indexOf(records, failure == null ? null : failure.getItemIdentifier());
            if (index < 0) {
                // An identifier that names no record of the batch: Lambda treats the whole batch as failed.
                return Outcome.failedFrom(0);
            }
            first = Math.min(first, index);
        }
        return Outcome.failedFrom(first);
    }

    private static int indexOf(List<StreamReader.StreamRecord> records, String sequenceNumber) {
        for (int i = 0; sequenceNumber != null && i < records.size(); i++) {
            if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
                return i;
            }
        }
        return -1;
    }

    private boolean tooOld(StreamReader.StreamRecord record) {
        long created = record.json().path("dynamodb").path("ApproximateCreationDateTime").asLong(0);
        return settings.maximumRecordAge().isPresent() && created > 0
                && Instant.ofEpochSecond(created).plus(settings.maximumRecordAge().get()).isBefore(Instant.now());
    }
}
