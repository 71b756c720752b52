package com.orderexport.local;

import static com.orderexport.testing.HttpEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.orderexport.exporter.ExportFiles;
import com.orderexport.testing.Orders;
import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.api.JobsApiHandler;
import com.orderexport.config.Settings;
import com.orderexport.exporter.ExportTuning;
import com.orderexport.export.OrderExportHandler;
import com.orderexport.exporter.OrderExporter;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobIds;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exports side by side through the whole path: jobs created over the API, the template's stream mapping
 * (BatchSize 1, ParallelizationFactor lanes, its filters) and the real export function with a short quantum.
 * A long export hands its lane on after every quantum, so a small export of another store finishes while it
 * runs, two stores sharing a lane take turns, and a store's own jobs still finish in the order they were made.
 */
@ExtendWith(EmulatorExtension.class)
class ExportFairnessIT {

    static final String FUNCTION = "OrderExportFunction";
    /** Shorter than any page takes, however fast the machine: every turn is exactly one page. */
    static final Duration QUANTUM = Duration.ofMillis(1);
    static final Duration PATIENCE = Duration.ofMinutes(3);
    /** One slice, so a turn is one page and a store of a few thousand orders takes several turns. */
    static final ExportTuning TUNING = ExportTuning.DEFAULT.withSlices(1).withQuantum(QUANTUM);

    static TestStack stack;
    static JobStore jobs;
    static OrderStore orders;
    static JobsApiHandler api;
    static OrderExportHandler exporter;
    static ExportLeases leases;
    static int lanes;

    final ObjectMapper mapper = new ObjectMapper();
    final Set<String> watched = ConcurrentHashMap.newKeySet();
    /** Each record handed to the function for a watched store, in delivery order. */
    final List<Turn> turns = Collections.synchronizedList(new ArrayList<>());
    EventSourceMapping mapping;

    record Turn(String store, String job, String event) {}

    @BeforeAll
    static void startTheFunctions(TestStack testStack) {
        stack = testStack;
        Settings settings = stack.settingsOf(FUNCTION);
        jobs = new JobStore(stack.dynamo(), settings.jobsTable());
        orders = new OrderStore(stack.dynamo(), settings.ordersTable());
        api = new JobsApiHandler(stack.settingsOf("JobsApiFunction"));
        leases = new ExportLeases(stack.dynamo(), settings.jobsTable());
        exporter = new OrderExportHandler(new OrderExporter(leases, orders, stack.s3(), settings.exportBucket(), TUNING,
                Clock.systemUTC()), Clock.systemUTC());
        lanes = StreamEventSettings.of(stack.template(), FUNCTION).parallelizationFactor();
    }

    @AfterEach
    void stopTheMapping() {
        if (mapping != null) {
            mapping.close();
        }
    }

