package com.orderexport.exporter;

import static com.orderexport.testing.KitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import com.orderexport.files.MultipartUpload;
import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobCancels;
import com.orderexport.jobs.JobProblem;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.JobSweeps;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.local.StreamFeeder;
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
import java.net.URI;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Exports that span many invocations on a bad day: every run takes one page per slice and hands off, so each
 * fault lands in a run that resumed a checkpoint (the first call only a resumed run makes, ListParts on its
 * upload, sets it off). DynamoDB and S3 sit behind fault proxies of their own, so one can fail while the other
 * answers. After each fault the job ends complete, byte for byte the file of a clean run, with no upload,
 * checkpoint or second live record left; or, past the part limit, failed with a reason. A client's cancel, landing
 * at each point of a run's life, ends the job cancelled with nothing of it left, or complete, never both.
 */
@ExtendWith(EmulatorExtension.class)
class LongExportFaultsIT {

    static final String FUNCTION = "OrderExportFunction";
    /** About 7 MB of slim rows: some eight pages of DynamoDB's 1 MB, parts of the smallest size. */
    static final int ORDERS = 1_200;
    static final String FILTER = "ge(created_at,2015-01-01)";
    /**
     * A one-millisecond quantum: each run writes one page per slice, then hands off. The 10 s lease outlasts a
     * renewal that a loaded emulator answers late, and is shorter than the 12 s outage that must make a run stop.
     */
    static final ExportTuning HANDING_OFF = new ExportTuning(MultipartUpload.MIN_PART_SIZE, 2, 2,
            Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMillis(1));
    /**
     * One run that goes on until the export is done, uploading parts as it goes (one slice, so no part is held
     * back for joining): only its heartbeat, or a refused write, can stop it.
     */
    static final ExportTuning UNHURRIED = new ExportTuning(MultipartUpload.MIN_PART_SIZE, 2, 1,
            Duration.ofSeconds(30), Duration.ofSeconds(10));
    static final Duration BOUND = Duration.ofMinutes(3);
    /**
     * Four slices of 5 MiB parts sharing nine part numbers: two for each slice (its head, then one part) and the
     * file's tail, so a slice holds at most 15 MiB.
     */
    static final ExportTuning TIGHT = new ExportTuning(MultipartUpload.MIN_PART_SIZE, 2, 4, Duration.ofSeconds(30),
            Duration.ofSeconds(30), ExportTuning.NO_QUANTUM, 9);
    /** Delivery notes repeated so a row is about 6 KB (hand-off tests) or 16 KB (part-limit tests, 19 MB in all). */
    static final int SLIM = 130;
    static final int FAT = 340;

    static URI emulator;
    static StackResources resources;
    static DynamoDbClient dynamo;
    static S3Client s3;
    static Settings settings;
    static JobStore jobs;
    static ExportedFiles files;
    static ExportedFile cleanRun;

    StoreId store;
    FaultProxy dynamoProxy;
    FaultProxy s3Proxy;
    StreamFeeder feeder;
    Instant sweepClock;
    /** Uploads the function started: one per job unless a run threw away another's progress. */
    final AtomicInteger uploadsStarted = new AtomicInteger();
    /** The whole-file checksum the last completion of an upload named. */
    final AtomicReference<String> completedWith = new AtomicReference<>();
    /** The upload the last completion completed. */
    final AtomicReference<String> completedUpload = new AtomicReference<>();
    /** Uploads the function completed: one per job unless a run wrote the file again. */
    final AtomicInteger uploadsCompleted = new AtomicInteger();

    @AfterAll
    static void deleteOwnTables() {
        resources.delete(dynamo, s3);
    }

