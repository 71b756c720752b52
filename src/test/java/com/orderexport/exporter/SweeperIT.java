package com.orderexport.exporter;

import static com.orderexport.testing.KitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.orderexport.formats.ExportFormats;
import com.orderexport.export.SweepHandler;
import com.orderexport.config.Settings;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.JobSweeps;
import com.orderexport.local.StreamFeeder;
import com.orderexport.orders.OrderStore;
import com.orderexport.stack.StackResources;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.Orders;
import com.orderexport.testing.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Leases and the sweeper against the emulator: a job whose stream records were used up, or whose run crashed,
 * is sent round again and completes; one that never gets anywhere is failed with a reason and leaves nothing
 * behind; a live run is never disturbed. The sweeper reads every unfinished job of its table, so these tests
 * run on a stack of their own.
 */
@ExtendWith(EmulatorExtension.class)
class SweeperIT {

    static final String FUNCTION = "OrderExportFunction";
    static final StoreId STORE = TestStack.newStore();

    static StackResources resources;
    static DynamoDbClient dynamo;
    static S3Client s3;
    static Settings settings;
    static JobStore jobs;
    static ExportLeases leases;
    static StreamFeeder feeder;
    static RequestHandler<DynamodbEvent, StreamsEventResponse> exportFunction;

