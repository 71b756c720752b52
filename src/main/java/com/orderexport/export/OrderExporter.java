package com.orderexport.export;

import com.orderexport.files.MultipartUpload;
import com.orderexport.filter.InvalidFilterException;
import com.orderexport.filter.OrderFilter;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.LeaseLostException;
import com.orderexport.orders.CreatedAtRange;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Exports one job if it is this invocation's to take: claims it, lets an {@link ExportRun} stream the store's
 * matching orders as CSV into S3, and decides the job complete or failed. Every outcome is a conditional write
 * on the run's claim, so a redelivered record, or a run that lost its lease, changes nothing and leaves no
 * second file.
 */
public final class OrderExporter {

    /** Elastic Path's text for an export whose filter matches no order. */
    public static final String NO_RESULTS = "No results matched the supplied filter";
    static final String UNEXPECTED = "The export failed unexpectedly; create a new job to try again";

    /** How a run ended for its job. */
    public enum Outcome {
        COMPLETE, FAILED,
        /**
         * The invocation ran short of time or the run's quantum was up: a checkpoint holds the progress and a
         * later invocation goes on.
         */
        HANDED_OFF,
        /** The job was not this run's to export: gone, expired, decided, or held by a live run. */
        SKIPPED,
        /**
         * An older job of the store is unfinished: a store's jobs run one at a time, in creation order, and this
         * one is woken when the one before it is decided.
         */
        WAITING
    }

    private final ExportLeases leases;
    private final OrderStore orders;
    private final S3Client s3;
    private final String bucket;
    private final ExportTuning tuning;
    private final Clock clock;
    private final CheckpointStore checkpoints;

    public OrderExporter(ExportLeases leases, OrderStore orders, S3Client s3, String bucket, ExportTuning tuning, Clock clock) {
        this.leases = leases;
        this.orders = orders;
        this.s3 = s3;
        this.bucket = bucket;
        this.tuning = tuning;
        this.clock = clock;
        this.checkpoints = new CheckpointStore(s3, bucket);
    }

    /**
     * Exports a job if it is this run's to take and its turn in its store. The claim lasts until
     * {@code deadline} (the invocation's own end), so when the invocation dies a retry can take the job over.
     * Once the job is decided, the store's next job is woken.
     *
     * @throws RuntimeException only when the job's outcome could not be recorded; the caller retries
     */
    public Outcome export(StoreId store, String jobId, Instant deadline) {
        if (leases.waitsForAnOlderJob(store, jobId)) {
            return Outcome.WAITING;
        }
        Outcome outcome = claimAndExport(store, jobId, deadline);
        if (outcome == Outcome.COMPLETE || outcome == Outcome.FAILED) {
            try {
                leases.wakeNext(store);
            } catch (RuntimeException e) {
                // The job's outcome stands; the sweeper re-drives a next job that stays pending.
                System.err.println("store_id=" + store + " job_id=" + jobId + " could not wake the next job: " + e);
            }
        }
        return outcome;
    }

    private Outcome claimAndExport(StoreId store, String jobId, Instant deadline) {
        ExportClaim claim = leases.claim(store, jobId, clock.instant(), deadline).orElse(null);
        if (claim == null) {
            return Outcome.SKIPPED;
        }
        String key = ExportFiles.objectKey(store, jobId);
        CheckpointStore.Saved checkpoint = loadCheckpoint(claim);
        if (checkpoint == null) {
            // Nothing to go on from: whatever an earlier run uploaded is discarded and the export redone.
            claim.previousUploadId().ifPresent(id -> MultipartUpload.abort(s3, bucket, key, id));
        }
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
            ExportRun run = new ExportRun(leases, orders, s3, bucket, tuning, clock, checkpoints, claim, key);
            return switch (run.run(filter, range, checkpoint, deadline)) {
                case HANDED_OFF -> {
                    log(claim, "handed off after " + run.rows() + " rows");
                    yield Outcome.HANDED_OFF;
                }
                case COMPLETE -> Outcome.COMPLETE;
                case NO_RESULTS -> decideFailed(claim, NO_RESULTS);
            };
        } catch (LeaseLostException e) {
            log(claim, "lost its lease; the run that took over decides the job");
            return Outcome.SKIPPED;
        } catch (RuntimeException | IOException e) {
            log(claim, "failed: " + e);
            return decideFailed(claim, UNEXPECTED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log(claim, "interrupted");
            return decideFailed(claim, UNEXPECTED);
        }
    }

    private CheckpointStore.Saved loadCheckpoint(ExportClaim claim) {
        if (claim.checkpointKey().isEmpty()) {
            return null;
        }
        try {
            return checkpoints.load(claim.checkpointKey().get());
        } catch (RuntimeException e) {
            log(claim, "cannot read its checkpoint, starting over: " + e.getMessage());
            return null;
        }
    }

    /**
     * Records a failure. If even that cannot be written, the job is released for a prompt retry and the
     * error goes up, so the stream record is retried rather than dropped.
     */
    private Outcome decideFailed(ExportClaim claim, String reason) {
        try {
            leases.fail(claim, reason, clock.instant());
            return Outcome.FAILED;
        } catch (LeaseLostException e) {
            return Outcome.SKIPPED;
        } catch (RuntimeException e) {
            try {
                leases.release(claim);
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed);
            }
            throw e;
        }
    }

    static void log(ExportClaim claim, String message) {
        System.err.println("store_id=" + claim.job().storeId() + " job_id=" + claim.job().id() + " attempt="
                + claim.attempt() + " export " + message);
    }
}
