package com.orderexport.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * One run's hold on a job it exports. Every later write of that run is conditional on {@code attempt},
 * so a run whose lease was taken over can no longer change the job.
 *
 * @param previousUploadId the multipart upload an earlier run started
 * @param checkpointKey where an earlier invocation left its progress, when it handed the job on
 * @param completing the file an earlier run was completing when it ended, if one got that far
 * @param leaseUntil when the claim's lease lapses unless the run renews it
 */
public record ExportClaim(Job job, long attempt, Optional<String> previousUploadId, Optional<String> checkpointKey,
                          Optional<WrittenFile> completing, Instant leaseUntil) {

    /** A file as its run was about to complete it: what the job records once the object is there. */
    public record WrittenFile(long rows, long size, String crc64nvme) {}
}