    @Test
    void aSmallExport_completesWhileALongExportOfAnotherStoreHoldsTheSameLane() {
        StoreId big = watch(storeWithOrders(TestStack.newStore(), 3));
        StoreId small = watch(storeOnLaneOf(big));
        orders.putAll(small, DemoOrders.forStore("b").subList(0, 50));
        startTheMapping(false);

        String longJob = create(big, "ge(created_at,2018-01-01)");
        await().atMost(PATIENCE).until(() -> turnsOf(longJob).size() >= 1);
        String smallJob = create(small, "ge(created_at,2018-01-01)");

        Job smallDone = await().atMost(PATIENCE).until(() -> jobs.find(small, smallJob).orElseThrow(),
                job -> job.status() == JobStatus.COMPLETE);
        Job longMeanwhile = jobs.find(big, longJob).orElseThrow();
        Job longDone = await().atMost(PATIENCE).until(() -> jobs.find(big, longJob).orElseThrow(),
                job -> job.status() == JobStatus.COMPLETE);

        assertThat(longMeanwhile.status()).as("the long export when the small one completed").isEqualTo(JobStatus.PROCESSING);
        assertThat(smallDone.rowCount()).isEqualTo(50);
        assertThat(longDone.rowCount()).isEqualTo(3L * DemoOrders.PER_STORE);
        assertThat(turnsOf(longJob)).as("turns of the long export").hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void twoStoresSharingALane_takeTurnsUntilOneIsDone() {
        StoreId first = watch(storeWithOrders(TestStack.newStore(), 2));
        StoreId second = watch(storeWithOrders(storeOnLaneOf(first), 2));
        startTheMapping(false);

        String firstJob = create(first, "ge(created_at,2018-01-01)");
        String secondJob = create(second, "ge(created_at,2018-01-01)");
        for (StoreId store : List.of(first, second)) {
            String job = store == first ? firstJob : secondJob;
            await().atMost(PATIENCE).until(() -> jobs.find(store, job).orElseThrow().status() == JobStatus.COMPLETE);
        }

        List<String> order = turns.stream().map(Turn::store).toList();
        int both = 2 * Math.min(Collections.frequency(order, first.value()), Collections.frequency(order, second.value()));
        assertThat(both).as("turns each store had").isGreaterThanOrEqualTo(4);
        for (int i = 0; i + 1 < both; i++) {
            assertThat(order.get(i + 1)).as("turn %d of %s", i + 1, order).isNotEqualTo(order.get(i));
        }
    }

    @ParameterizedTest(name = "ordered by {0}")
    @ValueSource(strings = {"store", "item"})
    void aStoresOwnJobs_completeInCreationOrder(String ordering) {
        StoreId store = watch(storeWithOrders(TestStack.newStore(), 1));
        startTheMapping(ordering.equals("item"));

        // The first takes several turns; the two after it would each fit in one.
        String first = create(store, "ge(created_at,2018-01-01)");
        String second = create(store, "lt(created_at,2018-01-10)");
        String third = create(store, "lt(created_at,2018-01-05)");

        List<Job> done = new ArrayList<>();
        for (String job : List.of(first, second, third)) {
            done.add(await().atMost(PATIENCE).until(() -> jobs.find(store, job).orElseThrow(),
                    j -> j.status() == JobStatus.COMPLETE));
        }

        assertThat(done).extracting(Job::updatedAt).isSorted();
        assertThat(turnsOf(first)).as("turns of the first job").hasSizeGreaterThanOrEqualTo(2);
        // The later ones arrived while the first was unfinished, waited, and were woken in turn.
        assertThat(turnsOf(second)).extracting(Turn::event).containsExactly("INSERT", "MODIFY");
        assertThat(jobs.unfinishedJobs(store)).isEmpty();
    }

    @Test
    void aLongExportCancelledMidRun_isCancelledWithinSecondsWithNothingLeft_andTheStoresNextJobRuns() {
        StoreId store = watch(TestStack.newStore());
        List<JsonNode> many = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            many.add(Orders.typicalOrder(String.format("many-%05d", i), Instant.parse("2019-01-01T00:00:00Z")
                    .plus(Duration.ofMinutes(30L * i))).document());
        }
        long loading = System.nanoTime();
        orders.putAll(store, many);
        System.out.printf("40,000 orders loaded in %d ms%n", (System.nanoTime() - loading) / 1_000_000);
        startTheMapping(false);
        String longJob = create(store, "ge(created_at,2018-01-01)");
        String next = create(store, "lt(created_at,2019-01-02)");
        await().atMost(PATIENCE).until(() -> turnsOf(longJob).size() >= 3);

        Instant asked = Instant.now();
        APIGatewayV2HTTPResponse cancel = api.handleRequest(request("POST", "/v2/jobs/" + longJob + "/cancel")
                .store(store).build(), null);
        Job cancelled = await().atMost(PATIENCE).until(() -> jobs.find(store, longJob).orElseThrow(),
                job -> job.status() == JobStatus.CANCELLED);
        Duration took = Duration.between(asked, Instant.now());
        System.out.printf("a 40,000-order export cancelled mid-run: cancelled %d ms after the call, after %d rows%n",
                took.toMillis(), cancelled.rowsExported());

        assertThat(cancel.getStatusCode()).as(cancel.getBody()).isEqualTo(200);
        assertThat(cancel.getBody()).contains("\"status\":\"cancelling\"");
        assertThat(took).as("from the call to cancelled").isLessThan(Duration.ofSeconds(10));
        String prefix = ExportFiles.PREFIX + store.value() + "/" + longJob;
        assertThat(stack.s3().listMultipartUploads(r -> r.bucket(stack.settingsOf(FUNCTION).exportBucket())
                .prefix(prefix)).uploads()).as("uploads left").isEmpty();
        assertThat(stack.s3().listObjectsV2(r -> r.bucket(stack.settingsOf(FUNCTION).exportBucket()).prefix(prefix))
                .contents()).as("file or checkpoints left").isEmpty();
        Job nextDone = await().atMost(PATIENCE).until(() -> jobs.find(store, next).orElseThrow(),
                job -> job.status() == JobStatus.COMPLETE);
        assertThat(nextDone.rowCount()).isEqualTo(48);
        assertThat(jobs.unfinishedJobs(store)).isEmpty();
    }

