package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.jobs.Creation;
import com.orderexport.jobs.IdempotencyRecord;
import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobIds;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The event source mapping stand-in on the emulator, with the template's JobsStream settings (BatchSize 1,
 * ParallelizationFactor 10, three retries, the on-failure queue, the filters) and test functions that
 * record what reaches them: lanes, per-key order, retries, filtering and recovery from a swapped stream.
 * One class, though long: every case shares the running mapping and the recording function.
 */
@ExtendWith(EmulatorExtension.class)
class EventSourceMappingIT {

    static final String FUNCTION = "OrderExportFunction";
    static final Duration PATIENCE = Duration.ofSeconds(30);
    final ObjectMapper mapper = new ObjectMapper();

    TestStack stack;
    JobStore jobs;
    EventSourceMapping mapping;
    int lanes;

    /** What the function does with one record of a store under test; other stores' records are ignored. */
    volatile BiFunction<DynamodbEvent.DynamodbStreamRecord, Integer, StreamsEventResponse> behaviour;
    final Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
    final List<String> arrivals = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Boolean> watched = new ConcurrentHashMap<>();

    @BeforeEach
    void startTheMapping(TestStack testStack) {
        stack = testStack;
        jobs = new JobStore(stack.dynamo(), stack.nameOf("JobsTable"));
        lanes = StreamEventSettings.of(stack.template(), FUNCTION).parallelizationFactor();
        behaviour = (record, attempt) -> new StreamsEventResponse();
        RequestHandler<DynamodbEvent, StreamsEventResponse> function = (event, context) -> {
            assertThat(event.getRecords()).hasSize(1); // the template's BatchSize
            DynamodbEvent.DynamodbStreamRecord record = event.getRecords().get(0);
            String store = record.getDynamodb().getKeys().get("store_id").getS();
            if (!watched.containsKey(store)) {
                return new StreamsEventResponse();
            }
            String job = record.getDynamodb().getKeys().get("job_id").getS();
            int attempt = invocations.computeIfAbsent(job, k -> new AtomicInteger()).incrementAndGet();
            return behaviour.apply(record, attempt);
        };
        mapping = EventSourceMapping.of(stack.resources(), stack.dynamo(), FUNCTION, () -> function, false);
        mapping.start();
    }

    @AfterEach
    void stopTheMapping() {
        mapping.close();
    }

