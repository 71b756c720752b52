package com.orderexport.jobs;

import com.orderexport.store.StoreId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a job and an idempotency record are laid out as jobs-table items: the attribute names, shared by the
 * API's store and the export's leases, and the mapping both ways.
 */
final class JobItems {

    static final String STORE_ID = "store_id";
    static final String JOB_ID = "job_id";
    static final String JOB_TYPE = "job_type";
    /** The job's file format; absent on jobs written before there was a choice, which are CSV. */
    static final String FORMAT = "format";
    /** The file's compression; absent on jobs written before there was a choice, which are not compressed. */
    static final String COMPRESSION = "compression";
    /** The CSV's chosen columns, comma-separated (a header holds no comma); absent for all of them. */
    static final String COLUMNS = "columns";
    /** The zone of the CSV's timestamps; absent for UTC. */
    static final String TIMEZONE = "timezone";
    /** What a row of the CSV is: absent for an order, {@code item} for an order item. */
    static final String ROWS = "rows";
    static final String FILTER = "filter";
    static final String STATUS = "status";
    static final String CREATED_AT = "created_at";
    static final String UPDATED_AT = "updated_at";
    static final String EXPIRES_AT = "expires_at";
    static final String ERROR = "error";
    static final String FILE_KEY = "file_key";
    static final String ROW_COUNT = "row_count";
    static final String ROWS_EXPORTED = "rows_exported";
    /** While processing: the share of the orders' created_at extent read (0 to 1), as the heartbeat last wrote it. */
    static final String PROGRESS = "progress";
    /** While processing: when the export should be done at the pace so far (absent until that means something). */
    static final String ESTIMATED_COMPLETION_AT = "estimated_completion_at";

    static final String FILE_SIZE = "file_size";
    static final String CRC64NVME = "crc64nvme";
    /** A schedule's run: the schedule, its due time and its updated_at window (epoch ms, from and to optional). */
    static final String SCHEDULE_ID = "schedule_id";
    static final String DUE_AT = "due_at";
    static final String WINDOW_FROM = "window_from";
    static final String WINDOW_TO = "window_to";
    static final String REQUEST_HASH = "request_hash";
    static final String TARGET_JOB_ID = "target_job_id";
    static final String ATTEMPT = "attempt";
    static final String LEASE_UNTIL = "lease_until";
    static final String UPLOAD_ID = "upload_id";
    /**
     * "running" while a run holds the job, "handed-off" when it left a checkpoint for the next invocation,
     * "queued" on a pending job whose turn came when the store's job before it was decided.
     */
    static final String EXPORT_STAGE = "export_stage";
    static final String CHECKPOINT_KEY = "checkpoint_key";
    /**
     * Written just before a run completes the file's upload: its rows, size and checksum. A run that completed
     * the object but ended before the job recorded it leaves them, and the next run records that file instead of
     * writing it again.
     */
    static final String COMPLETING_ROWS = "completing_rows";
    static final String COMPLETING_SIZE = "completing_size";
    static final String COMPLETING_CRC = "completing_crc64nvme";
    static final String RUNNING = "running";
    static final String HANDED_OFF = "handed-off";
    /** Set by the sweeper when it sends a stale job through the stream again. */
    static final String REDRIVEN = "redriven";
    static final String REDRIVES = "redrives";
    /**
     * Which stream record may claim the job: every write that sends the job through the stream again (a
     * hand-off, a redrive, a wake-up) counts it up, and a claim must name the current one, so a job has one live
     * record however many older ones are still queued or retried. A new job has none (its INSERT is turn 0).
     */
    static final String TURN = "turn";
    /**
     * The sweeper's sparse index: only unfinished jobs carry these two attributes. {@code sweep_at} is the
     * job's last sign of life in epoch milliseconds: its creation, hand-off or redrive, or the end of the lease
     * its run last renewed.
     */
    static final String SWEEP_GROUP = "sweep_group";
    static final String SWEEP_AT = "sweep_at";
    static final String OPEN = "open";

    /**
     * What a decided job no longer carries: its run's lease, upload, stage, checkpoint and completing file, and
     * the sweep index.
     */
    static final String UNFINISHED_ONLY = String.join(", ", LEASE_UNTIL, UPLOAD_ID, EXPORT_STAGE, CHECKPOINT_KEY,
            COMPLETING_ROWS, COMPLETING_SIZE, COMPLETING_CRC, SWEEP_GROUP, SWEEP_AT);
    static final String QUEUED = "queued";

    private JobItems() {}

    static Map<String, AttributeValue> key(StoreId store, String jobId) {
        return Map.of(STORE_ID, text(store.value()), JOB_ID, text(jobId));
    }

