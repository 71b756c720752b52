package com.orderexport.jobs;

import java.util.Optional;

/**
 * One run's hold on a job it exports. Every later write of that run is conditional on {@code attempt},
 * so a run whose lease was taken over can no longer change the job.
 *
 * @param previousUploadId the multipart upload an earlier run started
 * @param checkpointKey where an earlier invocation left its progress, when it handed the job on
 */
public record ExportClaim(Job job, long attempt, Optional<String> previousUploadId, Optional<String> checkpointKey) {}
