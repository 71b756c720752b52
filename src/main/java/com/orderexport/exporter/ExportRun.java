package com.orderexport.exporter;

import com.orderexport.files.Crc64Nvme;
import com.orderexport.files.MultipartUpload;
import com.orderexport.formats.ExportFormat;
import com.orderexport.files.PartAssembler;
import com.orderexport.files.PartAssembler.AssembledFile;
import com.orderexport.files.SliceOutput;
import com.orderexport.filter.OrderFilter;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.LeaseLostException;
import com.orderexport.observe.Log;
import com.orderexport.orders.TimeRange;
import com.orderexport.orders.OrderPage;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One invocation's part of a claimed export: starts the upload (or resumes it from a checkpoint), plans the
 * slices, runs them on their own threads while publishing progress, and either completes the file or, when
 * time runs short or its turn is over, saves a checkpoint and hands the job on. Deciding the job is
 * {@link OrderExporter}'s.
 */
final class ExportRun {

    /** Progress is written every few seconds: often enough to watch, rarely enough to cost nothing. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    /** Export threads never keep a Lambda container or a JVM alive on their own. */
    private static final ThreadFactory DAEMONS = runnable -> {
        Thread thread = new Thread(runnable, "export");
        thread.setDaemon(true);
        return thread;
    };

    /** How this invocation's part ended. */
    enum Result { COMPLETE, NO_RESULTS, HANDED_OFF }

    private final ExportWork work;
    private final ExportClaim claim;
    private final String key;
    private final Log log;
    /** When this invocation took its turn with the job; the quantum counts from here. */
    private final Instant began;
    private long rows;
    private AssembledFile file;
    private Instant completedAt;
    private volatile LeaseKeeper keeper;
    /**
     * The extent of the store's matching orders on the read's axis (created_at, or updated_at), first to last,
     * that progress is measured on.
     */
    private volatile TimeRange data;

    ExportRun(ExportWork work, ExportClaim claim, String key, Log log) {
        this.work = work;
        this.claim = claim;
        this.key = key;
        this.log = log;
        this.began = work.clock().instant();
    }

    /** Rows written so far, across invocations. */
    long rows() {
        return rows;
    }

    /** The completed file's size in bytes; only after {@link Result#COMPLETE}. */
    long fileSize() {
        return file.length();
    }

    String crc64nvme() {
        return Crc64Nvme.toBase64(file.crc64nvme());
    }

    /** When the job was recorded complete. */
    Instant completedAt() {
        return completedAt;
    }