    static Map<String, AttributeValue> toItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(STORE_ID, text(job.storeId().value()));
        item.put(JOB_ID, text(job.id()));
        item.put(JOB_TYPE, text(job.jobType()));
        item.put(FILTER, text(job.filter()));
        item.put(FORMAT, text(job.options().format()));
        item.put(COMPRESSION, text(job.options().compression()));
        putIfPresent(item, COLUMNS, job.options().columns().isEmpty() ? null : text(String.join(",", job.options().columns())));
        putIfPresent(item, TIMEZONE, job.options().timezone().equals(ExportOptions.UTC) ? null : text(job.options().timezone()));
        putIfPresent(item, ROWS, job.options().rows().equals(ExportOptions.DEFAULT.rows()) ? null : text(job.options().rows()));
        item.put(STATUS, text(job.status().wire()));
        item.put(CREATED_AT, text(job.createdAt().toString()));
        item.put(EXPIRES_AT, number(job.expiresAt().getEpochSecond()));
        putIfPresent(item, UPDATED_AT, job.updatedAt() == null ? null : text(job.updatedAt().toString()));
        putIfPresent(item, ERROR, job.error() == null ? null : text(job.error()));
        putIfPresent(item, FILE_KEY, job.fileKey() == null ? null : text(job.fileKey()));
        putIfPresent(item, ROW_COUNT, job.rowCount() == null ? null : number(job.rowCount()));
        putIfPresent(item, ROWS_EXPORTED, job.rowsExported() == null ? null : number(job.rowsExported()));
        putIfPresent(item, FILE_SIZE, job.fileSize() == null ? null : number(job.fileSize()));
        putIfPresent(item, CRC64NVME, job.crc64nvme() == null ? null : text(job.crc64nvme()));
        if (job.scheduled() != null) {
            ScheduledRun run = job.scheduled();
            item.put(SCHEDULE_ID, text(run.scheduleId()));
            item.put(DUE_AT, number(run.dueAt().toEpochMilli()));
            putIfPresent(item, WINDOW_FROM, run.windowFrom() == null ? null : number(run.windowFrom().toEpochMilli()));
            putIfPresent(item, WINDOW_TO, run.windowTo() == null ? null : number(run.windowTo().toEpochMilli()));
        }
        if (!job.status().isFinal()) {
            item.put(SWEEP_GROUP, text(OPEN));
            item.put(SWEEP_AT, number(job.createdAt().toEpochMilli()));
        }
        return item;
    }

    static Job fromItem(Map<String, AttributeValue> item) {
        return new Job(
                new StoreId(item.get(STORE_ID).s()),
                item.get(JOB_ID).s(),
                item.get(JOB_TYPE).s(),
                item.get(FILTER).s(),
                optionsOf(item),
                JobStatus.fromWire(item.get(STATUS).s()),
                Instant.parse(item.get(CREATED_AT).s()),
                instantOrNull(item.get(UPDATED_AT)),
                Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())),
                textOrNull(item.get(ERROR)),
                textOrNull(item.get(FILE_KEY)),
                numberOrNull(item.get(ROW_COUNT)),
                numberOrNull(item.get(ROWS_EXPORTED)),
                numberOrNull(item.get(FILE_SIZE)),
                textOrNull(item.get(CRC64NVME)),
                progressOf(item),
                scheduledOf(item));
    }

    private static ScheduledRun scheduledOf(Map<String, AttributeValue> item) {
        AttributeValue schedule = item.get(SCHEDULE_ID);
        if (schedule == null) {
            return null;
        }
        return new ScheduledRun(schedule.s(), millisOrNull(item.get(DUE_AT)), millisOrNull(item.get(WINDOW_FROM)),
                millisOrNull(item.get(WINDOW_TO)));
    }

    private static Instant millisOrNull(AttributeValue value) {
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }

    private static JobProgress progressOf(Map<String, AttributeValue> item) {
        AttributeValue share = item.get(PROGRESS);
        if (share == null) {
            return null;
        }
        AttributeValue estimate = item.get(ESTIMATED_COMPLETION_AT);
        return new JobProgress(Double.parseDouble(share.n()),
                estimate == null ? null : Instant.ofEpochMilli(Long.parseLong(estimate.n())));
    }

    /** The export options a job item holds. */
    static ExportOptions optionsOf(Map<String, AttributeValue> item) {
        AttributeValue format = item.get(FORMAT);
        AttributeValue compression = item.get(COMPRESSION);
        AttributeValue columns = item.get(COLUMNS);
        AttributeValue timezone = item.get(TIMEZONE);
        return new ExportOptions(format == null ? ExportOptions.DEFAULT.format() : format.s(),
                compression == null ? ExportOptions.DEFAULT.compression() : compression.s(),
                columns == null ? List.of() : List.of(columns.s().split(",")),
                timezone == null ? ExportOptions.UTC : timezone.s(),
                item.get(ROWS) == null ? ExportOptions.DEFAULT.rows() : item.get(ROWS).s());
    }

    static Map<String, AttributeValue> toItem(IdempotencyRecord record) {
        return Map.of(
                STORE_ID, text(IdempotencyRecord.partitionOf(record.storeId())),
                JOB_ID, text(record.key()),
                REQUEST_HASH, text(record.requestHash()),
                TARGET_JOB_ID, text(record.jobId()),
                EXPIRES_AT, number(record.expiresAt().getEpochSecond()));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, AttributeValue value) {
        if (value != null) {
            item.put(name, value);
        }
    }

    static AttributeValue text(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String textOrNull(AttributeValue value) {
        return value == null ? null : value.s();
    }

    private static Long numberOrNull(AttributeValue value) {
        return value == null ? null : Long.valueOf(value.n());
    }

    private static Instant instantOrNull(AttributeValue value) {
        return value == null ? null : Instant.parse(value.s());
    }
}
