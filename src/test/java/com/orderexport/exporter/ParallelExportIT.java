package com.orderexport.exporter;

import static com.orderexport.testing.KitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.config.Settings;
import com.orderexport.orders.TimeRange;
import com.orderexport.files.MultipartUpload;
import com.orderexport.files.PartAssembler;
import com.orderexport.files.SliceOutput;
import com.orderexport.jobs.Creation;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.JobStore;
import com.orderexport.store.StoreId;
import com.orderexport.local.DemoOrders;
import com.orderexport.local.StreamFeeder;
import com.orderexport.orders.OrderStore;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.TestStack;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exports split into created_at slices queried concurrently give the very bytes a sequential export gives. */
@ExtendWith(EmulatorExtension.class)
class ParallelExportIT {

    static TestStack stack;
    static Settings settings;
    static JobStore jobs;
    static ExportLeases leases;
    static OrderStore orders;
    static ExportedFiles files;
    static final StoreId STORE = TestStack.newStore();
    static final ExecutorService uploads = Executors.newFixedThreadPool(4);

    @BeforeAll
    static void loadMoreThanOnePageOfOrders(TestStack testStack) {
        stack = testStack;
        settings = stack.settingsOf("OrderExportFunction");
        jobs = new JobStore(stack.dynamo(), settings.jobsTable());
        leases = new ExportLeases(stack.dynamo(), settings.jobsTable());
        orders = new OrderStore(stack.dynamo(), settings.ordersTable());
        files = new ExportedFiles(jobs, stack.s3(), settings.exportBucket());
        // Three demo stores' worth of orders, interleaved in time: several DynamoDB pages.
        for (String source : List.of("a", "b", "c")) {
            orders.putAll(STORE, DemoOrders.forStore(source));
        }
        assertThat(stack.dynamo().queryPaginator(orders.query(STORE, TimeRange.ALL)).stream().count())
                .as("DynamoDB pages of the store's orders").isGreaterThan(1);
    }

    @AfterAll
    static void stopUploads() {
        uploads.shutdownNow();
    }

    @ParameterizedTest(name = "{0} slices")
    @ValueSource(ints = {2, 3, 4, 7})
    void export_inSlicesIsByteIdenticalToTheSequentialExport(int slices) {
        ExportedFile sequential = export("ge(created_at,2018-01-01)", ExportTuning.sequential());
        ExportedFile parallel = export("ge(created_at,2018-01-01)", ExportTuning.DEFAULT.withSlices(slices));

        assertThat(parallel).isByteIdenticalTo(sequential);
    }