    @BeforeAll
    static void ownStackAndACleanRun(TestStack stack) throws Exception {
        emulator = stack.emulator().endpoint();
        dynamo = stack.dynamo();
        s3 = stack.s3();
        resources = StackResources.create(stack.template(), dynamo, s3, "long-" + UUID.randomUUID().toString().substring(0, 6));
        settings = resources.settingsOf(FUNCTION);
        jobs = new JobStore(dynamo, settings.jobsTable());
        files = new ExportedFiles(jobs, s3, settings.exportBucket());
        StoreId clean = TestStack.newStore();
        new OrderStore(dynamo, settings.ordersTable()).putAll(clean, orders(Instant.parse("2021-03-01T00:00:00Z"), SLIM));
        // Sequential and in one run: the file every other plan and every fault must reproduce.
        Job job = JobBuilder.pending(clean, FILTER).createIn(jobs);
        assertThat(direct(ExportTuning.sequential().withLease(Duration.ofSeconds(30))).export(clean, job.id(), inTenMinutes()))
                .isEqualTo(OrderExporter.Outcome.COMPLETE);
        cleanRun = files.of(jobs.find(clean, job.id()).orElseThrow());
        assertThat(cleanRun.rowCount()).isEqualTo(ORDERS);
    }

    @BeforeEach
    void storeBehindProxies() throws IOException {
        store = TestStack.newStore();
        new OrderStore(dynamo, settings.ordersTable()).putAll(store, orders(Instant.parse("2021-03-01T00:00:00Z"), SLIM));
        feeder = new StreamFeeder(resources, dynamo, FUNCTION);
        dynamoProxy = FaultProxy.to(emulator);
        s3Proxy = FaultProxy.to(emulator);
        sweepClock = Instant.now();
    }

    @AfterEach
    void closeProxies() {
        dynamoProxy.close();
        s3Proxy.close();
    }

    @Test
    void anOutageOfDynamoDbAloneInAResumedRun_theJobCompletesWithTheCleanRunsFile() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        AtomicReference<String> struck = new AtomicReference<>();
        OrderExportHandler function = handler(request -> {
            if (request instanceof ListPartsRequest resume && struck.compareAndSet(null, resume.uploadId())) {
                // S3 keeps answering: the run must not dispose of the upload its checkpoint names.
                dynamoProxy.outage(FaultProxy.Outage.REFUSE, Duration.ofSeconds(12));
            }
        });

        settle(job, function);

