package com.orderexport.jobs;

import java.time.Instant;

/**
 * How far a processing job's export has got, as its heartbeat last wrote it.
 *
 * @param share the share of its orders' created_at extent read, 0 to 1
 * @param estimatedCompletionAt when it should be done at its pace so far; null until that means something
 */
public record JobProgress(double share, Instant estimatedCompletionAt) {}