    @Test
    void storesOnDifferentLanes_areDeliveredConcurrently() throws Exception {
        StoreId a = watch(TestStack.newStore());
        StoreId b = watch(storeOnLane(a, false));
        CountDownLatch aStarted = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        behaviour = (record, attempt) -> {
            if (storeOf(record).equals(a.value())) {
                aStarted.countDown();
                hold(releaseA);
            }
            arrivals.add(storeOf(record) + (releaseA.getCount() == 1 ? " while a is in flight" : ""));
            return new StreamsEventResponse();
        };

        put(a);
        assertThat(aStarted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        put(b);
        await().atMost(PATIENCE).until(() -> arrivals.contains(b.value() + " while a is in flight"));
        releaseA.countDown();

        await().atMost(PATIENCE).until(() -> arrivals.contains(a.value()));
        assertThat(arrivals).containsExactly(b.value() + " while a is in flight", a.value());
    }

    @Test
    void storesSharingALane_takeTurnsInArrivalOrderOneBatchAtATime() throws Exception {
        StoreId a = watch(TestStack.newStore());
        StoreId b = watch(storeOnLane(a, true));
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        behaviour = (record, attempt) -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            if (firstStarted.getCount() == 1) {
                firstStarted.countDown();
                hold(releaseFirst);
            }
            arrivals.add(jobOf(record));
            inFlight.decrementAndGet();
            return new StreamsEventResponse();
        };

        String a0 = put(a);
        assertThat(firstStarted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // Written while the lane is busy: they queue behind a0 in the order they were written.
        List<String> queued = List.of(put(b), put(a), put(b), put(a));
        releaseFirst.countDown();

        await().atMost(PATIENCE).until(() -> arrivals.size() == 5);
        List<String> expected = new ArrayList<>(List.of(a0));
        expected.addAll(queued);
        assertThat(arrivals).containsExactlyElementsOf(expected);
        assertThat(mostInFlight.get()).isEqualTo(1);
    }

    @Test
    void aKeysNextRecord_waitsUntilTheRetriesOfTheOneBeforeAreDone() {
        StoreId store = watch(TestStack.newStore());
        behaviour = (record, attempt) -> {
            arrivals.add(jobOf(record) + "#" + attempt);
            if (arrivals.size() <= 2) {
                throw new IllegalStateException("fails twice (injected)");
            }
            return new StreamsEventResponse();
        };

        String first = put(store);
        String second = put(store);

        await().atMost(PATIENCE).until(() -> arrivals.size() == 4);
        assertThat(arrivals).containsExactly(first + "#1", first + "#2", first + "#3", second + "#1");
    }

    @Test
    void aRecordThatKeepsFailing_isRetriedThreeTimesThenPointedToFromTheFailureQueue() throws Exception {
        StoreId store = watch(TestStack.newStore());
        behaviour = (record, attempt) -> {
            arrivals.add(jobOf(record));
            if (arrivals.size() <= 4) {
                throw new IllegalStateException("always fails (injected)");
            }
            return new StreamsEventResponse();
        };

        String failing = put(store);
        String next = put(store);

        await().atMost(PATIENCE).until(() -> arrivals.size() == 5);
        assertThat(arrivals).containsExactly(failing, failing, failing, failing, next);
        JsonNode message = await().atMost(PATIENCE).until(() -> failureMessageFor(failing), Optional::isPresent).orElseThrow();
        assertThat(message.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(message.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(4);
        assertThat(message.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        JsonNode batch = message.path("DDBStreamBatchInfo");
        assertThat(batch.path("batchSize").asInt()).isEqualTo(1);
        assertThat(batch.path("endSequenceNumber").asText()).isEqualTo(batch.path("startSequenceNumber").asText());
        assertThat(batch.path("streamArn").asText())
                .isEqualTo(stack.dynamo().describeTable(r -> r.tableName(stack.nameOf("JobsTable"))).table().latestStreamArn());
        assertThat(failureMessageFor(next)).isEmpty();
    }

    @Test
    void reportedItemFailures_areRetriedFromTheFailedRecordAndAnUnknownIdentifierFailsTheBatch() {
        StoreId store = watch(TestStack.newStore());
        behaviour = (record, attempt) -> {
            arrivals.add(jobOf(record) + "#" + attempt);
            StreamsEventResponse response = new StreamsEventResponse();
            if (attempt == 1) {
                response.setBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure("no-such-record")));
            } else if (attempt == 2) {
                response.setBatchItemFailures(List.of(
                        new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber())));
            }
            return response;
        };

        String job = put(store);
        String next = put(store);

        await().atMost(PATIENCE).until(() -> arrivals.size() == 4);
        assertThat(arrivals).containsExactly(job + "#1", job + "#2", job + "#3", next + "#1");
    }

    @Test
    void recordsTheFilterCriteriaReject_neverReachTheFunction() {
        StoreId store = watch(TestStack.newStore());
        behaviour = (record, attempt) -> {
            arrivals.add(record.getEventName() + " " + jobOf(record));
            return new StreamsEventResponse();
        };
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job failed = new Job(store, JobIds.next(now.toEpochMilli()).toString(), Job.ORDER_EXPORT, "eq(status,complete)", ExportOptions.DEFAULT,
                JobStatus.FAILED, now, now, now.plus(Job.LIFETIME), "x", null, null, null, null, null, null, null);
        jobs.create(failed); // an INSERT that is not pending
        jobs.replace(new Job(store, failed.id(), Job.ORDER_EXPORT, failed.filter(), failed.options(), JobStatus.PROCESSING, now, now,
                failed.expiresAt(), null, null, null, null, null, null, null, null)); // a MODIFY that is no hand-off

        String pending = put(store); // same store, same lane: the two above would have come first

        await().atMost(PATIENCE).until(() -> !arrivals.isEmpty());
        assertThat(arrivals).containsExactly("INSERT " + pending);
        assertThat(invocations).containsOnlyKeys(pending);
    }

    @Test
    void aCancelledTransactionThatReplacesTheTable_losesNoRecordAndDeliversNoneTwice() {
        StoreId store = watch(TestStack.newStore());
        behaviour = (record, attempt) -> {
            arrivals.add(jobOf(record));
            return new StreamsEventResponse();
        };
        String before = put(store);
        await().atMost(PATIENCE).until(() -> arrivals.contains(before));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job keyed = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), "eq(status,complete)", now);
        assertThat(jobs.create(keyed, Optional.of(new IdempotencyRecord(store, "key-1", "hash-1", keyed.id(),
                now.plus(IdempotencyRecord.LIFETIME))), 10, now)).isInstanceOf(Creation.Stored.class);
        Job conflicting = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), "eq(status,paid)", now);

        // moto cancels the transaction by putting back a copy of the whole table, stream included.
        assertThat(jobs.create(conflicting, Optional.of(new IdempotencyRecord(store, "key-1", "hash-2",
                conflicting.id(), now.plus(IdempotencyRecord.LIFETIME))), 10, now))
                .isInstanceOf(Creation.Earlier.class);
        List<String> after = List.of(put(store), put(store), put(store));

        List<String> expected = new ArrayList<>(List.of(before, keyed.id()));
        expected.addAll(after);
        await().atMost(PATIENCE).until(() -> arrivals.containsAll(expected));
        assertThat(arrivals).containsExactlyElementsOf(expected);
        assertThat(invocations.values()).allMatch(count -> count.get() == 1);
    }

    @Test
    void threeHundredJobsWrittenAtOnceAroundAnIdempotencyConflict_areEachDeliveredOnce() throws Exception {
        List<StoreId> stores = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            stores.add(watch(TestStack.newStore()));
        }
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        behaviour = (record, attempt) -> {
            delivered.add(jobOf(record));
            return new StreamsEventResponse();
        };
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        StoreId keyedStore = stores.get(0);
        Job keyed = Job.pending(keyedStore, JobIds.next(now.toEpochMilli()).toString(), "eq(status,complete)", now);
        jobs.create(keyed, Optional.of(new IdempotencyRecord(keyedStore, "key-300", "hash-1", keyed.id(),
                now.plus(IdempotencyRecord.LIFETIME))), 10, now);

        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<String>> written = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StoreId store = stores.get(i % stores.size());
            if (i == 150) {
                writers.submit(() -> jobs.create(Job.pending(keyedStore, JobIds.next(now.toEpochMilli()).toString(),
                        "eq(status,paid)", now), Optional.of(new IdempotencyRecord(keyedStore, "key-300", "hash-2", "x",
                        now.plus(IdempotencyRecord.LIFETIME))), 10, now));
            }
            written.add(writers.submit(() -> put(store)));
        }
        writers.shutdown();
        List<String> expected = new ArrayList<>(List.of(keyed.id()));
        for (Future<String> job : written) {
            expected.add(job.get(1, TimeUnit.MINUTES));
        }

        await().atMost(Duration.ofMinutes(2)).until(() -> delivered.containsAll(expected));
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(invocations.values()).allMatch(count -> count.get() == 1);
    }

    // ---- helpers

    private StoreId watch(StoreId store) {
        watched.put(store.value(), true);
        return store;
    }

    private String put(StoreId store) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job job = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), "eq(status,complete)", now);
        jobs.create(job);
        return job.id();
    }

    /** A new store whose records take the same lane as {@code other}'s, or another lane. */
    private StoreId storeOnLane(StoreId other, boolean same) {
        int lane = Lanes.laneOf(other.value(), lanes);
        for (int i = 0; ; i++) {
            StoreId candidate = TestStack.newStore();
            if ((Lanes.laneOf(candidate.value(), lanes) == lane) == same) {
                return candidate;
            }
            assertThat(i).as("tries to find a store on the wanted lane").isLessThan(1000);
        }
    }

    private Optional<JsonNode> failureMessageFor(String jobId) throws Exception {
        String queue = stack.resources().queueUrlOf("ExportFailureQueue").orElseThrow();
        String sequence = sequenceOf(jobId);
        for (Message message : stack.resources().sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                .visibilityTimeout(0)).messages()) {
            JsonNode body = mapper.readTree(message.body());
            if (body.path("DDBStreamBatchInfo").path("startSequenceNumber").asText().equals(sequence)) {
                return Optional.of(body);
            }
        }
        return Optional.empty();
    }

    private final Map<String, String> sequences = new ConcurrentHashMap<>();

    private String sequenceOf(String jobId) {
        return sequences.getOrDefault(jobId, "unknown");
    }

    private static String storeOf(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb().getKeys().get("store_id").getS();
    }

    private String jobOf(DynamodbEvent.DynamodbStreamRecord record) {
        String job = record.getDynamodb().getKeys().get("job_id").getS();
        sequences.put(job, record.getDynamodb().getSequenceNumber());
        return job;
    }

    private static void hold(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
