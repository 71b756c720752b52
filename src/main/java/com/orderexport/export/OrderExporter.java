package com.orderexport.export;

import com.orderexport.files.Crc64Nvme;
import com.orderexport.files.MultipartUpload;
import com.orderexport.files.PartAssembler;
import com.orderexport.files.SliceOutput;
import com.orderexport.orders.CreatedAtRange;
import com.orderexport.filter.InvalidFilterException;
import com.orderexport.filter.OrderFilter;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.LeaseLostException;
import com.orderexport.store.StoreId;
import com.orderexport.orders.OrderStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Runs one order export: claims the job, streams the store's matching orders as CSV into S3, and decides
 * the job complete or failed. Every outcome is a conditional write on the run's claim, so a redelivered
 * record, or a run that lost its lease, changes nothing and leaves no second file.
 */
public final class OrderExporter {

    /** Elastic Path's text for an export whose filter matches no order. */
    public static final String NO_RESULTS = "No results matched the supplied filter";
    static final String UNEXPECTED = "The export failed unexpectedly; create a new job to try again";
    /** Progress is written every few seconds: often enough to watch, rarely enough to cost nothing. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    /** Export threads never keep a Lambda container or a JVM alive on their own. */
    private static final ThreadFactory DAEMONS = runnable -> {
        Thread thread = new Thread(runnable, "export");
        thread.setDaemon(true);
        return thread;
    };

    /** How a run ended for its job. */
    public enum Outcome {
        COMPLETE, FAILED,
        /** The invocation ran short of time: a checkpoint holds the progress and the next invocation goes on. */
        HANDED_OFF,
        /** The job was not this run's to export: gone, expired, decided, or held by a live run. */
        SKIPPED
    }

    private final JobStore jobs;
    private final OrderStore orders;
    private final S3Client s3;
    private final String bucket;
    private final ExportTuning tuning;
    private final Clock clock;
    private final CheckpointStore checkpoints;

