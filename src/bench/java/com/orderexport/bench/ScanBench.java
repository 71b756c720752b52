package com.orderexport.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.exporter.ExportTuning;
import com.orderexport.exporter.OrderExporter;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobIds;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.JobStore;
import com.orderexport.stack.AwsEmulator;
import com.orderexport.stack.StackResources;
import com.orderexport.stack.Template;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * P8 and P8u: how many items DynamoDB reads (the sum of ScannedCount over the export's own Query pages) against
 * the rows exported, for two filters over one store with three years of orders: P8 bounds only created_at (one
 * month), P8u only updated_at (one day, as a nightly incremental feed asks), where a share of older orders changed
 * that day too, so the day's changes are scattered over the whole created_at range. Only a real emulator counts
 * ScannedCount honestly, so this runs on moto_server or not at all.
 */
final class ScanBench {

    static final String MONTH_FILTER = "ge(created_at,2020-06-01):lt(created_at,2020-07-01)";
    static final String DAY_OF_CHANGES_FILTER = "ge(updated_at,2021-03-15):lt(updated_at,2021-03-16)";
    private static final Instant CHANGE_DAY = Instant.parse("2021-03-15T00:00:00Z");
    /** One order in this many, created before the day, changed again on it (a refund, a shipment). */
    private static final int CHANGED_ONE_IN = 50;

    private ScanBench() {}

    static List<Figure> run(Scale scale) throws Exception {
        if (!onPath("moto_server")) {
            return List.of(Figure.skipped("P8", "items read / items exported", "<=1.05", "no emulator"),
                    Figure.skipped("P8u", "items read / exported, updated_at", "<=1.05", "no emulator"));
        }
        try (AwsEmulator emulator = AwsEmulator.start()) {
            // StackResources builds its own SQS client from the SDK's settings: they must name the emulator too.
            emulator.pointSdkHere();
            ScannedCounter counter = new ScannedCounter();
            DynamoDbClient dynamo = BenchClients.dynamo(emulator.endpoint(), counter);
            S3Client s3 = BenchClients.s3(emulator.endpoint());
            String suffix = "bench-" + Long.toString(System.nanoTime() % 1_000_000, 36);
            StackResources stack = StackResources.create(Template.load(), dynamo, s3, suffix);
            String ordersTable = stack.nameOf("OrdersTable");
            counter.table = ordersTable;
            JobStore jobs = new JobStore(dynamo, stack.nameOf("JobsTable"));
            OrderStore orders = new OrderStore(dynamo, ordersTable);
            OrderExporter exporter = new OrderExporter(new ExportLeases(dynamo, stack.nameOf("JobsTable")), orders,
                    s3, stack.nameOf("ExportBucket"), ExportTuning.DEFAULT, Clock.systemUTC());

            int perDay = scale.scanOrdersPerDay();
            OrderItems items = new OrderItems(scale.scanYears() * 365 * perDay, Instant.parse("2019-01-01T00:00:00Z"),
                    Duration.ofDays(1).dividedBy(perDay));
            List<JsonNode> chunk = new ArrayList<>();
            long inMonth = 0;
            long changedOnDay = 0;
            Instant from = Instant.parse("2020-06-01T00:00:00Z");
            Instant to = Instant.parse("2020-07-01T00:00:00Z");
            Instant dayEnd = CHANGE_DAY.plus(Duration.ofDays(1));
            for (int i = 0; i < items.count(); i++) {
                Instant created = items.createdAt(i);
                JsonNode document = items.documentNode(i);
                if (created.isBefore(CHANGE_DAY) && i % CHANGED_ONE_IN == 0) {
                    // Changed during the day, at a time of its own so the day's changes interleave.
                    Instant changed = CHANGE_DAY.plusSeconds(i % 86_400);
                    ((ObjectNode) document.path("data").path("meta").path("timestamps"))
                            .put("updated_at", changed.toString());
                }
                Instant updated = Instant.parse(document.path("data").path("meta").path("timestamps")
                        .path("updated_at").asText());
                inMonth += !created.isBefore(from) && created.isBefore(to) ? 1 : 0;
                changedOnDay += !updated.isBefore(CHANGE_DAY) && updated.isBefore(dayEnd) ? 1 : 0;
                chunk.add(document);
                if (chunk.size() == 500 || i == items.count() - 1) {
                    orders.putAll(items.store(), chunk);
                    chunk.clear();
                }
            }
            String where = items.count() + " orders (" + perDay + "/day, " + scale.scanYears() + " years) on "
                    + emulator.description() + "; ours = sum of ScannedCount of the export's Query pages";
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("orders_in_store", items.count());
            extra.put("emulator", emulator.description());
            double monthRead = exportReading(exporter, jobs, counter, items.store(), MONTH_FILTER, inMonth);
            double dayRead = exportReading(exporter, jobs, counter, items.store(), DAY_OF_CHANGES_FILTER,
                    changedOnDay);
            return List.of(
                    Figure.of("P8", "items read / items exported", monthRead / inMonth, monthRead, inMonth,
                            "items", "<=1.05", true, extra, "filter " + MONTH_FILTER + " over " + where),
                    Figure.of("P8u", "items read / exported, updated_at", dayRead / changedOnDay, dayRead,
                            changedOnDay, "items", "<=1.05", true, extra, "filter " + DAY_OF_CHANGES_FILTER
                                    + " (1 in " + CHANGED_ONE_IN + " older orders changed that day) over " + where));
        }
    }

    /** Exports one filter and returns the items its Query pages read; fails unless it exported {@code expected}. */
    private static double exportReading(OrderExporter exporter, JobStore jobs, ScannedCounter counter, StoreId store,
            String filter, long expected) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job job = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), filter, now);
        jobs.create(job);
        counter.scanned.set(0);
        OrderExporter.Outcome outcome = exporter.export(store, job.id(), Instant.now().plus(Duration.ofMinutes(15)));
        Job done = jobs.find(store, job.id()).orElseThrow();
        if (outcome != OrderExporter.Outcome.COMPLETE || done.rowCount() == null || done.rowCount() != expected) {
            throw new IllegalStateException("the export of " + filter + " ended " + outcome + " with "
                    + done.rowCount() + " of " + expected + " rows: " + done.error());
        }
        return counter.scanned.get();
    }

    /** Adds up ScannedCount of every Query response on one table. */
    static final class ScannedCounter implements ExecutionInterceptor {
        final AtomicLong scanned = new AtomicLong();
        volatile String table;

        @Override
        public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
            if (context.request() instanceof QueryRequest query && query.tableName().equals(table)
                    && context.response() instanceof QueryResponse page && page.scannedCount() != null) {
                scanned.addAndGet(page.scannedCount());
            }
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
