package com.orderexport.exporter;

import com.orderexport.config.AwsFailures;
import com.orderexport.config.Settings;
import com.orderexport.files.MultipartUpload;
import com.orderexport.files.PartLimitException;
import com.orderexport.filter.InvalidFilterException;
import com.orderexport.filter.OrderFilter;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.LeaseLostException;
import com.orderexport.observe.CompletionPublisher;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import com.orderexport.observe.Metrics.Metric;
import com.orderexport.orders.TimeRange;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Exports one job if it is this invocation's to take: claims it, lets an {@link ExportRun} stream the store's
 * matching orders as CSV into S3, and decides the job complete or failed. Every outcome is a conditional write
 * on the run's claim, so a redelivered record, or a run that lost its lease, changes nothing and leaves no
 * second file.
 */
public final class OrderExporter implements ExportEngine {

    /** Elastic Path's text for an export whose filter matches no order. */
    public static final String NO_RESULTS = "No results matched the supplied filter";
    static final String UNEXPECTED = "The export failed unexpectedly; create a new job to try again";

    /** What a client reads on an export that outgrew the file S3 lets it write. */
    static String tooLarge(PartLimitException e) {
        return "The export is larger than this service can write for one part of the filter's created_at range (about "
                + e.bytes() / (1024 * 1024) + " MiB); split it into jobs over shorter created_at ranges";
    }

    /** How a run ended for its job. */
    public enum Outcome {
        COMPLETE, FAILED,
        /**
         * The invocation ran short of time or the run's quantum was up: a checkpoint holds the progress and a
         * later invocation goes on.
         */
        HANDED_OFF,
        /** The job was not this run's to export: gone, expired or decided. */
        SKIPPED,
        /**
         * Another run holds a live lease. If that run died, the job is free once its lease lapses, so the record
         * should be tried again later rather than acknowledged.
         */
        BUSY,
        /**
         * An older job of the store is unfinished: a store's jobs run one at a time, in creation order, and this
         * one is woken when the one before it is decided.
         */
        WAITING,
        /** The client cancelled the job: its run stopped, or it had none, and nothing of it is left. */
        CANCELLED
    }

    private final ExportLeases leases;
    private final OrderStore orders;
    private final S3Client s3;
    private final String bucket;
    private final ExportTuning tuning;
    private final Clock clock;
    private final CheckpointStore checkpoints;
    private final ExportWork work;
    private final Log log;
    private final Metrics metrics;
    private final ExportReport report;
    private final Cancellation cancellation;

    /** An exporter that logs to the runtime's logger, counts in the default namespace and publishes nothing. */
    public OrderExporter(ExportLeases leases, OrderStore orders, S3Client s3, String bucket, ExportTuning tuning, Clock clock) {
        this(leases, orders, s3, bucket, tuning, clock, Log.toRuntime(Log.Level.INFO),
                new Metrics(Settings.DEFAULT_METRICS_NAMESPACE), null);
    }

    /** @param events where decided jobs are announced; null announces nothing */
    public OrderExporter(ExportLeases leases, OrderStore orders, S3Client s3, String bucket, ExportTuning tuning,
                         Clock clock, Log log, Metrics metrics, CompletionPublisher events) {
        this(leases, orders, s3, bucket, tuning, clock, log, metrics, events, null, null);
    }

    /**
     * An exporter whose events of completed schedule runs carry a link to the file, signed by {@code links} to
     * last {@code linkTtl}: what is delivered to a schedule's notify_url.
     */
    public OrderExporter(ExportLeases leases, OrderStore orders, S3Client s3, String bucket, ExportTuning tuning,
                         Clock clock, Log log, Metrics metrics, CompletionPublisher events, LinkSigner links,
                         Duration linkTtl) {
        this.leases = leases;
        this.orders = orders;
        this.s3 = s3;
        this.bucket = bucket;
        this.tuning = tuning;
        this.clock = clock;
        this.checkpoints = new CheckpointStore(s3, bucket);
        this.work = new ExportWork(leases, orders, s3, bucket, tuning, clock, checkpoints);
        this.log = log;
        this.metrics = metrics;
        this.report = new ExportReport(metrics, events, links == null ? null : new ExportReport.Links(links, linkTtl));
        this.cancellation = new Cancellation(leases.cancels(), s3, bucket, checkpoints, clock);
    }