    /**
     * Writes the export, from {@code checkpoint} if there is one, until it is done, the invocation nears
     * {@code deadline} or the run has had its quantum; then completes the file, or leaves a checkpoint and
     * hands the job on. {@code orders} is the table read along the axis {@code range} bounds.
     */
    Result run(OrderFilter filter, OrderStore orders, TimeRange range, CheckpointStore.Saved checkpoint,
               Instant deadline)
            throws IOException, InterruptedException {
        StoreId store = claim.job().storeId();
        ExecutorService threads = Executors.newCachedThreadPool(DAEMONS);
        int inFlight = work.tuning().partsInFlight() * work.tuning().slices();
        MultipartUpload upload;
        // A resumed upload belongs to the checkpoint the job names: only the run that completes the job, fails it
        // or starts over disposes of it. A run that merely ends (a passing fault, a lost lease, a crash) leaves it
        // to the retry, which goes on from that checkpoint.
        boolean resumed = checkpoint != null;
        // Resolved once per run: every slice writes the job's one format.
        ExportFormat format = claim.job().options().exportFormat();
        if (resumed) {
            upload = MultipartUpload.resume(work.s3(), work.bucket(), key, checkpoint.checkpoint().uploadId(),
                    checkpoint.checkpoint().parts().stream().map(p -> CompletedPart.builder().partNumber(p.number())
                            .eTag(p.eTag()).checksumCRC64NVME(p.crc64nvme()).build()).toList(), threads, inFlight);
        } else {
            upload = MultipartUpload.start(work.s3(), work.bucket(), key, format.contentType(),
                    ExportFiles.contentDisposition(claim.job().id(), format), threads, inFlight);
        }
        boolean handedOff = false;
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> running = new CopyOnWriteArrayList<>();
        List<SliceRun> slices = new CopyOnWriteArrayList<>();
        LeaseKeeper lease = new LeaseKeeper(work.leases(), claim, work.tuning().lease(), work.clock(),
                () -> new LeaseKeeper.Progress(slices.stream().mapToLong(SliceRun::rows).sum(), share(slices)), () -> {
                    stop.set(true);
                    running.forEach(f -> f.cancel(true));
                }, log);
        keeper = lease;
        try {
            if (resumed) {
                if (checkpoint.checkpoint().dataFrom() != null) {
                    data = new TimeRange(Instant.parse(checkpoint.checkpoint().dataFrom()),
                            Instant.parse(checkpoint.checkpoint().dataTo()));
                }
                slices.addAll(SliceRun.restore(checkpoint, upload, work.tuning().partSize(),
                        work.tuning().partLimit()));
            } else {
                // Inside the try: should recording the upload fail, the finally still aborts it.
                work.leases().recordUpload(claim, upload.uploadId());
                slices.addAll(plan(orders, store, range, orders.page(store, range, null), upload));
            }
            for (SliceRun slice : slices) {
                if (!slice.done()) {
                    running.add(threads.submit(() -> {
                        slice.write(orders, store, filter, format, threads, stop);
                        return null;
                    }));
                }
            }
            awaitReportingProgress(running, slices, stop, deadline);
            rows = slices.stream().mapToLong(SliceRun::rows).sum();
            if (slices.stream().anyMatch(slice -> !slice.done())) {
                // A run that lost the job (taken over, or cancelled) has no progress to hand on.
                lease.checkHeld();
                upload.awaitParts();
                CheckpointStore.Saved progress = SliceRun.checkpoint(upload, slices, data);
                String saved = work.checkpoints().save(key, claim.attempt(), progress.checkpoint(), progress.stash());
                try {
                    stopRenewing(lease);
                    work.leases().handOff(claim, saved, rows, work.clock().instant());
                } catch (LeaseLostException lost) {
                    // Nobody will go on from it: a cancel finished meanwhile must not find it left behind.
                    work.checkpoints().delete(saved, log);
                    throw lost;
                }
                handedOff = true;
                claim.checkpointKey().ifPresent(used -> work.checkpoints().delete(used, log));
                return Result.HANDED_OFF;
            }
            if (rows == 0) {
                lease.checkHeld();
                upload.abort();
                work.checkpoints().deleteAll(key, log);
                return Result.NO_RESULTS;
            }
            // Completing the object is for the run that holds the job; one that lost it leaves that to the other.
            lease.checkHeld();
            file = PartAssembler.join(upload, slices.stream().map(SliceRun::output).toList());
            // Noted first, so that a run ending between the object and the job's record (a crash, an outage, a
            // lease lapsing) leaves the next one a file to record rather than an export to write again.
            work.leases().completing(claim, new ExportClaim.WrittenFile(rows, file.length(), crc64nvme()));
            upload.complete(file.crc64nvme());
            // No check of the heartbeat's verdict here: the object is written, and the job's record is
            // conditional on this run's attempt, so it goes through exactly when no other run has taken over.
            lease.close();
            completedAt = work.clock().instant();
            work.leases().complete(claim, key, rows, file.length(), crc64nvme(), completedAt);
            work.checkpoints().deleteAll(key, log);
            return Result.COMPLETE;
        } finally {
            lease.close();
            if (!handedOff && !resumed) {
                // A no-op once the upload completed; otherwise no part of an upload no checkpoint names may
                // outlive its run.
                upload.abort();
            }
            threads.shutdownNow();
        }
    }

    /** The share of the data's extent the slices have read, 0 to 1; null while it is not known. */
    private Double share(List<SliceRun> slices) {
        TimeRange extent = data;
        if (extent == null) {
            return null;
        }
        long span = 0;
        long read = 0;
        for (SliceRun slice : slices) {
            SliceRun.Coverage coverage = slice.coverage(extent);
            span += coverage.span();
            read += coverage.read();
        }
        return span == 0 ? null : (double) read / span;
    }