    @AfterAll
    static void deleteOwnTables() {
        resources.delete(dynamo, s3);
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void ownStack(TestStack stack) {
        dynamo = stack.dynamo();
        s3 = stack.s3();
        resources = StackResources.create(stack.template(), dynamo, s3, "sweep-" + UUID.randomUUID().toString().substring(0, 6));
        settings = resources.settingsOf(FUNCTION);
        jobs = new JobStore(dynamo, settings.jobsTable());
        leases = new ExportLeases(dynamo, settings.jobsTable());
        feeder = new StreamFeeder(resources, dynamo, FUNCTION);
        exportFunction = (RequestHandler<DynamodbEvent, StreamsEventResponse>) resources.handlerOf(FUNCTION);
        new OrderStore(dynamo, settings.ordersTable()).putAll(STORE, List.of(
                Orders.typicalOrder("s1", Instant.parse("2018-09-01T10:00:00Z")).payment("paid").document(),
                Orders.typicalOrder("s2", Instant.parse("2018-09-02T10:00:00Z")).payment("paid").document(),
                Orders.typicalOrder("s3", Instant.parse("2018-09-03T10:00:00Z")).payment("unpaid").document()));
    }

    @Test
    void sweep_redrivesAPendingJobWhoseStreamRecordsWereUsedUp_andItCompletes() {
        Job job = pendingJob();
        feeder.poll(STORE.value()); // the INSERT's retries all failed: the record is gone

        Map<String, Integer> swept = sweepAt(Instant.now().plus(Duration.ofMinutes(20)), 3);
        deliverStream();

        assertThat(swept).containsEntry("redriven", 1).containsEntry("failed", 0);
        Job done = jobs.find(STORE, job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETE);
        assertThat(done.rowCount()).isEqualTo(2);
        assertThat(unfinishedInIndex()).isEmpty();
    }

    @Test
    void sweep_takesOverAJobWhoseRunCrashed_assoonAsItsLeaseLapses() {
        Job job = pendingJob();
        feeder.poll(STORE.value());
        Instant now = Instant.now();
        ExportClaim crashed = leases.claim(STORE, job.id(), now.minusSeconds(61), Duration.ofSeconds(60)).claim().orElseThrow();
        String key = ExportFiles.objectKey(STORE, job.id(), ExportFormats.CSV);
        String deadUpload = s3.createMultipartUpload(r -> r.bucket(settings.exportBucket()).key(key)).uploadId();
        leases.recordUpload(crashed, deadUpload);

        Map<String, Integer> swept = sweepAt(Instant.now(), 3);
        deliverStream();

        assertThat(swept).containsEntry("redriven", 1);
        Job done = jobs.find(STORE, job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETE);
        assertThat(done.rowCount()).isEqualTo(2);
        assertThat(openUploads(key)).isEmpty();
    }

    @Test
    void sweep_failsAJobThatNeverGetsAnywhere_withAReason_andLeavesNoUploadBehind() {
        Job job = pendingJob();
        feeder.poll(STORE.value());
        ExportClaim crashed = leases.claim(STORE, job.id(), Instant.now().minusSeconds(61), Duration.ofSeconds(60))
                .claim().orElseThrow();
        String key = ExportFiles.objectKey(STORE, job.id(), ExportFormats.CSV);
        String deadUpload = s3.createMultipartUpload(r -> r.bucket(settings.exportBucket()).key(key)).uploadId();
        leases.recordUpload(crashed, deadUpload);

        // Every redrive's record is lost too (the outage goes on): two redrives, then the sweeper gives up.
        Instant now = Instant.now();
        assertThat(sweepAt(now, 2)).containsEntry("redriven", 1);
        feeder.poll(STORE.value());
        assertThat(sweepAt(now.plus(Duration.ofMinutes(16)), 2)).containsEntry("redriven", 1);
        feeder.poll(STORE.value());
        assertThat(sweepAt(now.plus(Duration.ofMinutes(32)), 2)).containsEntry("failed", 1);

        Job failed = jobs.find(STORE, job.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo(Sweeper.GAVE_UP);
        assertThat(openUploads(key)).isEmpty();
        assertThat(unfinishedInIndex()).isEmpty();
    }

    @Test
    void sweep_neverDisturbsALiveRun_norAFinishedJob() {
        Job live = pendingJob();
        Job finished = pendingJob();
        feeder.poll(STORE.value());
        ExportClaim running = leases.claim(STORE, live.id(), Instant.now(), Duration.ofMinutes(10)).claim().orElseThrow();
        ExportClaim done = leases.claim(STORE, finished.id(), Instant.now(), Duration.ofMinutes(10)).claim().orElseThrow();
        leases.fail(done, "finished", Instant.now());

        Map<String, Integer> swept = sweepAt(Instant.now(), 3);

        assertThat(swept).containsEntry("stale", 0);
        assertThat(jobs.find(STORE, live.id()).orElseThrow().status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(jobs.find(STORE, finished.id()).orElseThrow().error()).isEqualTo("finished");
        leases.fail(running, "finished", Instant.now()); // leaves no unfinished job for the other tests' sweeps
        feeder.poll(STORE.value());
    }

    @Test
    void heartbeat_keepsARunsLeaseLongerThanTheLeaseItself_andARetryMeanwhileIsToldToComeBack() {
        Job job = pendingJob();
        feeder.poll(STORE.value());
        AtomicReference<ExportLeases.Claimed> meanwhile = new AtomicReference<>();
        // Each part upload takes longer than the whole lease: only renewals keep the job this run's.
        S3Client slowS3 = S3Client.builder().forcePathStyle(true).overrideConfiguration(c -> c.addExecutionInterceptor(
                new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof UploadPartRequest) {
                            sleep(Duration.ofMillis(2500));
                            meanwhile.compareAndSet(null, leases.claim(STORE, job.id(), Instant.now(), Duration.ofSeconds(1)));
                        }
                    }
                })).build();
        OrderExporter exporter = new OrderExporter(leases, new OrderStore(dynamo, settings.ordersTable()), slowS3,
                settings.exportBucket(), ExportTuning.sequential().withLease(Duration.ofSeconds(1)), Clock.systemUTC());

        OrderExporter.Outcome outcome = CompletableFuture.supplyAsync(
                () -> exporter.export(STORE, job.id(), Instant.now().plus(Duration.ofMinutes(5)))).join();

        assertThat(outcome).isEqualTo(OrderExporter.Outcome.COMPLETE);
        assertThat(meanwhile.get().refusal()).isEqualTo(ExportLeases.Refusal.HELD_BY_LIVE_RUN);
        assertThat(jobs.find(STORE, job.id()).orElseThrow().rowCount()).isEqualTo(2);
    }

