package com.orderexport.export;

import com.orderexport.csv.OrderCsvWriter;
import com.orderexport.files.ExportFiles;
import com.orderexport.files.HashingOutputStream;
import com.orderexport.files.MultipartOutputStream;
import com.orderexport.filter.CreatedAtRange;
import com.orderexport.filter.InvalidFilterException;
import com.orderexport.filter.OrderFilter;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.LeaseLostException;
import com.orderexport.jobs.StoreId;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs one order export: claims the job, streams the store's matching orders as CSV into S3, and decides
 * the job complete or failed. Every outcome is a conditional write on the run's claim, so a redelivered
 * record, or a run that lost its lease, changes nothing and leaves no second file.
 */
public final class OrderExporter {

    /** Elastic Path's text for an export whose filter matches no order. */
    public static final String NO_RESULTS = "No results matched the supplied filter";
    static final String UNEXPECTED = "The export failed unexpectedly; create a new job to try again";
    /** Progress is written every few pages: often enough to watch, rarely enough to cost nothing. */
    static final int PROGRESS_EVERY_PAGES = 5;

    /** How a run ended for its job. */
    public enum Outcome {
        COMPLETE, FAILED,
        /** The job was not this run's to export: gone, expired, decided, or held by a live run. */
        SKIPPED
    }

    private final JobStore jobs;
    private final OrderStore orders;
    private final S3Client s3;
    private final String bucket;
    private final ExportTuning tuning;
    private final Clock clock;

    public OrderExporter(JobStore jobs, OrderStore orders, S3Client s3, String bucket, ExportTuning tuning, Clock clock) {
        this.jobs = jobs;
        this.orders = orders;
        this.s3 = s3;
        this.bucket = bucket;
        this.tuning = tuning;
        this.clock = clock;
    }

    /**
     * Exports a job if it is this run's to take. The claim lasts until {@code deadline} (the invocation's
     * own end), so when the invocation dies a retry can take the job over.
     *
     * @throws RuntimeException only when the job's outcome could not be recorded; the caller retries
     */
    public Outcome export(StoreId store, String jobId, Instant deadline) {
        ExportClaim claim = jobs.claim(store, jobId, clock.instant(), deadline).orElse(null);
        if (claim == null) {
            return Outcome.SKIPPED;
        }
        String key = ExportFiles.objectKey(store, jobId);
        claim.previousUploadId().ifPresent(id -> MultipartOutputStream.abort(s3, bucket, key, id));
        OrderFilter filter;
        try {
            filter = OrderFilter.parse(claim.job().filter());
        } catch (InvalidFilterException e) {
            return decideFailed(claim, e.detail());
        }
        CreatedAtRange range = filter.createdAtRange();
        if (range.isEmpty()) {
            return decideFailed(claim, NO_RESULTS);
        }
        try {
            return write(claim, filter, range, key);
        } catch (LeaseLostException e) {
            log(claim, "lost its lease; the run that took over decides the job");
            return Outcome.SKIPPED;
        } catch (RuntimeException | java.io.IOException e) {
            log(claim, "failed: " + e);
            return decideFailed(claim, UNEXPECTED);
        }
    }

    private Outcome write(ExportClaim claim, OrderFilter filter, CreatedAtRange range, String key)
            throws java.io.IOException {
        MultipartOutputStream upload = new MultipartOutputStream(s3, bucket, key, ExportFiles.CONTENT_TYPE,
                ExportFiles.contentDisposition(claim.job().id()), tuning.partSize());
        try {
            jobs.recordUpload(claim, upload.uploadId());
            HashingOutputStream hashed = new HashingOutputStream(upload);
            OrderCsvWriter csv = new OrderCsvWriter(hashed);
            int pages = 0;
            for (QueryResponse page : orders.pages(claim.job().storeId(), range)) {
                for (Map<String, AttributeValue> item : page.items()) {
                    Order order = orders.toOrder(item);
                    if (filter.test(order)) {
                        csv.write(order);
                    }
                }
                if (++pages % PROGRESS_EVERY_PAGES == 0) {
                    jobs.reportProgress(claim, csv.rowCount());
                }
            }
            if (csv.rowCount() == 0) {
                upload.abort();
                return decideFailed(claim, NO_RESULTS);
            }
            csv.close();
            jobs.complete(claim, key, csv.rowCount(), hashed.size(), hashed.sha256Hex(), clock.instant());
            return Outcome.COMPLETE;
        } finally {
            // A no-op once the upload completed; otherwise no part may outlive a failed run.
            upload.abort();
        }
    }

    /**
     * Records a failure. If even that cannot be written, the job is released for a prompt retry and the
     * error goes up, so the stream record is retried rather than dropped.
     */
    private Outcome decideFailed(ExportClaim claim, String reason) {
        try {
            jobs.fail(claim, reason, clock.instant());
            return Outcome.FAILED;
        } catch (LeaseLostException e) {
            return Outcome.SKIPPED;
        } catch (RuntimeException e) {
            try {
                jobs.release(claim);
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed);
            }
            throw e;
        }
    }

    private static void log(ExportClaim claim, String message) {
        System.err.println("store_id=" + claim.job().storeId() + " job_id=" + claim.job().id() + " attempt="
                + claim.attempt() + " export " + message);
    }
}
