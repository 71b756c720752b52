package com.orderexport.observe;

import java.time.Instant;

/**
 * What a client learns when a job is decided: the job's facts as its record holds them. {@code error} is null when
 * complete; the file facts are null when failed. A job that is a schedule's run names its schedule, due time and
 * window; completed, it carries a fresh link, because its event is what is delivered to the schedule's notify_url
 * and the receiver has no other way to the file. Other jobs' events carry no link: links are signed on request,
 * for the caller who asks.
 *
 * @param scheduleId    null unless the job is a schedule's run, as are {@code dueAt} and the window
 * @param windowFrom    the run's updated_at window, from (inclusive); null when it has no lower bound
 * @param windowTo      the run's updated_at window, to (exclusive); null when the schedule is not incremental
 * @param link          the file's signed link, for a completed run of a schedule only
 * @param linkExpiresAt when {@code link} stops working
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
        Instant completedAt,
        String scheduleId,
        Instant dueAt,
        Instant windowFrom,
        Instant windowTo,
        String link,
        Instant linkExpiresAt) {

    /** The event of a job that is no schedule's run. */
    public CompletionEvent(String storeId, String jobId, String jobType, String status, String error, Long rowCount,
                           Long fileSize, String crc64nvme, Instant createdAt, Instant completedAt) {
        this(storeId, jobId, jobType, status, error, rowCount, fileSize, crc64nvme, createdAt, completedAt, null, null,
                null, null, null, null);
    }

    /** The same event for a schedule's run ({@code scheduleId} to {@code windowTo} as the job records them). */
    public CompletionEvent ofRun(String schedule, Instant due, Instant from, Instant to) {
        return new CompletionEvent(storeId, jobId, jobType, status, error, rowCount, fileSize, crc64nvme, createdAt,
                completedAt, schedule, due, from, to, link, linkExpiresAt);
    }

    /** The same event carrying the file's signed link. */
    public CompletionEvent withLink(String href, Instant expiresAt) {
        return new CompletionEvent(storeId, jobId, jobType, status, error, rowCount, fileSize, crc64nvme, createdAt,
                completedAt, scheduleId, dueAt, windowFrom, windowTo, href, expiresAt);
    }

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
                .field("schedule_id", scheduleId)
                .field("due_at", dueAt)
                .field("window_from", windowFrom)
                .field("window_to", windowTo)
                .field("link", link)
                .field("link_expires_at", linkExpiresAt)
                .close();
    }
}