    @Override
    public Log log() {
        return log;
    }

    /**
     * Exports the job whichever record stands for it (tools and tests without a stream), with this exporter's
     * own logger.
     */
    public Outcome export(StoreId store, String jobId, Instant deadline) {
        return export(store, jobId, ExportLeases.ANY_TURN, deadline,
                log.with("store_id", store.value()).with("job_id", jobId));
    }

    /**
     * Exports a job if it is this run's to take (its record is the job's current {@code turn}, see
     * {@link ExportLeases#claim(StoreId, String, long, Instant, Duration)}) and its turn in its store, handing it on before {@code deadline}
     * (the invocation's end) or at the end of its quantum if it is not done by then. The claim's lease is short
     * and renewed while the run works, so when the invocation dies a retry can take the job over within a lease.
     * Once the job is decided, the store's next job is woken. The run's outcome is logged and counted through
     * {@code jobLog} (bound to the job), and a decided job announced ({@link ExportReport}).
     *
     * @throws RuntimeException only when the job's outcome could not be recorded; the caller retries
     */
    @Override
    public Outcome export(StoreId store, String jobId, long turn, Instant deadline, Log jobLog) {
        if (leases.waitsForAnOlderJob(store, jobId)) {
            jobLog.info("export waiting: an older job of the store is unfinished", "outcome", "waiting");
            return Outcome.WAITING;
        }
        Decision decision = claimAndExport(store, jobId, turn, deadline, jobLog);
        Outcome outcome = decision.outcome();
        // A job found decided may have been decided by an invocation that died before it woke the next one.
        if (outcome == Outcome.COMPLETE || outcome == Outcome.FAILED || outcome == Outcome.CANCELLED
                || decision.foundDecided()) {
            wakeNextQuietly(store, jobLog);
        }
        return outcome;
    }

    private void wakeNextQuietly(StoreId store, Log jobLog) {
        try {
            leases.wakeNext(store, clock.instant());
        } catch (RuntimeException e) {
            // The job's outcome stands; the sweeper redrives a next job that stays pending.
            jobLog.warn("could not wake the store's next job; the sweeper will", e);
        }
    }

    @Override
    public void cancelled(StoreId store, String jobId, Log jobLog) {
        leases.cancels().cancelled(store, jobId).ifPresent(job -> report.reportCancelled(job, jobLog));
        wakeNextQuietly(store, jobLog);
    }

    /** A run's outcome, and whether a refused claim found the job decided already. */
    private record Decision(Outcome outcome, boolean foundDecided) {}

    private Decision claimAndExport(StoreId store, String jobId, long turn, Instant deadline, Log jobLog) {
        Instant started = clock.instant();
        ExportLeases.Claimed claimed = leases.claim(store, jobId, turn, started, tuning.lease());
        if (claimed.claim().isEmpty()) {
            ExportLeases.Refusal refusal = claimed.refusal();
            if (refusal == ExportLeases.Refusal.CANCELLING) {
                // The cancel's own record, or an older one of the job: whoever comes first finishes the cancel.
                return new Decision(cancellation.finish(store, jobId, jobLog) ? Outcome.CANCELLED : Outcome.SKIPPED,
                        false);
            }
            boolean busy = refusal == ExportLeases.Refusal.HELD_BY_LIVE_RUN;
            jobLog.info(switch (refusal) {
                case HELD_BY_LIVE_RUN -> "export deferred: another run holds a live lease on the job";
                case SUPERSEDED -> "export skipped: a newer record of the job claims it";
                case DECIDED -> "export skipped: the job is decided";
                case NOTHING_TO_DO -> "export skipped: the job is gone or expired";
                case CANCELLING -> throw new IllegalStateException("a cancel is finished above");
            }, "outcome", busy ? "busy" : "skipped", "turn", turn);
            return new Decision(busy ? Outcome.BUSY : Outcome.SKIPPED, refusal == ExportLeases.Refusal.DECIDED);
        }
        ExportClaim claim = claimed.claim().get();
        Log runLog = jobLog.with("attempt", claim.attempt());
        if (claim.attempt() == 1) {
            metrics.put(runLog, Metric.JOB_WAIT_TIME,
                    Math.max(0, Duration.between(claim.job().createdAt(), started).toMillis()));
        }
        ExportReport.Ended ended = run(claim, runLog, deadline);
        report.report(claim, ended, runLog, Duration.between(started, clock.instant()).toMillis());
        return new Decision(ended.outcome(), false);
    }

