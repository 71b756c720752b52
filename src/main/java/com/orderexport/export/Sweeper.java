package com.orderexport.export;

import com.orderexport.files.MultipartUpload;
import com.orderexport.jobs.JobSweeps;
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
    public record Summary(int stale, int redriven, int failed, int changedMeanwhile) {}

    private final JobSweeps jobs;
    private final S3Client s3;
    private final String bucket;
    private final CheckpointStore checkpoints;
    private final Duration stuckAfter;
    private final int maxRedrives;
    private final Clock clock;

    public Sweeper(JobSweeps jobs, S3Client s3, String bucket, Duration stuckAfter, int maxRedrives, Clock clock) {
        this.jobs = jobs;
        this.s3 = s3;
        this.bucket = bucket;
        this.checkpoints = new CheckpointStore(s3, bucket);
        this.stuckAfter = stuckAfter;
        this.maxRedrives = maxRedrives;
        this.clock = clock;
    }

    public Summary sweep() {
        Instant now = clock.instant();
        int stale = 0;
        int redriven = 0;
        int failed = 0;
        int changed = 0;
        for (JobSweeps.Stale job : jobs.stale(now, stuckAfter)) {
            stale++;
            if (job.redrives() < maxRedrives) {
                if (jobs.redrive(job, now)) {
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
            String key = ExportFiles.objectKey(job.storeId(), job.jobId());
            leftovers.get().uploadId().ifPresent(id -> MultipartUpload.abort(s3, bucket, key, id));
            leftovers.get().checkpointKey().ifPresent(checkpoints::delete);
        }
        return new Summary(stale, redriven, failed, changed);
    }
}