    @Test
    void sweep_leavesAJobWaitingItsTurnAlone_andFailingTheOneBeforeItGivesItsPlaceBackAndWakesIt() {
        StoreId store = TestStack.newStore();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job older = JobBuilder.pending(store, "eq(payment,paid)").build();
        Job younger = JobBuilder.pending(store, "eq(payment,paid)").build();
        jobs.create(older, Optional.empty(), 10, now);
        jobs.create(younger, Optional.empty(), 10, now);
        feeder.poll(store.value());

        // Both are far past StuckAfterSeconds; only the older is the sweeper's to redrive, then to fail.
        Instant later = now.plus(Duration.ofMinutes(20));
        assertThat(sweepAt(later, 0)).containsEntry("failed", 1);

        assertThat(jobs.find(store, older.id()).orElseThrow()).isFailedWith(Sweeper.GAVE_UP);
        assertThat(jobs.unfinishedJobs(store)).containsExactly(younger.id());
        assertThat(feeder.poll(store.value()).stream().flatMap(b -> b.getRecords().stream())
                .filter(r -> r.getDynamodb().getKeys().get("job_id").getS().equals(younger.id())))
                .as("the younger job is woken through the stream").isNotEmpty();
        leases.fail(leases.claim(store, younger.id(), Instant.now(), Duration.ofSeconds(5)).claim().orElseThrow(),
                "test done", Instant.now());
    }

    @Test
    @SuppressWarnings("unchecked")
    void sampleScheduledEvent_runsTheTemplatesSweeper() {
        Job job = pendingJob();
        feeder.poll(STORE.value());
        ExportClaim crashed = leases.claim(STORE, job.id(), Instant.now().minusSeconds(61), Duration.ofSeconds(60))
                .claim().orElseThrow();
        RequestHandler<ScheduledEvent, Map<String, Integer>> sweeper =
                (RequestHandler<ScheduledEvent, Map<String, Integer>>) resources.handlerOf("SweeperFunction");

        Map<String, Integer> swept = sweeper.handleRequest(EventLoader.loadScheduledEvent("events/sweep.json"), null);
        deliverStream();

        assertThat(swept).containsEntry("redriven", 1);
        assertThat(crashed.attempt()).isEqualTo(1);
        assertThat(jobs.find(STORE, job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETE);
    }

    // ---- helpers

    static Job pendingJob() {
        return JobBuilder.pending(STORE, "eq(payment,paid)").createIn(jobs);
    }

    static Map<String, Integer> sweepAt(Instant now, int maxRedrives) {
        Sweeper sweeper = new Sweeper(new JobSweeps(dynamo, settings.jobsTable()), s3, settings.exportBucket(),
                Duration.ofMinutes(15), maxRedrives, Clock.fixed(now, ZoneOffset.UTC));
        return new SweepHandler(sweeper).handleRequest(new ScheduledEvent(), null);
    }

    /** Delivers what the stream holds for the store to the template's export function, as the mapping would. */
    static void deliverStream() {
        for (DynamodbEvent batch : feeder.poll(STORE.value())) {
            assertThat(exportFunction.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        }
    }

    static List<String> unfinishedInIndex() {
        return new JobSweeps(dynamo, settings.jobsTable()).stale(Instant.now().plus(Duration.ofDays(1)), Duration.ofMinutes(1))
                .stream().map(JobSweeps.Stale::jobId).toList();
    }

    static List<String> openUploads(String key) {
        return s3.listMultipartUploads(r -> r.bucket(settings.exportBucket()).prefix(key)).uploads().stream()
                .map(u -> u.uploadId()).toList();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
