package com.orderexport.exporter;

import static com.orderexport.testing.KitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import com.orderexport.filter.OrderFilter;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.JobSweeps;
import com.orderexport.local.StreamFeeder;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderStore;
import com.orderexport.stack.StackResources;
import com.orderexport.store.StoreId;
import com.orderexport.export.OrderExportHandler;
import com.orderexport.testing.Documentation;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.testing.FaultProxy;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.Orders;
import com.orderexport.testing.ProxiedClients;
import com.orderexport.testing.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The export on a bad day, through a fault-injecting TCP proxy between the functions' SDK clients and the
 * emulator: latency, connection resets, an outage longer than every retry, a crash in the middle of a run.
 * The stream mapping is played as Lambda plays it (each record tried once and retried three times, then sent
 * to the failure queue and forgotten), the sweeper as its schedule would run it. After each fault every job
 * must end complete with exactly the right rows, byte for byte the file of a clean run, or failed with a
 * reason, within the bound the test states, leaving no multipart upload and no checkpoint behind.
 */
@ExtendWith(EmulatorExtension.class)
class FaultsIT {

    static final String FUNCTION = "OrderExportFunction";
    static final int ORDERS = 1_200;
    /** Small parts and a short lease, so a run spans several parts, pages and renewals. */
    static final ExportTuning TUNING = new ExportTuning(ExportTuning.DEFAULT_PART_SIZE, 2, 2, Duration.ofSeconds(30),
            Duration.ofSeconds(3));
    static final List<String> FILTERS = List.of(
            "ge(created_at,2019-01-01)",
            "eq(payment,paid)",
            "ge(created_at,2019-03-01):lt(created_at,2019-06-01):eq(status,complete)");
    /** Real time within which every job must be decided once the fault is over. */
    static final Duration BOUND = Duration.ofSeconds(90);

    static URI emulator;
    static StackResources resources;
    static DynamoDbClient dynamo;
    static S3Client s3;
    static Settings settings;
    static JobStore jobs;
    static ExportedFiles files;
    static final Map<String, ExportedFile> cleanRun = new LinkedHashMap<>();
    static final Map<String, Integer> expectedRows = new LinkedHashMap<>();

    FaultProxy proxy;
    StoreId store;
    StreamFeeder feeder;
    Instant sweepClock;
    final AtomicInteger crashes = new AtomicInteger();

    @AfterAll
    static void deleteOwnTables() {
        resources.delete(dynamo, s3);
    }

    @BeforeAll
    static void ownStackWithOrders(TestStack stack) throws Exception {
        emulator = stack.emulator().endpoint();
        dynamo = stack.dynamo();
        s3 = stack.s3();
        resources = StackResources.create(stack.template(), dynamo, s3, "faults-" + UUID.randomUUID().toString().substring(0, 6));
        settings = resources.settingsOf(FUNCTION);
        jobs = new JobStore(dynamo, settings.jobsTable());
        files = new ExportedFiles(jobs, s3, settings.exportBucket());
        StoreId clean = TestStack.newStore();
        List<JsonNode> documents = orders();
        new OrderStore(dynamo, settings.ordersTable()).putAll(clean, documents);
        OrderExporter direct = new OrderExporter(new ExportLeases(dynamo, settings.jobsTable()),
                new OrderStore(dynamo, settings.ordersTable()), s3, settings.exportBucket(), TUNING, Clock.systemUTC());
        for (String filter : FILTERS) {
            Job job = JobBuilder.pending(clean, filter).createIn(jobs);
            assertThat(direct.export(clean, job.id(), Instant.now().plus(Duration.ofMinutes(5))))
                    .isEqualTo(OrderExporter.Outcome.COMPLETE);
            cleanRun.put(filter, files.of(jobs.find(clean, job.id()).orElseThrow()));
            OrderFilter parsed = OrderFilter.parse(filter);
            expectedRows.put(filter, (int) documents.stream().map(Order::fromDocument).filter(parsed).count());
        }
    }

