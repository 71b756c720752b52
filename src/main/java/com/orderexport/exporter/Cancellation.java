package com.orderexport.exporter;

import com.orderexport.files.MultipartUpload;
import com.orderexport.jobs.JobCancels;
import com.orderexport.jobs.JobSweeps;
import com.orderexport.observe.Log;
import com.orderexport.store.StoreId;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Finishes a client's cancel of a processing job, from wherever it is noticed: the job's own run (its writes are
 * refused once the job is cancelling), the export function on the cancel's stream record, or the sweeper. The
 * upload is aborted first, so that a run still writing can complete no object after it; then the object a run
 * may have completed before the cancel, and every checkpoint, are deleted; only then is the job marked
 * cancelled. A failure on the way goes up, so the cancel is finished by a retry, never marked done with
 * something left behind. Doing it twice is harmless.
 */
final class Cancellation {

    private final JobCancels jobs;
    private final S3Client s3;
    private final String bucket;
    private final CheckpointStore checkpoints;
    private final Clock clock;

    Cancellation(JobCancels jobs, S3Client s3, String bucket, CheckpointStore checkpoints, Clock clock) {
        this.jobs = jobs;
        this.s3 = s3;
        this.bucket = bucket;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /** @return whether the job stands cancelled now, by this call or an earlier one */
    boolean finish(StoreId store, String jobId, Log jobLog) {
        Optional<JobSweeps.Leftovers> left = jobs.leftovers(store, jobId);
        if (left.isEmpty()) {
            return jobs.isCancelled(store, jobId);
        }
        String key = ExportFiles.objectKey(store, jobId, left.get().options().exportFormat());
        left.get().uploadId().ifPresent(id -> MultipartUpload.abort(s3, bucket, key, id));
        s3.deleteObject(r -> r.bucket(bucket).key(key));
        checkpoints.removeAll(key);
        if (jobs.finish(store, jobId, clock.instant())) {
            jobLog.info("export cancelled: its upload, file and checkpoints are removed", "outcome", "cancelled");
            return true;
        }
        return jobs.isCancelled(store, jobId);
    }
}