    @Test
    void export_inJsonLinesAndFourSlices_isByteIdenticalToTheSequentialExport() {
        ExportedFile sequential = export("ge(created_at,2018-01-01)", "jsonl", ExportTuning.sequential());
        ExportedFile parallel = export("ge(created_at,2018-01-01)", "jsonl", ExportTuning.DEFAULT.withSlices(4));

        assertThat(parallel).isByteIdenticalTo(sequential);
        assertThat(parallel.documents()).hasSize(4500);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"csv", "jsonl"})
    void export_gzippedInFourSlices_decompressesToTheSequentialPlainFile(String format) {
        ExportedFile plain = export("ge(created_at,2018-01-01)", format, "none", ExportTuning.sequential());
        ExportedFile gzipped = export("ge(created_at,2018-01-01)", format, "gzip", ExportTuning.DEFAULT.withSlices(4));

        assertThat(gzipped.gzipTest()).isZero();
        assertThat(gzipped.gunzipped()).isByteIdenticalTo(plain);
        assertThat(gzipped.size()).isLessThan(plain.size() / 3);
    }

    @Test
    void export_gzippedAndHandedOnAfterEveryPage_decompressesToTheOneShotPlainFile() {
        ExportedFile plain = export("ge(created_at,2018-01-01)", ExportTuning.sequential());
        Job job = JobBuilder.pending(STORE, "ge(created_at,2018-01-01)").compression("gzip").createIn(jobs);
        ExportTuning tinyBudget = new ExportTuning(ExportTuning.DEFAULT_PART_SIZE, 2, 4, Duration.ofHours(1));
        OrderExporter exporter = new OrderExporter(leases, orders, stack.s3(), settings.exportBucket(), tinyBudget,
                Clock.systemUTC());

        int runs = 1;
        while (exporter.export(STORE, job.id(), Instant.now().plus(Duration.ofMinutes(10))) == OrderExporter.Outcome.HANDED_OFF) {
            runs++;
        }

        Job done = jobs.find(STORE, job.id()).orElseThrow();
        ExportedFile gzipped = files.of(done);
        assertThat(runs).isGreaterThan(1);
        assertThat(done).isComplete().hasChecksumAndSizeOf(gzipped);
        assertThat(done.fileKey()).endsWith(".csv.gz");
        assertThat(gzipped.gzipTest()).isZero();
        assertThat(gzipped.gunzipped()).isByteIdenticalTo(plain);
    }

    @Test
    void export_withoutDateBoundsSlicesBetweenTheFirstAndLastOrder() {
        ExportedFile sequential = export("in(payment,paid,refunded)", ExportTuning.sequential());
        ExportedFile parallel = export("in(payment,paid,refunded)", ExportTuning.DEFAULT.withSlices(4));

        assertThat(parallel).isByteIdenticalTo(sequential);
    }

    @ParameterizedTest(name = "{0} slice(s)")
    @ValueSource(ints = {1, 4})
    void export_handedOnAfterEveryPageIsByteIdenticalToAOneShotExport(int slices) {
        // A hand-off margin longer than the whole budget: every invocation stops after one page per slice.
        ExportTuning tinyBudget = new ExportTuning(ExportTuning.DEFAULT_PART_SIZE, 2, slices, Duration.ofHours(1));

        assertHandOffsEndInTheOneShotFile(tinyBudget, slices);
    }

    @ParameterizedTest(name = "{0} slice(s)")
    @ValueSource(ints = {1, 4})
    void export_handedOnAtTheEndOfEveryQuantumIsByteIdenticalToAOneShotExport(int slices) {
        // Time to spare before the deadline, but a quantum shorter than a page: every invocation's turn ends
        // after one page per slice, and nothing but the quantum ends it.
        ExportTuning tinyQuantum = ExportTuning.DEFAULT.withSlices(slices).withQuantum(Duration.ofMillis(1));

        assertHandOffsEndInTheOneShotFile(tinyQuantum, slices);
    }

    /**
     * Runs a job invocation after invocation until it completes, each hand-off a MODIFY the template's filter
     * passes, and checks the file is the one-shot export's, byte for byte, decided once (its place in the
     * store's admission count given back once), with no checkpoint left behind.
     */
    private void assertHandOffsEndInTheOneShotFile(ExportTuning tuning, int slices) {
        String filter = "ge(created_at,2018-01-01)";
        ExportedFile oneShot = export(filter, ExportTuning.sequential());
        Job job = JobBuilder.pending(STORE, filter).build();
        assertThat(jobs.create(job, Optional.empty(), 1, job.createdAt())).isInstanceOf(Creation.Stored.class);
        OrderExporter exporter = new OrderExporter(leases, orders, stack.s3(), settings.exportBucket(), tuning,
                Clock.systemUTC());
        StreamFeeder feeder = new StreamFeeder(stack.resources(), stack.dynamo(), "OrderExportFunction");
        feeder.poll(STORE.value());

        int handOffs = 0;
        OrderExporter.Outcome outcome;
        while ((outcome = exporter.export(STORE, job.id(), Instant.now().plus(Duration.ofMinutes(10))))
                == OrderExporter.Outcome.HANDED_OFF) {
            handOffs++;
            // The hand-off is a MODIFY that the template's stream filter lets through to the next invocation.
            assertThat(feeder.poll(STORE.value()).stream().flatMap(b -> b.getRecords().stream())
                    .filter(r -> r.getDynamodb().getKeys().get("job_id").getS().equals(job.id())))
                    .extracting(r -> r.getEventName()).containsExactly("MODIFY");
            assertThat(handOffs).as("hand-offs").isLessThan(50);
            assertThat(jobs.unfinishedJobs(STORE)).as("unfinished jobs while handed off").hasSize(1);
        }

        assertThat(outcome).isEqualTo(OrderExporter.Outcome.COMPLETE);
        assertThat(handOffs).isGreaterThanOrEqualTo(slices == 1 ? 3 : 1); // one page per slice per invocation
        Job done = jobs.find(STORE, job.id()).orElseThrow();
        assertThat(files.of(done)).isByteIdenticalTo(oneShot);
        assertThat(done).hasRows(3 * DemoOrders.PER_STORE);
        assertThat(exporter.export(STORE, job.id(), Instant.now().plus(Duration.ofMinutes(1))))
                .isEqualTo(OrderExporter.Outcome.SKIPPED);
        assertThat(stack.s3().listObjectsV2(r -> r.bucket(settings.exportBucket()).prefix(done.fileKey() + ".checkpoint"))
                .contents()).as("checkpoints left behind").isEmpty();
        assertThat(jobs.unfinishedJobs(STORE)).as("unfinished jobs once complete").isEmpty();
    }

    @Test
    void slicesOfAnySize_assembleIntoOnePartsWorthOfValidUploadWithTheWholeChecksum() throws Exception {
        // Empty, tiny, head-only, and multi-part slices: every way a slice can end.
        int mib = 1024 * 1024;
        int[] sizes = {0, 3 * mib, 100, 12 * mib + 7, 5 * mib, 7 * mib};
        String key = "exports/" + STORE.value() + "/assembled.bin";
        MultipartUpload upload = MultipartUpload.start(stack.s3(), settings.exportBucket(), key,
                "application/octet-stream", "attachment", uploads, 4);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<SliceOutput> outputs = new ArrayList<>();
        Random random = new Random(42);
        int perSlice = (MultipartUpload.MAX_PART_NUMBER - 1) / sizes.length;
        for (int i = 0; i < sizes.length; i++) {
            SliceOutput slice = new SliceOutput(upload, 1 + i * perSlice, i * perSlice + perSlice, 5 * mib, MultipartUpload.MIN_PART_SIZE);
            byte[] bytes = new byte[sizes[i]];
            random.nextBytes(bytes);
            for (int at = 0; at < bytes.length; at += 65_536) {
                slice.write(bytes, at, Math.min(65_536, bytes.length - at));
            }
            expected.write(bytes);
            outputs.add(slice);
        }

        PartAssembler.AssembledFile assembled = PartAssembler.complete(upload, outputs);

        byte[] stored = stack.s3().getObjectAsBytes(r -> r.bucket(settings.exportBucket()).key(key)).asByteArray();
        assertThat(stored).isEqualTo(expected.toByteArray());
        assertThat(assembled.crc64nvme()).isEqualTo(ExportedFile.crc64nvmeOf(stored));
        assertThat(assembled.length()).isEqualTo(stored.length);
    }

    private ExportedFile export(String filter, ExportTuning tuning) {
        return export(filter, "csv", tuning);
    }

    private ExportedFile export(String filter, String format, ExportTuning tuning) {
        return export(filter, format, "none", tuning);
    }

    private ExportedFile export(String filter, String format, String compression, ExportTuning tuning) {
        Job job = JobBuilder.pending(STORE, filter).format(format).compression(compression).createIn(jobs);
        OrderExporter exporter = new OrderExporter(leases, orders, stack.s3(), settings.exportBucket(), tuning, Clock.systemUTC());

        assertThat(exporter.export(STORE, job.id(), job.createdAt().plus(Duration.ofMinutes(10))))
                .isEqualTo(OrderExporter.Outcome.COMPLETE);

        Job done = jobs.find(STORE, job.id()).orElseThrow();
        ExportedFile file = files.of(done);
        assertThat(done).isComplete().hasChecksumAndSizeOf(file);
        return file;
    }
}
