package com.orderexport.exporter;

import com.orderexport.files.MultipartUpload;
import java.time.Duration;

/**
 * How an export spends memory and waits: S3 part size, parts uploading at once, created_at slices queried
 * at once, the time kept back at the end of an invocation to hand the rest to the next one, how long a claim
 * holds the job unless renewed, and the turn an export may take before it hands off so the jobs queued behind
 * it get theirs.
 *
 * @param partSize bytes per S3 part (at least 5 MiB); memory is about (partsInFlight + 1) × partSize per slice
 * @param partsInFlight parts uploading in the background while the next one fills
 * @param slices created_at ranges queried concurrently (1 = sequential)
 * @param handOffMargin when less than this remains of the invocation, checkpoint and hand off
 * @param lease how long a claim holds the job unless renewed; a crashed run's job is free again this soon
 * @param quantum once a run has held its lane this long, checkpoint and hand off (its continuation queues
 *                behind the records that arrived meanwhile); the function takes it from
 *                {@code EXPORT_QUANTUM_SECONDS}, the constants here have none
 * @param partLimit the part numbers the upload may use, S3's 10,000 unless a test needs a file to reach the
 *                  limit with a few megabytes; the slices share them, and a slice that would run past its share
 *                  fails the export with a reason rather than write into another slice's parts
 */
public record ExportTuning(int partSize, int partsInFlight, int slices, Duration handOffMargin, Duration lease,
                           Duration quantum, int partLimit) {

    /** Big enough that a 10,000-part upload holds 80 GB; small enough to keep a few in memory. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** Short, so a retry after a crash takes over within a minute; the run renews it every third of that. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    /** A turn longer than any invocation (15 minutes at most): the deadline alone ends a run. */
    public static final Duration NO_QUANTUM = Duration.ofDays(1);

    public static final ExportTuning DEFAULT =
            new ExportTuning(DEFAULT_PART_SIZE, 2, 4, Duration.ofSeconds(60));

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
        if (quantum.isNegative() || quantum.isZero()) {
            throw new IllegalArgumentException("quantum must be positive");
        }
        if (partLimit > MultipartUpload.MAX_PART_NUMBER || partLimit < 2 * slices + 1) {
            // Each slice needs a part for its head and one for what follows; the tail takes the last number.
            throw new IllegalArgumentException("partLimit must leave every slice two parts and be at most "
                    + MultipartUpload.MAX_PART_NUMBER);
        }
    }

    public ExportTuning(int partSize, int partsInFlight, int slices, Duration handOffMargin, Duration lease,
                        Duration quantum) {
        this(partSize, partsInFlight, slices, handOffMargin, lease, quantum, MultipartUpload.MAX_PART_NUMBER);
    }

    /** The default lease and no quantum: a run ends only when the export is done or the invocation nears its end. */
    public ExportTuning(int partSize, int partsInFlight, int slices, Duration handOffMargin) {
        this(partSize, partsInFlight, slices, handOffMargin, DEFAULT_LEASE, NO_QUANTUM);
    }

    public ExportTuning(int partSize, int partsInFlight, int slices, Duration handOffMargin, Duration lease) {
        this(partSize, partsInFlight, slices, handOffMargin, lease, NO_QUANTUM);
    }

    public static ExportTuning sequential() {
        return new ExportTuning(DEFAULT_PART_SIZE, 1, 1, Duration.ofSeconds(60));
    }

    public ExportTuning withSlices(int count) {
        return new ExportTuning(partSize, partsInFlight, count, handOffMargin, lease, quantum, partLimit);
    }

    public ExportTuning withLease(Duration length) {
        return new ExportTuning(partSize, partsInFlight, slices, handOffMargin, length, quantum, partLimit);
    }

    public ExportTuning withQuantum(Duration turn) {
        return new ExportTuning(partSize, partsInFlight, slices, handOffMargin, lease, turn, partLimit);
    }

    public ExportTuning withPartLimit(int parts) {
        return new ExportTuning(partSize, partsInFlight, slices, handOffMargin, lease, quantum, parts);
    }

    /**
     * The part numbers slice {@code index} of {@code count} owns: its first takes its head joined to what the
     * slices before it carried; the last part number of all is kept for the tail of the whole file.
     */
    public PartRange partsOfSlice(int index, int count) {
        int share = (partLimit - 1) / count;
        int first = 1 + index * share;
        return new PartRange(first, index == count - 1 ? partLimit - 1 : first + share - 1);
    }

    /** Part numbers from {@code first} to {@code last}, both included. */
    public record PartRange(int first, int last) {}
}