    public OrderExporter(JobStore jobs, OrderStore orders, S3Client s3, String bucket, ExportTuning tuning, Clock clock) {
        this.jobs = jobs;
        this.orders = orders;
        this.s3 = s3;
        this.bucket = bucket;
        this.tuning = tuning;
        this.clock = clock;
        this.checkpoints = new CheckpointStore(s3, bucket);
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
            return write(claim, filter, range, key, checkpoint, deadline);
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

    private Outcome write(ExportClaim claim, OrderFilter filter, CreatedAtRange range, String key,
                          CheckpointStore.Saved checkpoint, Instant deadline) throws IOException, InterruptedException {
        StoreId store = claim.job().storeId();
        ExecutorService threads = Executors.newCachedThreadPool(DAEMONS);
        int inFlight = tuning.partsInFlight() * tuning.slices();
        MultipartUpload upload;
        List<SliceRun> slices;
        if (checkpoint != null) {
            upload = MultipartUpload.resume(s3, bucket, key, checkpoint.checkpoint().uploadId(),
                    checkpoint.checkpoint().parts().stream().map(p -> CompletedPart.builder().partNumber(p.number())
                            .eTag(p.eTag()).build()).toList(), threads, inFlight);
            slices = SliceRun.restore(checkpoint, upload, tuning.partSize());
        } else {
            upload = MultipartUpload.start(s3, bucket, key, ExportFiles.CONTENT_TYPE,
                    ExportFiles.contentDisposition(claim.job().id()), threads, inFlight);
            jobs.recordUpload(claim, upload.uploadId());
            slices = plan(store, range, orders.page(store, range, null), upload);
        }
        boolean handedOff = false;
        try {
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<?>> running = new ArrayList<>();
            for (SliceRun slice : slices) {
                if (!slice.done()) {
                    running.add(threads.submit(() -> {
                        slice.write(orders, store, filter, threads, stop);
                        return null;
                    }));
                }
            }
            awaitReportingProgress(claim, running, slices, stop, deadline);
            long rows = slices.stream().mapToLong(SliceRun::rows).sum();
            if (slices.stream().anyMatch(slice -> !slice.done())) {
                upload.awaitParts();
                CheckpointStore.Saved progress = SliceRun.checkpoint(upload, slices);
                String saved = checkpoints.save(key, claim.attempt(), progress.checkpoint(), progress.stash());
                jobs.handOff(claim, saved, rows);
                handedOff = true;
                claim.checkpointKey().ifPresent(checkpoints::delete);
                log(claim, "handed off after " + rows + " rows");
                return Outcome.HANDED_OFF;
            }
            if (rows == 0) {
                upload.abort();
                claim.checkpointKey().ifPresent(checkpoints::delete);
                return decideFailed(claim, NO_RESULTS);
            }
            long[] crcAndLength = PartAssembler.complete(upload, slices.stream().map(SliceRun::output).toList());
            jobs.complete(claim, key, rows, crcAndLength[1], Crc64Nvme.toBase64(crcAndLength[0]), clock.instant());
            claim.checkpointKey().ifPresent(checkpoints::delete);
            return Outcome.COMPLETE;
        } finally {
            if (!handedOff) {
                // A no-op once the upload completed; otherwise no part may outlive a failed run.
                upload.abort();
            }
            threads.shutdownNow();
        }
    }

    /**
     * Splits the range into the configured number of equal time slices, unless its first page is all there
     * is (a small export stays sequential). The probe page is not read twice: a single slice starts with it.
     */
    private List<SliceRun> plan(StoreId store, CreatedAtRange range, QueryResponse probe, MultipartUpload upload) {
        boolean onePage = !probe.hasLastEvaluatedKey() || probe.lastEvaluatedKey().isEmpty();
        if (tuning.slices() > 1 && !onePage) {
            Instant from = range.from() != null ? range.from() : OrderStore.createdAtOf(probe.items().get(0));
            Instant to = range.to() != null ? range.to()
                    : orders.lastCreatedAt(store, range).orElseThrow().plusNanos(1);
            Duration step = Duration.between(from, to).dividedBy(tuning.slices());
            if (!step.isZero()) {
                int partsPerSlice = (MultipartUpload.MAX_PART_NUMBER - 1) / tuning.slices();
                List<SliceRun> slices = new ArrayList<>();
                for (int i = 0; i < tuning.slices(); i++) {
                    Instant sliceFrom = from.plus(step.multipliedBy(i));
                    Instant sliceTo = i == tuning.slices() - 1 ? to : from.plus(step.multipliedBy(i + 1));
                    slices.add(SliceRun.fresh(new CreatedAtRange(sliceFrom, sliceTo), null, i == 0,
                            new SliceOutput(upload, 1 + i * partsPerSlice, tuning.partSize(), MultipartUpload.MIN_PART_SIZE)));
                }
                return slices;
            }
        }
        return List.of(SliceRun.fresh(range, probe, true, new SliceOutput(upload, 1, tuning.partSize(), 0)));
    }

    /**
     * Waits for the slices, publishing the row count every few seconds so a poller sees progress, and asking
     * them to stop at their next page boundary once the invocation nears its end. The first slice to fail
     * stops the others.
     */
    private void awaitReportingProgress(ExportClaim claim, List<Future<?>> running, List<SliceRun> slices,
                                        AtomicBoolean stop, Instant deadline) throws IOException, InterruptedException {
        Instant handOffAt = deadline.minus(tuning.handOffMargin());
        Instant nextReport = clock.instant().plus(PROGRESS_EVERY);
        long reported = -1;
        for (Future<?> slice : running) {
            while (true) {
                if (!clock.instant().isBefore(handOffAt)) {
                    stop.set(true);
                }
                try {
                    slice.get(100, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    long rows = slices.stream().mapToLong(SliceRun::rows).sum();
                    if (rows != reported && !clock.instant().isBefore(nextReport)) {
                        jobs.reportProgress(claim, rows);
                        reported = rows;
                        nextReport = clock.instant().plus(PROGRESS_EVERY);
                    }
                } catch (ExecutionException e) {
                    running.forEach(f -> f.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                }
            }
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
