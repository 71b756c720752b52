package com.orderexport.bench;

import com.orderexport.exporter.ExportTuning;
import com.orderexport.exporter.OrderExporter;
import com.orderexport.filter.InvalidFilterException;
import com.orderexport.filter.OrderFilter;
import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobIds;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.JobStore;
import com.orderexport.orders.OrderStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real exporter, job store and order store on real SDK clients, wired to the DynamoDB and S3 stubs:
 * what the export measurements run, one fresh job per run.
 */
final class ExportRig implements AutoCloseable {

    static final String JOBS_TABLE = "bench-jobs";
    static final String ORDERS_TABLE = "bench-orders";
    static final String BUCKET = "bench-bucket";

    /** What one export run did. */
    record Run(double seconds, double cpuSeconds, long rows, long queries, String sha256) {}

    final DynamoStub dynamoStub;
    final S3Stub s3Stub;
    final DynamoDbClient dynamo;
    final S3Client s3;
    final JobStore jobs;
    final ExportLeases leases;
    final OrderStore orders;
    private OrderItems items = OrderItems.of(0);

    private ExportRig(DynamoStub dynamoStub, S3Stub s3Stub) {
        this.dynamoStub = dynamoStub;
        this.s3Stub = s3Stub;
        this.dynamo = BenchClients.dynamo(dynamoStub.endpoint());
        this.s3 = BenchClients.s3(s3Stub.endpoint());
        this.jobs = new JobStore(dynamo, JOBS_TABLE);
        this.leases = new ExportLeases(dynamo, JOBS_TABLE);
        this.orders = new OrderStore(dynamo, ORDERS_TABLE);
    }

    /** Starts both stubs; Query pages are cached up to {@code pageCacheBytes}. */
    static ExportRig start(long pageCacheBytes) throws IOException {
        return new ExportRig(DynamoStub.start(pageCacheBytes), S3Stub.start());
    }

    void serve(OrderItems orderItems) {
        items = orderItems;
        dynamoStub.serve(orderItems);
    }

    /** Exports every served order as a new job; fails unless the job completes with every order in it. */
    Run exportAll(ExportTuning tuning) {
        return exportAll(tuning, ExportOptions.DEFAULT);
    }

    /** {@link #exportAll(ExportTuning)} in the file format the options name. */
    Run exportAll(ExportTuning tuning, ExportOptions options) {
        return exportAll(tuning, options, items.count());
    }

    /** {@link #exportAll(ExportTuning, ExportOptions)}, expecting {@code rows} rows (item rows: more than orders). */
    Run exportAll(ExportTuning tuning, ExportOptions options, long rows) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job job = Job.pending(items.store(), JobIds.next(now.toEpochMilli()).toString(), items.filterSelectingAll(),
                options, now);
        jobs.create(job);
        OrderExporter exporter = new OrderExporter(leases, orders, s3, BUCKET, tuning, Clock.systemUTC());
        long queries = dynamoStub.queries();
        long cpu = processCpuNanos();
        long start = System.nanoTime();
        OrderExporter.Outcome outcome = exporter.export(items.store(), job.id(), Instant.now().plus(Duration.ofMinutes(15)));
        double seconds = SideBySide.secondsSince(start);
        double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
        Job done = jobs.find(items.store(), job.id()).orElseThrow();
        if (outcome != OrderExporter.Outcome.COMPLETE || done.rowCount() == null || done.rowCount() != rows) {
            throw new IllegalStateException("export ended " + outcome + " with " + done.rowCount() + " of "
                    + rows + " rows: " + done.error());
        }
        String sha256 = s3Stub.sha256Of(done.fileKey());
        String crc64 = s3Stub.crc64Of(done.fileKey());
        if (crc64 != null && !crc64.equals(done.crc64nvme())) {
            throw new IllegalStateException("the object S3 received is not the file the job describes");
        }
        return new Run(seconds, cpuSeconds, done.rowCount(), dynamoStub.queries() - queries, sha256);
    }

    /** Pages through the same Query the exporter makes, discarding the items; returns how many there were. */
    long pageThroughAll() throws InvalidFilterException {
        long count = 0;
        for (QueryResponse page : dynamo.queryPaginator(
                orders.query(items.store(), OrderFilter.parse(items.filterSelectingAll()).createdAtRange()))) {
            count += page.items().size();
        }
        if (count != items.count()) {
            throw new IllegalStateException("paged through " + count + " of " + items.count() + " orders");
        }
        return count;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Override
    public void close() {
        dynamo.close();
        s3.close();
        dynamoStub.close();
        s3Stub.close();
    }
}