    @BeforeEach
    void storeBehindAProxy() throws IOException {
        store = TestStack.newStore();
        new OrderStore(dynamo, settings.ordersTable()).putAll(store, orders());
        feeder = new StreamFeeder(resources, dynamo, FUNCTION);
        proxy = FaultProxy.to(emulator);
        sweepClock = Instant.now();
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void latency_onEveryChunk_everyJobCompletesWithTheCleanRunsFile() {
        proxy.latency(FaultProxy.Direction.UPSTREAM, Duration.ofMillis(15))
                .latency(FaultProxy.Direction.DOWNSTREAM, Duration.ofMillis(15));
        List<Job> created = createJobs();

        settle(created);

        record("latency, 15 ms per chunk each way", created);
        assertEveryJobCompleteAndClean(created);
    }

    @Test
    void resets_ofNewAndOpenConnections_everyJobCompletesWithTheCleanRunsFile() {
        proxy.resetNextConnections(4);
        List<Job> created = createJobs();
        CompletableFuture<Void> resetting = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 5; i++) {
                awaitTraffic(proxy.bytes(FaultProxy.Direction.DOWNSTREAM) + 200_000);
                proxy.resetOpenConnections();
            }
        });

        settle(created);
        resetting.cancel(true);

        assertThat(proxy.connectionsReset()).isPositive();
        record("connection resets (" + proxy.connectionsReset() + ", new and open connections)", created);
        assertEveryJobCompleteAndClean(created);
    }

    @Test
    void anOutageLongerThanEveryRetry_theSweeperFinishesEveryJobOnceItIsOver() {
        List<Job> created = createJobs();
        proxy.outage(FaultProxy.Outage.REFUSE);

        deliverAsLambdaWould();   // every record's four tries fail: all go to the failure queue
        assertThat(unfinished(created)).hasSize(created.size());
        proxy.heal();
        settle(created);

        record("outage longer than every retry, from the start", created);
        assertEveryJobCompleteAndClean(created);
    }

    @Test
    void anOutageInTheMiddleOfTheExports_theSweeperFinishesEveryJobOnceItIsOver() {
        List<Job> created = createJobs();
        CompletableFuture<Void> outage = CompletableFuture.runAsync(() -> {
            awaitTraffic(300_000);
            proxy.outage(FaultProxy.Outage.REFUSE, Duration.ofSeconds(8));
        });

        deliverAsLambdaWould();
        outage.join();
        awaitHealed();
        settle(created);

        record("8 s outage in the middle of the exports", created);
        assertEveryJobCompleteAndClean(created);
    }

    @Test
    void aCrashInTheMiddleOfAnExport_theRetryCompletesTheJobWithTheCleanRunsFile() {
        List<Job> created = createJobs();
        AtomicInteger parts = new AtomicInteger();
        // The second part upload of the run dies as an out-of-memory would, once.
        OrderExportHandler crashing = handler(interceptor -> {
            if (interceptor instanceof UploadPartRequest && parts.incrementAndGet() == 2) {
                crashes.incrementAndGet();
                throw new OutOfMemoryError("injected crash in the middle of an export");
            }
        });

        settle(created, crashing);

        assertThat(crashes).hasValue(1);
        record("crash (OutOfMemoryError) in the middle of an export", created);
        assertEveryJobCompleteAndClean(created);
    }

    @Test
    void aRunThatCrashesEveryTime_isFailedWithAReasonAndLeavesNothingBehind() {
        Job doomed = JobBuilder.pending(store, FILTERS.get(0)).createIn(jobs);
        OrderExportHandler alwaysCrashing = handler(request -> {
            if (request instanceof UploadPartRequest) {
                throw new OutOfMemoryError("injected crash on every part");
            }
        });

        settle(List.of(doomed), alwaysCrashing);

        record("a run that crashes every time", List.of(doomed));
        assertThat(jobs.find(store, doomed.id()).orElseThrow()).isFailedWith(Sweeper.GAVE_UP);
        assertNoLeftovers();
    }

    // ---- playing Lambda, the sweeper and the clock

    List<Job> createJobs() {
        List<Job> created = new ArrayList<>();
        for (String filter : FILTERS) {
            created.add(JobBuilder.pending(store, filter).createIn(jobs));
        }
        return created;
    }

    void settle(List<Job> created) {
        settle(created, handler(request -> { }));
    }

    /**
     * Delivers the stream's records, then runs the sweeper as its schedule would (each sweep a sweep interval
     * plus StuckAfterSeconds later on the sweeper's clock, so every stale job qualifies), until every job is
     * decided; fails past {@link #BOUND} of real time.
     */
    void settle(List<Job> created, OrderExportHandler function) {
        Instant deadline = Instant.now().plus(BOUND);
        deliverAsLambdaWould(function);
        while (!unfinished(created).isEmpty()) {
            assertThat(Instant.now()).as("every job decided within %s; unfinished: %s", BOUND, unfinished(created))
                    .isBefore(deadline);
            sweepClock = sweepClock.plus(Duration.ofMinutes(16));
            new Sweeper(new JobSweeps(dynamo, settings.jobsTable()), s3, settings.exportBucket(), Duration.ofMinutes(15),
                    3, Clock.fixed(sweepClock, ZoneOffset.UTC)).sweep();
            deliverAsLambdaWould(function);
        }
    }

    void deliverAsLambdaWould() {
        deliverAsLambdaWould(handler(request -> { }));
    }

    void deliverAsLambdaWould(OrderExportHandler function) {
        ProxiedClients.deliverAsLambdaWould(feeder.poll(store.value()), function);
    }

    /** The template's export function with its SDK clients behind the proxy. */
    OrderExportHandler handler(RequestFault fault) {
        DynamoDbClient viaProxy = ProxiedClients.dynamo(proxy);
        S3Client s3ViaProxy = ProxiedClients.s3(proxy, fault::before);
        return new OrderExportHandler(new OrderExporter(new ExportLeases(viaProxy, settings.jobsTable()),
                new OrderStore(viaProxy, settings.ordersTable()), s3ViaProxy, settings.exportBucket(), TUNING,
                Clock.systemUTC()), Clock.systemUTC());
    }

    /** What a test does to a request before the SDK sends it. */
    interface RequestFault {
        void before(Object request);
    }

    List<String> unfinished(List<Job> created) {
        return created.stream().map(job -> jobs.find(store, job.id()).orElseThrow())
                .filter(job -> !job.status().isFinal()).map(Job::id).toList();
    }

    void awaitTraffic(long bytes) {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        while (proxy.bytes(FaultProxy.Direction.DOWNSTREAM) < bytes && Instant.now().isBefore(giveUp)) {
            Thread.onSpinWait();
        }
    }

    void awaitHealed() {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        while (proxy.inOutage() && Instant.now().isBefore(giveUp)) {
            Thread.onSpinWait();
        }
        assertThat(proxy.inOutage()).isFalse();
    }

    /** A row of docs/testing.md's fault table (checked to be there), written to target/fault-table.md as the tests run. */
    void record(String fault, List<Job> created) {
        List<Job> now = created.stream().map(job -> jobs.find(store, job.id()).orElseThrow()).toList();
        long complete = now.stream().filter(job -> job.status() == JobStatus.COMPLETE).count();
        long failed = now.stream().filter(job -> job.status() == JobStatus.FAILED && job.error() != null).count();
        long stuck = now.stream().filter(job -> !job.status().isFinal()).count();
        long leftovers = s3.listMultipartUploads(r -> r.bucket(settings.exportBucket())
                .prefix(ExportFiles.PREFIX + store.value() + "/")).uploads().size()
                + s3.listObjectsV2(r -> r.bucket(settings.exportBucket()).prefix(ExportFiles.PREFIX + store.value() + "/"))
                .contents().stream().filter(o -> o.key().contains(".checkpoint-")).count();
        String row = "| " + fault + " | " + now.size() + " | " + complete + " | " + failed + " | " + stuck + " | "
                + leftovers + " |" + System.lineSeparator();
        try {
            Files.writeString(Path.of("target", "fault-table.md"), row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(Documentation.hasFaultRow(row)).as("docs/testing.md's fault table has the row this run measured: " + row)
                .isTrue();
    }

    // ---- what must hold after every fault

    void assertEveryJobCompleteAndClean(List<Job> created) {
        for (int i = 0; i < created.size(); i++) {
            String filter = FILTERS.get(i);
            Job job = jobs.find(store, created.get(i).id()).orElseThrow();
            assertThat(job).isComplete().hasRows(expectedRows.get(filter));
            assertThat(files.of(job)).isByteIdenticalTo(cleanRun.get(filter));
        }
        assertNoLeftovers();
    }

    void assertNoLeftovers() {
        assertThat(s3.listMultipartUploads(r -> r.bucket(settings.exportBucket())
                .prefix(ExportFiles.PREFIX + store.value() + "/")).uploads()).as("open multipart uploads").isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(settings.exportBucket()).prefix(ExportFiles.PREFIX + store.value() + "/"))
                .contents()).as("checkpoints left").noneMatch(o -> o.key().contains(".checkpoint-"));
    }

    static List<JsonNode> orders() {
        List<JsonNode> documents = new ArrayList<>();
        Instant start = Instant.parse("2019-01-01T00:00:00Z");
        String[] payments = {"paid", "unpaid", "refunded"};
        String[] statuses = {"complete", "incomplete", "cancelled"};
        for (int i = 0; i < ORDERS; i++) {
            documents.add(Orders.typicalOrder(String.format("fault-%05d", i), start.plus(Duration.ofHours(6L * i)))
                    .payment(payments[i % 3]).status(statuses[(i / 3) % 3])
                    .customer("c-" + i, "Customer " + i, "customer" + i + "@example.com").document());
        }
        return documents;
    }
}
