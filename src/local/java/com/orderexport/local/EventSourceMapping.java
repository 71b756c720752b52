package com.orderexport.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.orderexport.stack.StackResources;
import com.orderexport.stack.Template;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Stands in for Lambda's DynamoDB event source mapping: one poller follows the stream ({@link StreamReader}),
 * drops what the FilterCriteria reject, and routes each record by a hash of its ordering key to one of
 * ParallelizationFactor lanes. Each lane is one execution environment (its own handler instance) that takes
 * batches of up to BatchSize records, waiting up to MaximumBatchingWindowInSeconds to fill one, and settles
 * each batch ({@link BatchDelivery}: retries, bisection, the on-failure destination) before starting the
 * next. So a key's records are handled one batch at a time in stream order, lanes run side by side, and keys
 * that share a lane take turns in arrival order.
 */
final class EventSourceMapping implements AutoCloseable {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250); // Lambda polls a shard 4 times a second

    private final StreamReader reader;
    private final StreamEventSettings settings;
    private final List<String> orderingAttributes;
    private final Supplier<RequestHandler<DynamodbEvent, StreamsEventResponse>> functions;
    private final BatchDelivery delivery;
    private final String functionId;
    private final List<BlockingDeque<StreamReader.StreamRecord>> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param orderingAttributes the key attributes whose values pick a record's lane: the partition key keeps
     *                           a store's records in one lane; partition and sort key, only an item's
     * @param functions          builds one handler per lane, as Lambda starts one environment per concurrent batch
     */
    EventSourceMapping(StreamReader reader, StreamEventSettings settings, List<String> orderingAttributes,
                       Supplier<RequestHandler<DynamodbEvent, StreamsEventResponse>> functions,
                       BatchDelivery delivery, String functionId) {
        this.reader = reader;
        this.settings = settings;
        this.orderingAttributes = List.copyOf(orderingAttributes);
        this.functions = functions;
        this.delivery = delivery;
        this.functionId = functionId;
        for (int i = 0; i < settings.parallelizationFactor(); i++) {
            lanes.add(new LinkedBlockingDeque<>());
        }
    }

    /**
     * The mapping template.yaml declares for {@code functionId}'s DynamoDB event, on the created resources:
     * its table's stream, the function's Timeout and MemorySize, the on-failure queue if the emulator has it.
     *
     * @param byItem order by item (partition and sort key), as AWS documents for DynamoDB streams, instead of
     *               by partition key (store)
     */
    static EventSourceMapping of(StackResources resources, DynamoDbClient dynamo, String functionId,
                                 Supplier<RequestHandler<DynamodbEvent, StreamsEventResponse>> functions, boolean byItem) {
        Template template = resources.template();
        StreamEventSettings settings = StreamEventSettings.of(template, functionId);
        List<String> keys = new ArrayList<>();
        template.resource(settings.tableId()).path("KeySchema").forEach(k -> {
            if (byItem || "HASH".equals(k.path("KeyType").asText())) {
                keys.add(k.path("AttributeName").asText());
            }
        });
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:" + functionId;
        OnFailureDestination onFailure = settings.onFailureId()
                .map(id -> !"SQS".equals(settings.onFailureType())
                        ? OnFailureDestination.log(functionId, "the local stack sends only to SQS destinations, not " + id)
                        : resources.queueUrlOf(id).map(url -> OnFailureDestination.sqs(resources.sqs(), url, arn))
                                .orElseGet(() -> OnFailureDestination.log(functionId, "the emulator has no queue " + id)))
                .orElseGet(() -> OnFailureDestination.log(functionId, "the template names no on-failure destination"));
        BatchDelivery delivery = new BatchDelivery(settings, functionId,
                Duration.ofSeconds(template.globalOrOwn(functionId, "Timeout").asLong(3)),
                template.globalOrOwn(functionId, "MemorySize").asInt(128), onFailure);
        StreamReader reader = new StreamReader(dynamo, resources.nameOf(settings.tableId()),
                "LATEST".equals(settings.startingPosition()));
        return new EventSourceMapping(reader, settings, keys, functions, delivery, functionId);
    }

    /** Pins the starting position, then polls and invokes on threads of its own until closed. */
    void start() {
        reader.start();
        for (int i = 0; i < lanes.size(); i++) {
            BlockingDeque<StreamReader.StreamRecord> lane = lanes.get(i);
            threads.add(daemon(() -> runLane(lane), functionId + "-lane-" + i));
        }
        threads.add(daemon(this::poll, functionId + "-stream-poller"));
        threads.forEach(Thread::start);
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private void poll() {
        String lastError = null;
        while (running) {
            try {
                List<StreamReader.StreamRecord> records = reader.read();
                for (StreamReader.StreamRecord record : records) {
                    if (settings.passes(record.json())) {
                        String key = Lanes.orderingKey(record.json(), orderingAttributes);
                        lanes.get(Lanes.laneOf(key, lanes.size())).put(record);
                    }
                }
                lastError = null;
                if (records.isEmpty()) {
                    Thread.sleep(POLL_INTERVAL.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!Objects.equals(lastError, e.getMessage())) {
                    System.err.println(functionId + ": cannot read the stream (retrying): " + e.getMessage());
                    lastError = e.getMessage();
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void runLane(BlockingDeque<StreamReader.StreamRecord> lane) {
        RequestHandler<DynamodbEvent, StreamsEventResponse> function = null;
        try {
            while (running) {
                List<StreamReader.StreamRecord> batch = nextBatch(lane);
                if (function == null) {
                    function = functions.get();
                }
                try {
                    delivery.deliver(batch, function);
                } catch (RuntimeException e) {
                    System.err.println(functionId + ": lost a batch: " + e);
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Waits for a record, then up to the batching window for more of the same shard, up to BatchSize. */
    private List<StreamReader.StreamRecord> nextBatch(BlockingDeque<StreamReader.StreamRecord> lane) throws InterruptedException {
        List<StreamReader.StreamRecord> batch = new ArrayList<>();
        batch.add(lane.take());
        Instant windowEnds = Instant.now().plus(settings.batchingWindow());
        while (batch.size() < settings.batchSize()) {
            long wait = Math.max(0, Duration.between(Instant.now(), windowEnds).toMillis());
            StreamReader.StreamRecord next = lane.poll(wait, TimeUnit.MILLISECONDS);
            if (next == null) {
                break;
            }
            if (!next.shardId().equals(batch.get(0).shardId())) {
                lane.putFirst(next); // a batch comes from one shard
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        reader.close();
    }
}
