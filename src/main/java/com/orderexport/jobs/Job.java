package com.orderexport.jobs;

import com.orderexport.store.StoreId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One export job as the table holds it. {@code updatedAt} is null until the job is first updated;
 * the export facts ({@code fileKey}, counts, checksum) are null until the export has produced them;
 * {@code scheduled} is null for a job a caller created, and names the schedule of a job a schedule created.
 */
public record Job(
        StoreId storeId,
        String id,
        String jobType,
        String filter,
        ExportOptions options,
        JobStatus status,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        String error,
        String fileKey,
        Long rowCount,
        Long rowsExported,
        Long fileSize,
        String crc64nvme,
        JobProgress progress,
        ScheduledRun scheduled) {

    /** Elastic Path jobs expire one week after creation. */
    public static final Duration LIFETIME = Duration.ofDays(7);
    public static final String ORDER_EXPORT = "order_export";

    /** A new job as Elastic Path's clients create it: its file is the default CSV. */
    public static Job pending(StoreId storeId, String id, String filter, Instant createdAt) {
        return pending(storeId, id, filter, ExportOptions.DEFAULT, createdAt);
    }

    public static Job pending(StoreId storeId, String id, String filter, ExportOptions options, Instant createdAt) {
        return pending(storeId, id, filter, options, createdAt, null);
    }

    /** A new job; {@code scheduled} names the schedule run it is, or is null. */
    public static Job pending(StoreId storeId, String id, String filter, ExportOptions options, Instant createdAt,
                              ScheduledRun scheduled) {
        return new Job(storeId, id, ORDER_EXPORT, filter, options, JobStatus.PENDING, createdAt, null,
                expiryOf(createdAt), null, null, null, null, null, null, null, scheduled);
    }

    /**
     * Seven days after creation, to the second: the table's TTL holds whole seconds, so a job created reads back
     * with the expiry it was created with.
     */
    public static Instant expiryOf(Instant createdAt) {
        return createdAt.plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS);
    }

    /** DynamoDB deletes expired items lazily, often days late, so every read checks expiry itself. */
    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    public boolean hasFile() {
        return status == JobStatus.COMPLETE && fileKey != null;
    }
}
