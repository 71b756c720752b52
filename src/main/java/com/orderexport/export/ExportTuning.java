package com.orderexport.export;

import com.orderexport.files.MultipartUpload;
import java.time.Duration;

/**
 * How an export spends memory and waits: S3 part size, parts uploading at once, created_at slices queried
 * at once, and the time kept back at the end of an invocation to hand the rest to the next one.
 *
 * @param partSize bytes per S3 part (at least 5 MiB); memory is about (partsInFlight + 1) × partSize per slice
 * @param partsInFlight parts uploading in the background while the next one fills
 * @param slices created_at ranges queried concurrently (1 = sequential)
 * @param handOffMargin when less than this remains of the invocation, checkpoint and hand off
 * @param lease how long a claim holds the job unless renewed; a crashed run's job is free again this soon
 */
public record ExportTuning(int partSize, int partsInFlight, int slices, Duration handOffMargin, Duration lease) {

    /** Short, so a retry after a crash takes over within a minute; the run renews it every third of that. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    /** Big enough that a 10,000-part upload holds 80 GB; small enough to keep a few in memory. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    public static final ExportTuning DEFAULT =
            new ExportTuning(DEFAULT_PART_SIZE, 2, 4, Duration.ofSeconds(60), DEFAULT_LEASE);

    public ExportTuning {
        if (partSize < MultipartUpload.MIN_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be at least " + MultipartUpload.MIN_PART_SIZE);
        }
        if (partsInFlight < 1 || slices < 1) {
            throw new IllegalArgumentException("partsInFlight and slices must be at least 1");
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease must be at least a second");
        }
    }

    public ExportTuning(int partSize, int partsInFlight, int slices, Duration handOffMargin) {
        this(partSize, partsInFlight, slices, handOffMargin, DEFAULT_LEASE);
    }

    public static ExportTuning sequential() {
        return new ExportTuning(DEFAULT_PART_SIZE, 1, 1, Duration.ofSeconds(60));
    }

    public ExportTuning withSlices(int count) {
        return new ExportTuning(partSize, partsInFlight, count, handOffMargin, lease);
    }

    public ExportTuning withLease(Duration length) {
        return new ExportTuning(partSize, partsInFlight, slices, handOffMargin, length);
    }
}
