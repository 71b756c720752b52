package com.orderexport.exporter;

import com.orderexport.config.Settings;
import com.orderexport.files.MultipartUpload;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobSweeps;
import com.orderexport.observe.CompletionEvent;
import com.orderexport.observe.CompletionPublisher;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import com.orderexport.observe.Metrics.Metric;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Finishes what the stream could not: every unfinished job that nothing is working on is sent through the
 * stream again, up to {@code maxRedrives} times, and then failed with a reason, its upload and checkpoint
 * removed. With the lease and the schedule this bounds how long any job stays unfinished.
 */
public final class Sweeper {

    /** What a client reads on a job the service gave up on. */
    public static final String GAVE_UP = "The export could not be finished after repeated attempts; "
            + "create a new job to try again";

    /** What one sweep did. */
    public record Summary(int stale, int redriven, int failed, int cancelled, int changedMeanwhile) {}

    private final JobSweeps jobs;
    private final S3Client s3;
    private final String bucket;
    private final CheckpointStore checkpoints;
    private final Cancellation cancellation;
    private final Duration stuckAfter;
    private final int maxRedrives;
    private final Clock clock;
    private final Log log;
    private final Metrics metrics;
    /** Null when no bus is configured: jobs the sweeper fails are then not announced. */
    private final CompletionPublisher events;

    /** A sweeper that logs to the runtime's logger, counts in the default namespace and announces nothing. */
    public Sweeper(JobSweeps jobs, S3Client s3, String bucket, Duration stuckAfter, int maxRedrives, Clock clock) {
        this(jobs, s3, bucket, stuckAfter, maxRedrives, clock, Log.toRuntime(Log.Level.INFO),
                new Metrics(Settings.DEFAULT_METRICS_NAMESPACE), null);
    }

    public Sweeper(JobSweeps jobs, S3Client s3, String bucket, Duration stuckAfter, int maxRedrives, Clock clock,
                   Log log, Metrics metrics, CompletionPublisher events) {
        this.log = log;
        this.metrics = metrics;
        this.events = events;
        this.jobs = jobs;
        this.s3 = s3;
        this.bucket = bucket;
        this.checkpoints = new CheckpointStore(s3, bucket);
        this.cancellation = new Cancellation(jobs.cancels(), s3, bucket, checkpoints, clock);
        this.stuckAfter = stuckAfter;
        this.maxRedrives = maxRedrives;
        this.clock = clock;
    }

    public Summary sweep() {
        return sweep(log);
    }

    /** One sweep, logging through {@code sweepLog} (bound to the invocation). */
    public Summary sweep(Log sweepLog) {
        Instant now = clock.instant();
        int stale = 0;
        int redriven = 0;
        int failed = 0;
        int cancelled = 0;
        int changed = 0;
        for (JobSweeps.Stale job : jobs.stale(now, stuckAfter)) {
            if (jobs.waitsItsTurn(job)) {
                continue; // queued behind an older job of its store, which is what is watched
            }
            stale++;
            Log jobLog = sweepLog.with("store_id", job.storeId().value()).with("job_id", job.jobId())
                    .with("redrives", job.redrives());
            if (job.status() == JobStatus.CANCELLING) {
                // A cancel whose run died, or whose record was lost: there is nothing to redrive, only to finish.
                try {
                    if (cancellation.finish(job.storeId(), job.jobId(), jobLog)) {
                        cancelled++;
                    }
                } catch (RuntimeException e) {
                    jobLog.warn("could not finish the job's cancel; the next sweep will", e);
                }
                continue;
            }
            if (job.redrives() < maxRedrives) {
                if (jobs.redrive(job, now)) {
                    jobLog.warn("stale job sent through the stream again", "status", job.status().wire(),
                            "last_sign_of_life", job.lastSignOfLife());
                    redriven++;
                } else {
                    changed++;
                }
                continue;
            }
            var leftovers = jobs.fail(job, GAVE_UP, now);
            if (leftovers.isEmpty()) {
                changed++;
                continue;
            }
            failed++;
            jobLog.warn("stale job failed after its redrives", "outcome", "failed", "error", GAVE_UP);
            metrics.put(jobLog, Metric.EXPORTS_FAILED, 1);
            String key = ExportFiles.objectKey(job.storeId(), job.jobId(), leftovers.get().options().exportFormat());
            leftovers.get().uploadId().ifPresent(id -> MultipartUpload.abort(s3, bucket, key, id));
            leftovers.get().checkpointKey().ifPresent(used -> checkpoints.delete(used, jobLog));
            if (events != null) {
                events.publish(ExportReport.asRun(new CompletionEvent(job.storeId().value(), job.jobId(),
                        leftovers.get().jobType(), JobStatus.FAILED.wire(), GAVE_UP, null, null, null,
                        leftovers.get().createdAt(), now), leftovers.get().scheduled(), null, null, now), jobLog);
            }
            try {
                jobs.wakeNext(job.storeId(), now);
            } catch (RuntimeException e) {
                jobLog.warn("could not wake the store's next job; the next sweep will", e);
            }
        }
        Summary summary = new Summary(stale, redriven, failed, cancelled, changed);
        if (stale > 0) {
            sweepLog.info("sweep done", "stale", stale, "redriven", redriven, "failed", failed,
                    "cancelled", cancelled, "changed_meanwhile", changed);
        }
        return summary;
    }
}