        assertThat(struck).doesNotHaveNullValue();
        record("12 s DynamoDB outage (S3 up) in a resumed run", job);
        assertCompleteAndClean(job);
        // Counting uploads would not do: a fresh run that a slow emulator fails before its first hand-off rightly
        // starts over. What matters is that the file is the upload the struck run had resumed.
        assertThat(completedUpload.get()).as("the resumed upload outlived the failed run").isEqualTo(struck.get());
        // S3 is given the whole file's checksum, so it refuses parts that do not add up. moto checks nothing (and,
        // without the CRT library, reports a CRC-32 in its place), so the request is what is checked here.
        assertThat(completedWith.get()).isEqualTo(jobs.find(store, job.id()).orElseThrow().crc64nvme());
    }

    @Test
    void connectionResetsInAResumedRun_theJobCompletesWithTheCleanRunsFile() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        AtomicBoolean struck = new AtomicBoolean();
        List<CompletableFuture<Void>> resetting = new ArrayList<>();
        OrderExportHandler function = handler(request -> {
            if (request instanceof ListPartsRequest && struck.compareAndSet(false, true)) {
                resetting.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 4; i++) {
                        pause(Duration.ofMillis(150));
                        dynamoProxy.resetOpenConnections();
                        s3Proxy.resetOpenConnections();
                    }
                }));
            }
        });

        settle(job, function);
        resetting.forEach(CompletableFuture::join);

        assertThat(dynamoProxy.connectionsReset() + s3Proxy.connectionsReset()).isPositive();
        record("connection resets (" + (dynamoProxy.connectionsReset() + s3Proxy.connectionsReset())
                + ") in a resumed run", job);
        assertCompleteAndClean(job);
    }

    @Test
    void aCrashInAResumedRun_theRetryGoesOnFromTheCheckpointAndCompletesTheCleanRunsFile() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        AtomicBoolean resumed = new AtomicBoolean();
        AtomicInteger crashes = new AtomicInteger();
        AtomicReference<String> crashedUpload = new AtomicReference<>();
        OrderExportHandler function = handler(request -> {
            if (request instanceof ListPartsRequest) {
                resumed.set(true);
            }
            if (request instanceof UploadPartRequest part && resumed.get() && crashes.compareAndSet(0, 1)) {
                crashedUpload.set(part.uploadId());
                throw new OutOfMemoryError("injected crash in a resumed run");
            }
        });

        settle(job, function);

        assertThat(crashes).hasValue(1);
        record("crash (OutOfMemoryError) in a resumed run", job);
        assertCompleteAndClean(job);
        assertThat(completedUpload.get()).as("the retry went on with the crashed run's upload")
                .isEqualTo(crashedUpload.get());
    }

    @Test
    void anOutageOfDynamoDbAsTheFileIsCompleted_theRetryRecordsThatFileWithoutWritingItAgain() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        AtomicBoolean struck = new AtomicBoolean();
        AtomicInteger startedBeforeTheOutage = new AtomicInteger();
        OrderExportHandler function = handler(request -> {
            if (request instanceof CompleteMultipartUploadRequest && struck.compareAndSet(false, true)) {
                startedBeforeTheOutage.set(uploadsStarted.get());
                // S3 completes the object; the job's complete write, its release and the lease all fail after it.
                dynamoProxy.outage(FaultProxy.Outage.REFUSE, Duration.ofSeconds(12));
            }
        });

        settle(job, function);

        assertThat(struck).isTrue();
        record("12 s DynamoDB outage as the file is completed", job);
        assertCompleteAndClean(job);
        assertThat(uploadsStarted).as("no upload was started after the file was completed")
                .hasValue(startedBeforeTheOutage.get());
        assertThat(uploadsCompleted).as("the completed file was recorded, not written again").hasValue(1);
    }

    // ---- progress

    @Test
    void aRunningExportsProgress_risesTo1_andOnceHalfIsReadItsEstimateIsWithinAQuarterOfTheActualFinish()
            throws Exception {
        // Some twenty pages, each DynamoDB request waiting the same: an evenly spread store read at an even pace.
        store = storeWith(orders(Instant.parse("2021-03-01T00:00:00Z"), FAT));
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        // 1.2 s a request outweighs the emulator's own pauses (a loaded moto answering a page a second or two late).
        dynamoProxy.latency(FaultProxy.Direction.UPSTREAM, Duration.ofMillis(1200));
        List<Map<String, AttributeValue>> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean exporting = new AtomicBoolean(true);
        CompletableFuture<Void> sampling = CompletableFuture.runAsync(() -> {
            while (exporting.get()) {
                samples.add(item(job));
                pause(Duration.ofMillis(200));
            }
        });

        OrderExporter.Outcome outcome = exporterViaProxies(request -> { }, UNHURRIED).export(store, job.id(),
                inTenMinutes());
        exporting.set(false);
        sampling.join();

        assertThat(outcome).isEqualTo(OrderExporter.Outcome.COMPLETE);
        Map<String, AttributeValue> done = item(job);
        assertThat(Double.parseDouble(done.get("progress").n())).isEqualTo(1.0);
        assertThat(done).doesNotContainKey("estimated_completion_at");
        List<Double> shares = samples.stream().filter(sample -> sample.containsKey("progress"))
                .map(sample -> Double.parseDouble(sample.get("progress").n())).toList();
        assertThat(shares).as("progress as it was read").isSorted();
        assertThat(shares.stream().filter(share -> share > 0 && share < 1).distinct().count())
                .as("steps between 0 and 1").isGreaterThanOrEqualTo(3);
        Instant started = samples.stream().filter(sample -> sample.containsKey("progress")).findFirst()
                .map(sample -> Instant.parse(sample.get("updated_at").s())).orElseThrow();
        Instant finished = Instant.parse(done.get("updated_at").s());
        long quarter = Duration.between(started, finished).toMillis() / 4;
        List<Instant> estimates = samples.stream().filter(sample -> sample.containsKey("estimated_completion_at")
                        && Double.parseDouble(sample.get("progress").n()) >= 0.5)
                .map(sample -> Instant.ofEpochMilli(Long.parseLong(sample.get("estimated_completion_at").n())))
                .toList();
        assertThat(estimates).as("estimates once half was read").isNotEmpty();
        String series = samples.stream().filter(sample -> sample.containsKey("progress"))
                .map(sample -> sample.get("progress").n() + "@" + Optional.ofNullable(sample.get("estimated_completion_at"))
                        .map(e -> Instant.ofEpochMilli(Long.parseLong(e.n())).toString()).orElse("-"))
                .toList().toString();
        long worst = estimates.stream().mapToLong(estimate -> Math.abs(Duration.between(finished, estimate).toMillis()))
                .max().orElse(0);
        System.out.printf("progress estimates once half was read: worst %d ms off the finish, %d%% of the export's "
                + "%d ms%n", worst, 100 * worst / Duration.between(started, finished).toMillis(),
                Duration.between(started, finished).toMillis());
        assertThat(estimates).allSatisfy(estimate -> assertThat(Math.abs(Duration.between(finished, estimate).toMillis()))
                .as("estimate %s against the finish %s of an export started %s: %s", estimate, finished, started, series)
                .isLessThanOrEqualTo(quarter));
    }

    // ---- cancels

    @Test
    void aCancelWhileARunWrites_isSeenByItsHeartbeat_whichStopsItWithNothingLeftAndTheStoresNextJobRuns()
            throws Exception {
        store = storeWith(orders(Instant.parse("2021-03-01T00:00:00Z"), FAT));
        JobService service = service();
        Job job = service.create(store, "order_export", FILTER, ExportOptions.Requested.NONE, Optional.empty()).job();
        Job next = service.create(store, "order_export", FILTER, ExportOptions.Requested.NONE, Optional.empty()).job();
        AtomicReference<Instant> cancelledAt = new AtomicReference<>();
        AtomicInteger checkpointsSaved = new AtomicInteger();
        OrderExporter exporter = exporterViaProxies(request -> {
            if (request instanceof PutObjectRequest put && put.key().contains(".checkpoint-")) {
                checkpointsSaved.incrementAndGet();
            }
            if (request instanceof UploadPartRequest && cancelledAt.compareAndSet(null, Instant.now())) {
                cancel(job);
                // The run is mid-file and would go on; only its heartbeat can tell it the job was cancelled.
                pause(Duration.ofSeconds(4));
            }
        }, UNHURRIED);

        OrderExporter.Outcome outcome = exporter.export(store, job.id(), inTenMinutes());
        Duration stoppedAfter = Duration.between(cancelledAt.get(), Instant.now());

        assertThat(outcome).isEqualTo(OrderExporter.Outcome.CANCELLED);
        assertThat(uploadsCompleted).as("no file was completed").hasValue(0);
        assertThat(checkpointsSaved).as("nothing was handed on").hasValue(0);
        assertThat(stoppedAfter).as("stopped within the lease").isLessThan(Duration.ofSeconds(10));
        assertCancelledAndClean(job);
        settle(next, handler(request -> { }));
        assertThat(jobs.find(store, next.id()).orElseThrow()).isComplete().hasRows(ORDERS);
        assertThat(jobs.unfinishedJobs(store)).isEmpty();
    }

    @Test
    void aCancelAsTheFileIsCompleted_endsCancelledWithTheCompletedFileDeleted() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        AtomicBoolean struck = new AtomicBoolean();
        AtomicInteger startedBeforeTheOutage = new AtomicInteger();
        OrderExportHandler function = handler(request -> {
            if (request instanceof CompleteMultipartUploadRequest && struck.compareAndSet(false, true)) {
                startedBeforeTheOutage.set(uploadsStarted.get());
                cancel(job);
            }
        });

        settle(job, function);

        assertThat(struck).isTrue();
        assertThat(uploadsCompleted).as("the object was completed, then the job's record refused").hasValue(1);
        assertCancelledAndClean(job);
    }

    @Test
    void aCancelDuringAHandOff_endsCancelledWithTheCheckpointItSavedDeleted() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        AtomicBoolean struck = new AtomicBoolean();
        OrderExportHandler function = handler(request -> {
            if (request instanceof PutObjectRequest put && put.key().contains(".checkpoint-")
                    && struck.compareAndSet(false, true)) {
                cancel(job);
            }
        });

        settle(job, function);

        assertThat(struck).isTrue();
        assertCancelledAndClean(job);
    }

    @Test
    void aCancelOfAJobTheSweeperRedrove_endsCancelledWhenTheRedrivenRecordComes() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        OrderExportHandler function = handler(request -> { });
        deliverOnce(function);
        sweep();
        assertThat(item(job).get("export_stage").s()).isEqualTo("redriven");

        assertThat(cancel(job).status()).isEqualTo(JobStatus.CANCELLING);
        deliverUntilQuiet(function);

        assertCancelledAndClean(job);
    }

    @Test
    void twoCancelsAtOnce_bothAnswerTheJobAndItIsCancelledOnce() throws Exception {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        OrderExportHandler function = handler(request -> { });
        deliverOnce(function);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<Job>> cancels = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            cancels.add(clients.submit(() -> {
                start.await();
                return cancel(job);
            }));
        }
        start.countDown();
        for (Future<Job> answer : cancels) {
            assertThat(answer.get().status()).isEqualTo(JobStatus.CANCELLING);
        }
        clients.shutdown();

        settle(job, function);

        assertCancelledAndClean(job);
    }

    @Test
    void aCancelBeforeTheExportStarted_cancelsAtOnceAndItsRecordWritesNothing() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);

        assertThat(cancel(job).status()).isEqualTo(JobStatus.CANCELLED);
        settle(job, handler(request -> { }));

        assertThat(uploadsStarted).hasValue(0);
        assertCancelledAndClean(job);
    }

    @Test
    void aCancellingJobWhoseRunDied_isFinishedByTheSweeper() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        deliverOnce(handler(request -> { }));
        assertThat(cancel(job).status()).isEqualTo(JobStatus.CANCELLING);

        // No record is delivered: the run is gone, and so is the cancel's record.
        sweep();

        assertCancelledAndClean(job);
    }

    @Test
    void aRedriveWhileTheHandedOffRecordIsQueued_theOlderRecordClaimsNothingAndTheJobKeepsOneLiveRecord() {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        OrderExportHandler function = handler(request -> { });
        // The first run hands off; its record waits in the lane while the sweeper finds the job stuck.
        deliverOnce(function);
        assertThat(item(job).get("export_stage").s()).isEqualTo("handed-off");
        sweep();
        assertThat(item(job).get("export_stage").s()).isEqualTo("redriven");

        settle(job, function);

        Map<String, AttributeValue> done = item(job);
        // Every turn's record claimed the job once, but the one the redrive superseded: one claim fewer than turns + 1.
        assertThat(Long.parseLong(done.get("attempt").n())).isEqualTo(Long.parseLong(done.get("turn").n()));
        assertThat(done).as("progress resets the redrive count").doesNotContainKey("redrives");
        record("redrive while the handed-off record is queued", job);
        assertCompleteAndClean(job);
        assertThat(uploadsStarted).hasValue(1);
    }

    @Test
    void aDecideRacingABurstOfCreatesOnTheSameStore_completesTheJobAndEveryCreateIsStoredOrRefused() throws Exception {
        Job job = JobBuilder.pending(store, FILTER).createIn(jobs);
        JobService service = new JobService(jobs, new LinkSigner(S3Presigner.create(), settings.exportBucket()),
                Duration.ofHours(1), Clock.systemUTC(), 15);
        long single = timed(() -> service.create(store, "order_export", "eq(payment,paid)", ExportOptions.Requested.NONE, Optional.empty()));
        ExecutorService clients = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> creates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            creates.add(clients.submit(() -> {
                start.await();
                return timed(() -> service.create(store, "order_export", "eq(payment,paid)", ExportOptions.Requested.NONE, Optional.empty()));
            }));
        }
        CompletableFuture<OrderExporter.Outcome> export = CompletableFuture.supplyAsync(
                () -> direct(ExportTuning.sequential()).export(store, job.id(), inTenMinutes()));
        start.countDown();
        List<Long> millis = new ArrayList<>();
        for (Future<Long> create : creates) {
            millis.add(create.get());  // a create that threw (a 5xx) fails the test here
        }
        clients.shutdown();

        assertThat(export.get()).isEqualTo(OrderExporter.Outcome.COMPLETE);
        millis.sort(null);
        System.out.printf("20 simultaneous creates of one store: p50 %d ms, p99 %d ms; a single create %d ms%n",
                millis.get(9), millis.get(19), single);
        record("a decide racing 20 simultaneous creates of its store", job);
        assertCompleteAndClean(job);
    }

    @Test
    void fourSlicesOverAFilterFromYearsBeforeTheOrders_spanTheOrdersAndWriteTheCleanRunsFile() {
        List<JsonNode> documents = orders(Instant.parse("2021-03-01T00:00:00Z"), FAT);
        ExportedFile sequential = cleanRunOf(documents);
        StoreId spread = storeWith(documents);
        Job job = JobBuilder.pending(spread, FILTER).createIn(jobs);

        // Had the slices spanned the filter's 2015 to now, the last would have held all 19 MB and needed four
        // part numbers of its two.
        assertThat(direct(TIGHT).export(spread, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.COMPLETE);

        store = spread;
        record("4 slices, filter from 2015 over orders from 2021, two part numbers a slice", job);
        Job done = jobs.find(spread, job.id()).orElseThrow();
        assertThat(done).isComplete().hasRows(ORDERS);
        assertThat(files.of(done)).isByteIdenticalTo(sequential);
        assertNoLeftovers();
    }

    @Test
    void aSliceThatWouldPassItsPartNumbers_failsTheJobWithAReasonAndLeavesNothingBehind() {
        List<JsonNode> documents = new ArrayList<>(orders(Instant.parse("2021-03-01T00:00:00Z"), FAT));
        documents.add(Orders.typicalOrder("early-bird", Instant.parse("2015-01-02T00:00:00Z")).document());
        StoreId skewed = storeWith(documents);
        Job job = JobBuilder.pending(skewed, FILTER).createIn(jobs);

        assertThat(direct(TIGHT).export(skewed, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.FAILED);

        store = skewed;
        record("one order in 2015, the rest from 2021: a slice past its part numbers", job);
        assertThat(jobs.find(skewed, job.id()).orElseThrow()).isFailedWith(
                "The export is larger than this service can write for one part of the filter's created_at range "
                        + "(about 10 MiB); split it into jobs over shorter created_at ranges");
        assertNoLeftovers();
    }

    static StoreId storeWith(List<JsonNode> documents) {
        StoreId created = TestStack.newStore();
        new OrderStore(dynamo, settings.ordersTable()).putAll(created, documents);
        return created;
    }

    static ExportedFile cleanRunOf(List<JsonNode> documents) {
        StoreId clean = storeWith(documents);
        Job job = JobBuilder.pending(clean, FILTER).createIn(jobs);
        assertThat(direct(ExportTuning.sequential().withLease(Duration.ofSeconds(30))).export(clean, job.id(), inTenMinutes()))
                .isEqualTo(OrderExporter.Outcome.COMPLETE);
        return files.of(jobs.find(clean, job.id()).orElseThrow());
    }

    // ---- playing Lambda, the sweeper and the clock

    /** Delivers until the stream is quiet, then sweeps as the schedule would, until the job is decided. */
    void settle(Job job, OrderExportHandler function) {
        Instant deadline = Instant.now().plus(BOUND);
        deliverUntilQuiet(function);
        while (!jobs.find(store, job.id()).orElseThrow().status().isFinal()) {
            assertThat(Instant.now()).as("job decided within %s", BOUND).isBefore(deadline);
            awaitHealed();
            sweep();
            deliverUntilQuiet(function);
        }
    }

    void deliverUntilQuiet(OrderExportHandler function) {
        while (deliverOnce(function) > 0) {
            // each hand-off's record comes in the next poll
        }
    }

    /** One poll's batches, delivered as Lambda would; how many there were. */
    int deliverOnce(OrderExportHandler function) {
        List<DynamodbEvent> batches = feeder.poll(store.value());
        ProxiedClients.deliverAsLambdaWould(batches, function);
        return batches.size();
    }

    /** A sweep a sweep interval plus StuckAfterSeconds later on the sweeper's clock: every quiet job is stale. */
    void sweep() {
        sweepClock = sweepClock.plus(Duration.ofMinutes(16));
        new Sweeper(new JobSweeps(dynamo, settings.jobsTable()), s3, settings.exportBucket(), Duration.ofMinutes(15),
                3, Clock.fixed(sweepClock, ZoneOffset.UTC)).sweep();
    }

    void awaitHealed() {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        while ((dynamoProxy.inOutage() || s3Proxy.inOutage()) && Instant.now().isBefore(giveUp)) {
            pause(Duration.ofMillis(50));
        }
        assertThat(dynamoProxy.inOutage() || s3Proxy.inOutage()).isFalse();
    }

    /** The template's export function, handing off after every page, its clients behind the two proxies. */
    OrderExportHandler handler(RequestFault fault) {
        return new OrderExportHandler(exporterViaProxies(fault, HANDING_OFF), Clock.systemUTC());
    }

    /** An exporter tuned as {@code tuning}, its clients behind the two proxies. */
    OrderExporter exporterViaProxies(RequestFault fault, ExportTuning tuning) {
        DynamoDbClient dynamoViaProxy = ProxiedClients.dynamo(dynamoProxy);
        S3Client s3ViaProxy = ProxiedClients.s3(s3Proxy, request -> {
            if (request instanceof CreateMultipartUploadRequest) {
                uploadsStarted.incrementAndGet();
            }
            if (request instanceof CompleteMultipartUploadRequest complete) {
                completedWith.set(complete.checksumCRC64NVME());
                completedUpload.set(complete.uploadId());
                uploadsCompleted.incrementAndGet();
            }
            fault.before(request);
        });
        return new OrderExporter(new ExportLeases(dynamoViaProxy, settings.jobsTable()),
                new OrderStore(dynamoViaProxy, settings.ordersTable()), s3ViaProxy, settings.exportBucket(), tuning,
                Clock.systemUTC());
    }

    /** What a test does to an S3 request before the SDK sends it. */
    interface RequestFault {
        void before(Object request);
    }

    static OrderExporter direct(ExportTuning tuning) {
        return new OrderExporter(new ExportLeases(dynamo, settings.jobsTable()),
                new OrderStore(dynamo, settings.ordersTable()), s3, settings.exportBucket(), tuning, Clock.systemUTC());
    }

    Map<String, AttributeValue> item(Job job) {
        return dynamo.getItem(r -> r.tableName(settings.jobsTable()).consistentRead(true).key(Map.of(
                "store_id", AttributeValue.fromS(store.value()), "job_id", AttributeValue.fromS(job.id())))).item();
    }

    static Instant inTenMinutes() {
        return Instant.now().plus(Duration.ofMinutes(10));
    }

    static long timed(Creating create) throws Exception {
        long started = System.nanoTime();
        try {
            create.run();
        } catch (JobProblem problem) {
            assertThat(problem.kind()).isEqualTo(JobProblem.Kind.AT_LIMIT);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    interface Creating {
        void run() throws Exception;
    }

    static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- what must hold

    void assertCompleteAndClean(Job job) {
        Job done = jobs.find(store, job.id()).orElseThrow();
        assertThat(done).isComplete().hasRows(ORDERS);
        assertThat(files.of(done)).isByteIdenticalTo(cleanRun);
        assertNoLeftovers();
    }

    void assertCancelledAndClean(Job job) {
        assertThat(jobs.find(store, job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertNoLeftovers();
        assertThat(s3.listObjectsV2(r -> r.bucket(settings.exportBucket()).prefix(ExportFiles.objectKey(job)))
                .contents()).as("the cancelled job's file").isEmpty();
        assertThat(jobs.unfinishedJobs(store)).as("the store's unfinished jobs").doesNotContain(job.id());
    }

    /** The client's cancel, as the API makes it. */
    Job cancel(Job job) {
        try {
            return new JobCancels(dynamo, settings.jobsTable()).request(store, job.id(), Instant.now()).orElseThrow();
        } catch (JobProblem problem) {
            throw new AssertionError(problem.detail(), problem);
        }
    }

    JobService service() {
        return new JobService(jobs, new LinkSigner(S3Presigner.create(), settings.exportBucket()), Duration.ofHours(1),
                Clock.systemUTC(), 15);
    }

    void assertNoLeftovers() {
        assertThat(s3.listMultipartUploads(r -> r.bucket(settings.exportBucket())
                .prefix(ExportFiles.PREFIX + store.value() + "/")).uploads()).as("open multipart uploads").isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(settings.exportBucket()).prefix(ExportFiles.PREFIX + store.value() + "/"))
                .contents()).as("checkpoints left").noneMatch(o -> o.key().contains(".checkpoint-"));
    }

    /** A row of docs/testing.md's fault table (checked to be there), appended to target/fault-table.md as the tests run. */
    void record(String fault, Job job) {
        Job now = jobs.find(store, job.id()).orElseThrow();
        long leftovers = s3.listMultipartUploads(r -> r.bucket(settings.exportBucket())
                .prefix(ExportFiles.PREFIX + store.value() + "/")).uploads().size()
                + s3.listObjectsV2(r -> r.bucket(settings.exportBucket()).prefix(ExportFiles.PREFIX + store.value() + "/"))
                .contents().stream().filter(o -> o.key().contains(".checkpoint-")).count();
        String row = "| " + fault + " | 1 | " + (now.status() == JobStatus.COMPLETE ? 1 : 0) + " | "
                + (now.status() == JobStatus.FAILED ? 1 : 0) + " | " + (now.status().isFinal() ? 0 : 1) + " | "
                + leftovers + " |" + System.lineSeparator();
        try {
            Files.writeString(Path.of("target", "fault-table.md"), row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(Documentation.hasFaultRow(row)).as("docs/testing.md's fault table has the row this run measured: " + row)
                .isTrue();
    }

    /** Orders six hours apart from {@code from}, each with a delivery note of {@code repeats} sentences on its address. */
    static List<JsonNode> orders(Instant from, int repeats) {
        List<JsonNode> documents = new ArrayList<>();
        String[] payments = {"paid", "unpaid", "refunded"};
        String note = "Leave at the back door, beside the blue bins. ".repeat(repeats);
        for (int i = 0; i < ORDERS; i++) {
            documents.add(Orders.typicalOrder(String.format("long-%05d", i), from.plus(Duration.ofHours(6L * i)))
                    .payment(payments[i % 3]).shippingAddress("9" + i, "Customer " + i, i + " " + note).document());
        }
        return documents;
    }
}