    @Test
    void aStoresNextJob_startsWhenTheOneBeforeItFails() {
        StoreId store = watch(storeWithOrders(TestStack.newStore(), 1));
        startTheMapping(false);

        // Reads every page, several turns, before it knows nothing matched.
        String failing = create(store, "eq(status,no-order-has-this)");
        String next = create(store, "lt(created_at,2018-01-10)");

        Job done = await().atMost(PATIENCE).until(() -> jobs.find(store, next).orElseThrow(),
                j -> j.status() == JobStatus.COMPLETE);

        Job failed = jobs.find(store, failing).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo(OrderExporter.NO_RESULTS);
        assertThat(failed.updatedAt()).isBefore(done.updatedAt());
        assertThat(turnsOf(next)).extracting(Turn::event).containsExactly("INSERT", "MODIFY");
    }

    @Test
    void aJobThatHasStarted_goesOnWhenAnOlderOneIsCountedAfterIt() {
        // Two creates racing: the older id is counted only after the newer job has started.
        StoreId store = TestStack.newStore();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job older = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), "eq(status,complete)", now);
        Job started = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), "eq(status,complete)", now);
        Job newest = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), "eq(status,complete)", now);
        jobs.create(started, Optional.empty(), 10, now);
        leases.claim(store, started.id(), now, Duration.ofSeconds(60)).claim().orElseThrow();
        jobs.create(older, Optional.empty(), 10, now);
        jobs.create(newest, Optional.empty(), 10, now);

        assertThat(leases.waitsForAnOlderJob(store, started.id())).isFalse();
        assertThat(leases.waitsForAnOlderJob(store, older.id())).isFalse();
        assertThat(leases.waitsForAnOlderJob(store, newest.id())).isTrue();
    }

    @Test
    void wakeNext_wakesTheOldestUnfinishedJobOnlyWhileItIsPending() {
        StoreId store = TestStack.newStore();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job first = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), "eq(status,complete)", now);
        Job second = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), "eq(status,complete)", now);
        jobs.create(first, Optional.empty(), 10, now);
        jobs.create(second, Optional.empty(), 10, now);

        assertThat(leases.wakeNext(store, Instant.now())).contains(first.id());
        leases.claim(store, first.id(), now, Duration.ofSeconds(60)).claim().orElseThrow();
        assertThat(leases.wakeNext(store, Instant.now())).as("the oldest is running already").isEmpty();
        assertThat(leases.wakeNext(TestStack.newStore(), Instant.now())).as("a store with nothing unfinished").isEmpty();
    }

    // ---- helpers

    /**
     * The mapping the template declares, delivering to the export function the records of the stores under
     * test (other tests' records are acknowledged and dropped), ordered by store or, as AWS documents for
     * DynamoDB streams, by item.
     */
    private void startTheMapping(boolean byItem) {
        RequestHandler<DynamodbEvent, StreamsEventResponse> function = (event, context) -> {
            DynamodbEvent.DynamodbStreamRecord record = event.getRecords().get(0);
            String store = record.getDynamodb().getKeys().get("store_id").getS();
            if (!watched.contains(store)) {
                return new StreamsEventResponse();
            }
            turns.add(new Turn(store, record.getDynamodb().getKeys().get("job_id").getS(), record.getEventName()));
            return exporter.handleRequest(event, context);
        };
        mapping = EventSourceMapping.of(stack.resources(), stack.dynamo(), FUNCTION, () -> function, byItem);
        mapping.start();
    }

    private StoreId watch(StoreId store) {
        watched.add(store.value());
        return store;
    }

    /** Loads {@code sources} demo stores' worth of orders (1,500 each, interleaved in time) into {@code store}. */
    private static StoreId storeWithOrders(StoreId store, int sources) {
        for (String source : List.of("a", "b", "c").subList(0, sources)) {
            orders.putAll(store, DemoOrders.forStore(source));
        }
        return store;
    }

    /** A new store whose records the mapping, ordering by store, puts on the same lane as {@code other}'s. */
    private static StoreId storeOnLaneOf(StoreId other) {
        int lane = Lanes.laneOf(other.value(), lanes);
        while (true) {
            StoreId candidate = TestStack.newStore();
            if (Lanes.laneOf(candidate.value(), lanes) == lane) {
                return candidate;
            }
        }
    }

    private String create(StoreId store, String filter) {
        APIGatewayV2HTTPResponse response = api.handleRequest(request("POST", "/v2/jobs").store(store)
                .body("{\"data\":{\"job_type\":\"order_export\",\"filter\":\"" + filter + "\"}}").build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        try {
            return mapper.readTree(response.getBody()).path("data").path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Turn> turnsOf(String job) {
        synchronized (turns) {
            return turns.stream().filter(t -> t.job().equals(job)).toList();
        }
    }
}
