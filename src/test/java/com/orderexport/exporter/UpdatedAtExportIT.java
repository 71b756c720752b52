package com.orderexport.exporter;

import static com.orderexport.testing.KitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStore;
import com.orderexport.local.DemoOrders;
import com.orderexport.orders.OrderStore;
import com.orderexport.orders.TimeRange;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exports whose filter bounds only updated_at read the orders table's updated_at index: exactly the orders
 * changed in the window, in the order they changed, through slices and hand-offs as any export.
 */
@ExtendWith(EmulatorExtension.class)
class UpdatedAtExportIT {

    static final StoreId STORE = TestStack.newStore();
    static TestStack stack;
    static Settings settings;
    static JobStore jobs;
    static ExportLeases leases;
    static OrderStore orders;
    static ExportedFiles files;
    /** Every loaded order, by updated_at then id: what an updated_at window should select, in file order. */
    static List<JsonNode> byUpdate;

    @BeforeAll
    static void loadOrdersChangedOverTwoDaysAfterTheirCreation(TestStack testStack) {
        stack = testStack;
        settings = stack.settingsOf("OrderExportFunction");
        jobs = new JobStore(stack.dynamo(), settings.jobsTable());
        leases = new ExportLeases(stack.dynamo(), settings.jobsTable());
        orders = new OrderStore(stack.dynamo(), settings.ordersTable());
        files = new ExportedFiles(jobs, stack.s3(), settings.exportBucket());
        List<JsonNode> all = new ArrayList<>();
        for (String source : List.of("a", "b", "c")) {
            List<JsonNode> documents = DemoOrders.forStore(source);
            orders.putAll(STORE, documents);
            all.addAll(documents);
        }
        byUpdate = all.stream().sorted(Comparator.comparing(UpdatedAtExportIT::updatedAt)
                .thenComparing(UpdatedAtExportIT::createdAt).thenComparing(UpdatedAtExportIT::id)).toList();
        assertThat(stack.dynamo().queryPaginator(orders.along(OrderStore.Axis.UPDATED_AT).query(STORE, TimeRange.ALL))
                .items().stream().count()).as("orders in the updated_at index").isEqualTo(all.size());
    }

    @Test
    void export_ofAnUpdatedAtWindow_holdsExactlyTheOrdersChangedInIt_inTheOrderTheyChanged() {
        Instant from = updatedAt(byUpdate.get(1000));
        Instant to = updatedAt(byUpdate.get(3000));
        List<String> expected = byUpdate.stream()
                .filter(d -> !updatedAt(d).isBefore(from) && updatedAt(d).isBefore(to)).map(UpdatedAtExportIT::id).toList();

        ExportedFile file = export("ge(updated_at," + from.toEpochMilli() + "):lt(updated_at," + to.toEpochMilli() + ")", ExportTuning.sequential());

        // From is included to the nanosecond and to excluded, ties at either bound included.
        assertThat(expected).hasSizeGreaterThanOrEqualTo(2000);
        assertThat(file.ids()).containsExactlyElementsOf(expected);
    }

    @Test
    void export_ofAnUpdatedAtWindow_inFourSlices_isByteIdenticalToTheSequentialExport() {
        Instant from = updatedAt(byUpdate.get(500));
        String filter = "ge(updated_at," + from.toEpochMilli() + ")";

        ExportedFile sequential = export(filter, ExportTuning.sequential());
        ExportedFile sliced = export(filter, ExportTuning.DEFAULT.withSlices(4));

        assertThat(sliced).isByteIdenticalTo(sequential);
        assertThat(sequential.rowCount()).isEqualTo(byUpdate.stream().filter(d -> !updatedAt(d).isBefore(from)).count());
    }

    @Test
    void export_ofAnUpdatedAtWindow_handedOnAfterEveryPage_isTheOneShotFile() {
        String filter = "gt(updated_at," + updatedAt(byUpdate.get(0)).toEpochMilli() + "):eq(payment,paid)";
        ExportedFile oneShot = export(filter, ExportTuning.sequential());
        Job job = JobBuilder.pending(STORE, filter).createIn(jobs);
        ExportTuning everyPage = new ExportTuning(ExportTuning.DEFAULT_PART_SIZE, 2, 3, Duration.ofHours(1));
        OrderExporter exporter = new OrderExporter(leases, orders, stack.s3(), settings.exportBucket(), everyPage,
                Clock.systemUTC());

        int runs = 1;
        while (exporter.export(STORE, job.id(), Instant.now().plus(Duration.ofMinutes(10)))
                == OrderExporter.Outcome.HANDED_OFF) {
            runs++;
            assertThat(runs).as("runs").isLessThan(50);
        }

        Job done = jobs.find(STORE, job.id()).orElseThrow();
        assertThat(runs).isGreaterThan(1);
        assertThat(done).isComplete();
        assertThat(files.of(done)).isByteIdenticalTo(oneShot);
    }

    @Test
    void export_boundingCreatedAtToo_readsByCreationAndSelectsTheSame() {
        Instant from = updatedAt(byUpdate.get(2000));
        List<String> expected = byUpdate.stream().filter(d -> !updatedAt(d).isBefore(from))
                .sorted(Comparator.comparing(UpdatedAtExportIT::createdAt).thenComparing(UpdatedAtExportIT::id))
                .map(UpdatedAtExportIT::id).toList();

        ExportedFile file = export("ge(updated_at," + from.toEpochMilli() + "):ge(created_at,2000-01-01)", ExportTuning.sequential());

        assertThat(file.ids()).containsExactlyElementsOf(expected);
    }

    private ExportedFile export(String filter, ExportTuning tuning) {
        Job job = JobBuilder.pending(STORE, filter).createIn(jobs);
        OrderExporter exporter = new OrderExporter(leases, orders, stack.s3(), settings.exportBucket(), tuning,
                Clock.systemUTC());

        assertThat(exporter.export(STORE, job.id(), Instant.now().plus(Duration.ofMinutes(10))))
                .isEqualTo(OrderExporter.Outcome.COMPLETE);
        Job done = jobs.find(STORE, job.id()).orElseThrow();
        ExportedFile file = files.of(done);
        assertThat(done).isComplete().hasChecksumAndSizeOf(file);
        return file;
    }

    private static Instant updatedAt(JsonNode document) {
        return Instant.parse(document.path("data").path("meta").path("timestamps").path("updated_at").asText());
    }

    private static Instant createdAt(JsonNode document) {
        return Instant.parse(document.path("data").path("meta").path("timestamps").path("created_at").asText());
    }

    private static String id(JsonNode document) {
        return document.path("data").path("id").asText();
    }
}