    private ExportReport.Ended run(ExportClaim claim, Log runLog, Instant deadline) {
        StoreId store = claim.job().storeId();
        String key = ExportFiles.objectKey(claim.job());
        OrderFilter filter;
        try {
            filter = OrderFilter.parse(claim.job().filter());
        } catch (InvalidFilterException e) {
            return decideFailed(claim, e.detail());
        }
        if (filter.createdAtRange().isEmpty() || filter.updatedAtRange().isEmpty()) {
            return decideFailed(claim, NO_RESULTS);
        }
        // A filter bounding only updated_at (an incremental feed's window) reads the updated_at index: the
        // changed orders alone, not every order ever created. With created_at bounds too, the key is used.
        boolean byUpdate = filter.createdAtRange().equals(TimeRange.ALL) && !filter.updatedAtRange().equals(TimeRange.ALL);
        OrderStore source = orders.along(byUpdate ? OrderStore.Axis.UPDATED_AT : OrderStore.Axis.CREATED_AT);
        TimeRange range = byUpdate ? filter.updatedAtRange() : filter.createdAtRange();
        try {
            Optional<ExportClaim.WrittenFile> written = claim.completing().filter(file -> isThere(key, file));
            if (written.isPresent()) {
                return recordWritten(claim, key, written.get(), runLog);
            }
            CheckpointStore.Saved checkpoint = resumable(claim, key, runLog);
            if (checkpoint == null) {
                // Nothing to go on from: whatever an earlier run uploaded is discarded and the export redone.
                claim.previousUploadId().ifPresent(id -> MultipartUpload.abort(s3, bucket, key, id));
            }
            ExportRun run = new ExportRun(work, claim, key, runLog);
            return switch (run.run(filter, source, range, checkpoint, deadline)) {
                case HANDED_OFF -> new ExportReport.Ended(Outcome.HANDED_OFF, run.rows(), null, null, null, null);
                case COMPLETE -> new ExportReport.Ended(Outcome.COMPLETE, run.rows(), run.fileSize(), run.crc64nvme(), null,
                        run.completedAt());
                case NO_RESULTS -> decideFailed(claim, NO_RESULTS);
            };
        } catch (PartLimitException e) {
            runLog.warn("export larger than the file it may write", e);
            return decideFailed(claim, tooLarge(e));
        } catch (LeaseLostException e) {
            return lostHold(claim, runLog);
        } catch (RuntimeException | IOException e) {
            if (MultipartUpload.isGone(e) && cancellation.finish(claim.job().storeId(), claim.job().id(), runLog)) {
                // A cancel finished elsewhere aborted the upload under this run.
                return new ExportReport.Ended(Outcome.CANCELLED, 0, null, null, null, clock.instant());
            }
            if (AwsFailures.isTransient(e) || MultipartUpload.isGone(e)) {
                // DynamoDB or S3 unreachable, throttling or failing for now: not the job's fault. Released, and
                // the record retried; if the trouble outlasts the retries, the sweeper sends the job round again.
                // An upload that vanished under a resumed run is retried too: the retry finds it gone and starts over.
                runLog.warn("export interrupted by an unavailable dependency; the job is released for a retry", e);
                releaseQuietly(claim, e);
                throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
            }
            runLog.error("export failed unexpectedly", e);
            return decideFailed(claim, UNEXPECTED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runLog.error("export interrupted", e);
            return decideFailed(claim, UNEXPECTED);
        } catch (Error crash) {
            // Out of memory, say: the job is not at fault, so it is not failed. It is released for the retry
            // that the rethrown error causes (or, should even the release not get through, the lease lapses
            // and a retry or the sweeper takes over); a run that crashes every time ends with the sweeper.
            runLog.error("export crashed; the job is released for a retry", crash);
            releaseQuietly(claim, crash);
            throw crash;
        }
    }

    /**
     * A run whose writes were refused: the client cancelled the job (the cancel is finished here, if nobody has
     * yet), or another run took it over and decides it.
     */
    private ExportReport.Ended lostHold(ExportClaim claim, Log runLog) {
        if (cancellation.finish(claim.job().storeId(), claim.job().id(), runLog)) {
            return new ExportReport.Ended(Outcome.CANCELLED, 0, null, null, null, clock.instant());
        }
        runLog.warn("export lost its lease; the run that took over decides the job");
        return new ExportReport.Ended(Outcome.SKIPPED, 0, null, null, null, null);
    }

    /** Best effort: should the release not get through either, the lease lapses and the job is free anyway. */
    private void releaseQuietly(ExportClaim claim, Throwable cause) {
        try {
            leases.release(claim, clock.instant());
        } catch (RuntimeException releaseFailed) {
            cause.addSuppressed(releaseFailed);
        }
    }

    /**
     * The checkpoint to go on from, or null to start over: when there is none, it cannot be read, or its upload
     * is gone (aborted by hand or by the bucket's lifecycle). A failure to reach S3 goes up instead: starting
     * over would throw away a long export's progress for a passing fault.
     */
    private CheckpointStore.Saved resumable(ExportClaim claim, String key, Log runLog) {
        if (claim.checkpointKey().isEmpty()) {
            return null;
        }
        CheckpointStore.Saved checkpoint;
        try {
            checkpoint = checkpoints.load(claim.checkpointKey().get());
        } catch (RuntimeException e) {
            if (AwsFailures.isTransient(e)) {
                throw e;
            }
            runLog.warn("export cannot read its checkpoint, starting over", e,
                    "checkpoint", claim.checkpointKey().get());
            return null;
        }
        if (!MultipartUpload.exists(s3, bucket, key, checkpoint.checkpoint().uploadId())) {
            runLog.warn("the checkpoint's upload is gone, starting over", "checkpoint", claim.checkpointKey().get());
            return null;
        }
        return checkpoint;
    }

    /**
     * Whether the object at {@code key} is the file an earlier run noted it was completing. Its size, and its
     * whole-file CRC-64 where S3 reports one, must match: keys are per job, so only this job's own completion
     * can have put an object there. (Emulators without a CRC-64 library report a 4-byte CRC-32 in its place.)
     */
    private boolean isThere(String key, ExportClaim.WrittenFile file) {
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            String reported = head.checksumCRC64NVME();
            boolean crc64Reported = reported != null && Base64.getDecoder().decode(reported).length == Long.BYTES;
            return head.contentLength() == file.size() && (!crc64Reported || reported.equals(file.crc64nvme()));
        } catch (NoSuchKeyException absent) {
            return false;
        }
    }

