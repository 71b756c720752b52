package com.orderexport.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
 * P8: how many items DynamoDB reads (the sum of ScannedCount over the export's own Query pages) for a
 * filter of only created_at bounds covering one month of a store with three years of orders, against the
 * rows exported. Only a real emulator counts ScannedCount honestly, so this runs on moto_server or not at all.
 */
final class ScanBench {

    static final String MONTH_FILTER = "ge(created_at,2020-06-01):lt(created_at,2020-07-01)";

    private ScanBench() {}

    static Figure run(Scale scale) throws Exception {
        if (!onPath("moto_server")) {
            return Figure.skipped("P8", "items read / items exported", "<=1.05", "no emulator");
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

            int perDay = scale.scanOrdersPerDay();
            OrderItems items = new OrderItems(scale.scanYears() * 365 * perDay, Instant.parse("2019-01-01T00:00:00Z"),
                    Duration.ofDays(1).dividedBy(perDay));
            List<JsonNode> chunk = new ArrayList<>();
            long inMonth = 0;
            Instant from = Instant.parse("2020-06-01T00:00:00Z");
            Instant to = Instant.parse("2020-07-01T00:00:00Z");
            for (int i = 0; i < items.count(); i++) {
                chunk.add(items.documentNode(i));
                inMonth += !items.createdAt(i).isBefore(from) && items.createdAt(i).isBefore(to) ? 1 : 0;
                if (chunk.size() == 500 || i == items.count() - 1) {
                    orders.putAll(items.store(), chunk);
                    chunk.clear();
                }
            }

            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Job job = Job.pending(items.store(), JobIds.next(now.toEpochMilli()).toString(), MONTH_FILTER, now);
            jobs.create(job);
            counter.scanned.set(0);
            OrderExporter.Outcome outcome = new OrderExporter(new ExportLeases(dynamo, stack.nameOf("JobsTable")), orders, s3, stack.nameOf("ExportBucket"),
                    ExportTuning.DEFAULT, Clock.systemUTC()).export(items.store(), job.id(),
                    Instant.now().plus(Duration.ofMinutes(15)));
            Job done = jobs.find(items.store(), job.id()).orElseThrow();
            if (outcome != OrderExporter.Outcome.COMPLETE || done.rowCount() == null || done.rowCount() != inMonth) {
                throw new IllegalStateException("the month's export ended " + outcome + " with " + done.rowCount()
                        + " of " + inMonth + " rows: " + done.error());
            }
            double scanned = counter.scanned.get();
            double exported = done.rowCount();
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("orders_in_store", items.count());
            extra.put("emulator", emulator.description());
            return Figure.of("P8", "items read / items exported", scanned / exported, scanned, exported, "items",
                    "<=1.05", true, extra, "filter " + MONTH_FILTER + " over " + items.count() + " orders (" + perDay
                            + "/day, " + scale.scanYears() + " years) on " + emulator.description()
                            + "; ours = sum of ScannedCount of the export's Query pages");
        }
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
