package com.orderexport.exporter;

import static com.orderexport.testing.KitAssertions.assertThat;
import static com.orderexport.testing.Orders.typicalOrder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import com.orderexport.files.MultipartUpload;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.JobStore;
import com.orderexport.store.StoreId;
import com.orderexport.orders.OrderStore;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sequential export of 100,000 orders in a JVM with a 96 MB heap (failsafe runs this class in its own fork
 * with -Xmx96m): the export streams, so its memory does not grow with the number of orders. (A sliced export
 * holds about slices × (5 MiB + part size) + parts in flight × part size: a constant too, only larger.)
 */
@ExtendWith(EmulatorExtension.class)
class ExportMemoryIT {

    static final int ORDERS = 100_000;

    @Test
    void sequentialExport_of100000OrdersRunsIn96MegabytesOfHeap(TestStack stack) {
        assertThat(Runtime.getRuntime().maxMemory()).as("this test must run with -Xmx96m")
                .isLessThanOrEqualTo(100L * 1024 * 1024);
        Settings settings = stack.settingsOf("OrderExportFunction");
        JobStore jobs = new JobStore(stack.dynamo(), settings.jobsTable());
        ExportLeases leases = new ExportLeases(stack.dynamo(), settings.jobsTable());
        OrderStore orders = new OrderStore(stack.dynamo(), settings.ordersTable());
        StoreId store = TestStack.newStore();
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        List<JsonNode> chunk = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            chunk.add(typicalOrder(String.format("order-%06d", i), start.plusSeconds(i * 60L))
                    .customer("c-" + (i % 500), "Customer " + i, "customer" + i + "@example.com")
                    .item("p-" + (i % 50), "sku-" + (i % 50), 1 + i % 3).document());
            if (chunk.size() == 1000) {
                orders.putAll(store, chunk);
                chunk.clear();
            }
        }
        orders.putAll(store, chunk);
        Job job = JobBuilder.pending(store, "ge(created_at,2024-01-01)").createIn(jobs);
        OrderExporter exporter = new OrderExporter(leases, orders, stack.s3(), settings.exportBucket(),
                ExportTuning.sequential(), Clock.systemUTC());

        OrderExporter.Outcome outcome = exporter.export(store, job.id(), Instant.now().plus(Duration.ofMinutes(15)));

        Job done = jobs.find(store, job.id()).orElseThrow();
        assertThat(outcome).isEqualTo(OrderExporter.Outcome.COMPLETE);
        assertThat(done).isComplete().hasRows(ORDERS);
        long size = stack.s3().headObject(r -> r.bucket(settings.exportBucket()).key(done.fileKey())).contentLength();
        assertThat(size).isEqualTo(done.fileSize()).isGreaterThan(2L * MultipartUpload.MIN_PART_SIZE);
    }
}