    /** Records the file an earlier run completed but could not record, rather than writing it again. */
    private ExportReport.Ended recordWritten(ExportClaim claim, String key, ExportClaim.WrittenFile file, Log runLog) {
        Instant now = clock.instant();
        leases.complete(claim, key, file.rows(), file.size(), file.crc64nvme(), now);
        checkpoints.deleteAll(key, runLog);
        runLog.info("export found its file completed by an earlier run and recorded it");
        return new ExportReport.Ended(Outcome.COMPLETE, file.rows(), file.size(), file.crc64nvme(), null, now);
    }

    /** A failed job keeps no upload and no checkpoint; what fails to go is swept by the bucket's lifecycle. */
    private void disposeOf(ExportClaim claim) {
        String key = ExportFiles.objectKey(claim.job());
        try {
            claim.previousUploadId().ifPresent(id -> MultipartUpload.abort(s3, bucket, key, id));
        } catch (RuntimeException e) {
            log.warn("failed job's upload not aborted; the bucket's lifecycle removes it", e);
        }
        checkpoints.deleteAll(key, log);
    }

    /**
     * Records a failure. If even that cannot be written, the job is released for a prompt retry and the
     * error goes up, so the stream record is retried rather than dropped.
     */
    private ExportReport.Ended decideFailed(ExportClaim claim, String reason) {
        Instant now = clock.instant();
        try {
            leases.fail(claim, reason, now);
            disposeOf(claim);
            return new ExportReport.Ended(Outcome.FAILED, 0, null, null, reason, now);
        } catch (LeaseLostException e) {
            return lostHold(claim, log.with("store_id", claim.job().storeId().value()).with("job_id", claim.job().id()));
        } catch (RuntimeException e) {
            try {
                leases.release(claim, clock.instant());
            } catch (RuntimeException releaseFailed) {
                e.addSuppressed(releaseFailed);
            }
            throw e;
        }
    }

}
