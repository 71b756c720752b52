package com.orderexport.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Stands in for Lambda's DynamoDB event source mapping: follows the stream (every shard, new ones too) with
 * the template's FilterCriteria and BatchSize, invokes the function, and retries a batch from its first
 * reported failure up to MaximumRetryAttempts before logging the records and moving on.
 */
final class EventSourceMapping implements Runnable {

    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final StreamFeeder feeder;
    private final RequestHandler<DynamodbEvent, StreamsEventResponse> function;
    private final String functionId;
    private final int maxRetries;
    private final Duration timeout;
    private volatile boolean running = true;

    EventSourceMapping(StreamFeeder feeder, RequestHandler<DynamodbEvent, StreamsEventResponse> function,
                       String functionId, JsonNode streamEvent, Duration timeout) {
        this.feeder = feeder;
        this.function = function;
        this.functionId = functionId;
        this.maxRetries = streamEvent.path("MaximumRetryAttempts").asInt(-1);
        this.timeout = timeout;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running) {
            try {
                List<DynamodbEvent> batches = feeder.poll();
                batches.forEach(this::deliver);
                if (batches.isEmpty()) {
                    Thread.sleep(IDLE_POLL.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("stream: cannot read the jobs stream: " + e.getMessage());
                    sleepQuietly();
                }
            }
        }
    }

    private void deliver(DynamodbEvent batch) {
        for (int attempt = 0; ; attempt++) {
            String firstFailed;
            try {
                StreamsEventResponse response = function.handleRequest(batch, new LocalContext(functionId, timeout, 1769));
                List<StreamsEventResponse.BatchItemFailure> failures = response == null || response.getBatchItemFailures() == null
                        ? List.of() : response.getBatchItemFailures();
                if (failures.isEmpty()) {
                    return;
                }
                firstFailed = failures.stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                        .min(Comparator.comparing(BigInteger::new)).orElseThrow();
            } catch (RuntimeException functionError) {
                System.err.println(functionId + ": function error: " + functionError);
                firstFailed = batch.getRecords().get(0).getDynamodb().getSequenceNumber();
            }
            if (maxRetries >= 0 && attempt >= maxRetries) {
                System.err.println(functionId + ": giving up on " + batch.getRecords().size()
                        + " record(s) after " + attempt + " retries (in AWS they would go to the on-failure destination)");
                return;
            }
            String from = firstFailed;
            // Lambda retries from the first failed record on; the records before it are done.
            batch.setRecords(batch.getRecords().stream()
                    .filter(r -> new BigInteger(r.getDynamodb().getSequenceNumber()).compareTo(new BigInteger(from)) >= 0)
                    .toList());
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
