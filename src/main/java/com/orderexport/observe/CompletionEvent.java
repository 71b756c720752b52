package com.orderexport.observe;

import java.time.Instant;

/**
 * What a client learns when a job is decided: the job's facts as its record holds them, and never a link (links
 * are signed on request, for the caller who asks). {@code error} is null when complete; the file facts are null
 * when failed.
 */
public record CompletionEvent(
        String storeId,
        String jobId,
        String jobType,
        String status,
        String error,
        Long rowCount,
        Long fileSize,
        String crc64nvme,
        Instant createdAt,
        Instant completedAt) {

    public static final String SOURCE = "order-export";
    public static final String COMPLETED = "Export Job Completed";
    public static final String FAILED = "Export Job Failed";
    public static final String CANCELLED = "Export Job Cancelled";

    public boolean completed() {
        return "complete".equals(status);
    }

    public String detailType() {
        return switch (status) {
            case "complete" -> COMPLETED;
            case "cancelled" -> CANCELLED;
            default -> FAILED;
        };
    }

    /** The event's detail: every field always present (null when it does not apply), so rules can match on any. */
    public String detailJson() {
        return new JsonText()
                .field("store_id", storeId)
                .field("job_id", jobId)
                .field("job_type", jobType)
                .field("status", status)
                .field("error", error)
                .field("row_count", rowCount)
                .field("file_size", fileSize)
                .field("crc64nvme", crc64nvme)
                .field("created_at", createdAt)
                .field("completed_at", completedAt)
                .close();
    }
}