    /** The last writes need no heartbeat, and one racing them must not revive a lease they give up. */
    private static void stopRenewing(LeaseKeeper lease) {
        lease.close();
        lease.checkHeld();
    }

    /**
     * When to stop at the next page boundary and hand off: the invocation's deadline less the margin, or the
     * end of the run's quantum if that comes first. Ending a turn gives the lane to the records queued behind
     * this job's (other stores' jobs), and the continuation's record waits its turn after them.
     */
    static Instant handOffAt(Instant began, Instant deadline, ExportTuning tuning) {
        Instant beforeDeadline = deadline.minus(tuning.handOffMargin());
        Instant endOfTurn = began.plus(tuning.quantum());
        return endOfTurn.isBefore(beforeDeadline) ? endOfTurn : beforeDeadline;
    }

    /**
     * Splits the range into the configured number of equal time slices, unless its first page is all there
     * is (a small export stays sequential). The slices span the orders the range holds, from its first to its
     * last, not the filter's bounds: a filter from 2015 over orders from 2021 on would otherwise leave every slice
     * but the last empty, and that one with the whole file in its share of the part numbers. The probe page is
     * not read twice: a single slice starts with it.
     */
    private List<SliceRun> plan(OrderStore orders, StoreId store, TimeRange range, OrderPage probe,
                                MultipartUpload upload) {
        ExportTuning tuning = work.tuning();
        if (!probe.isLast() && probe.firstPosition().isPresent()) {
            // An export of more than a page: where its orders begin and end, to slice it and to tell its progress.
            data = new TimeRange(probe.firstPosition().get(),
                    orders.lastPosition(store, range).orElseThrow().plusNanos(1));
        }
        if (tuning.slices() > 1 && data != null) {
            Instant from = data.from();
            Instant to = data.to();
            Duration step = Duration.between(from, to).dividedBy(tuning.slices());
            if (!step.isZero()) {
                List<SliceRun> slices = new ArrayList<>();
                for (int i = 0; i < tuning.slices(); i++) {
                    // The first slice starts at the range's own start, so it also covers what the probe did.
                    Instant sliceFrom = i == 0 ? range.from() : from.plus(step.multipliedBy(i));
                    Instant sliceTo = i == tuning.slices() - 1 ? range.to() : from.plus(step.multipliedBy(i + 1));
                    ExportTuning.PartRange parts = tuning.partsOfSlice(i, tuning.slices());
                    slices.add(SliceRun.fresh(new TimeRange(sliceFrom, sliceTo), null, i == 0,
                            new SliceOutput(upload, parts.first(), parts.last(), tuning.partSize(),
                                    MultipartUpload.MIN_PART_SIZE)));
                }
                return slices;
            }
        }
        ExportTuning.PartRange parts = tuning.partsOfSlice(0, 1);
        return List.of(SliceRun.fresh(range, probe, true,
                new SliceOutput(upload, parts.first(), parts.last(), tuning.partSize(), 0)));
    }

    /**
     * Waits for the slices, asking them to stop at their next page boundary once the invocation nears its end
     * or its quantum is up. The first slice to fail, or the loss of the lease, stops the others.
     */
    private void awaitReportingProgress(List<Future<?>> running, List<SliceRun> slices,
                                        AtomicBoolean stop, Instant deadline) throws IOException, InterruptedException {
        Instant handOffAt = handOffAt(began, deadline, work.tuning());
        for (Future<?> slice : running) {
            while (true) {
                if (!work.clock().instant().isBefore(handOffAt)) {
                    stop.set(true);
                }
                try {
                    slice.get(100, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    keeper.checkHeld();
                } catch (CancellationException stopped) {
                    keeper.checkHeld();
                    throw stopped;
                } catch (ExecutionException e) {
                    running.forEach(f -> f.cancel(true));
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof Error crash) {
                        throw crash; // out of memory and the like: a crash of the run, not a verdict on the job
                    }
                    throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                }
            }
        }
    }
}
