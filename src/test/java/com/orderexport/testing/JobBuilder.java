package com.orderexport.testing;

import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobIds;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.store.StoreId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Builds a {@link Job} field by field by name, where the record's constructor takes fourteen arguments in a
 * row and three Longs (row count, rows exported, file size) that swap without a compiler noticing.
 */
public final class JobBuilder {

    private StoreId storeId;
    private String id;
    private String jobType = Job.ORDER_EXPORT;
    private String filter;
    private ExportOptions options = ExportOptions.DEFAULT;
    private JobStatus status = JobStatus.PENDING;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant expiresAt;
    private String error;
    private String fileKey;
    private Long rowCount;
    private Long rowsExported;
    private Long fileSize;
    private String crc64nvme;

    private JobBuilder() {}

    /**
     * A new pending export job as the API creates it: created now (to the millisecond, as the table keeps it),
     * a version 7 id of that instant, expiring {@link Job#LIFETIME} later unless set otherwise.
     */
    public static JobBuilder pending(StoreId store, String filter) {
        JobBuilder job = new JobBuilder();
        job.storeId = store;
        job.filter = filter;
        job.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return job;
    }

    /** Every field of this job, to change some of them: the job as a later write would leave it. */
    public static JobBuilder from(Job job) {
        JobBuilder copy = new JobBuilder();
        copy.storeId = job.storeId();
        copy.id = job.id();
        copy.jobType = job.jobType();
        copy.filter = job.filter();
        copy.options = job.options();
        copy.status = job.status();
        copy.createdAt = job.createdAt();
        copy.updatedAt = job.updatedAt();
        copy.expiresAt = job.expiresAt();
        copy.error = job.error();
        copy.fileKey = job.fileKey();
        copy.rowCount = job.rowCount();
        copy.rowsExported = job.rowsExported();
        copy.fileSize = job.fileSize();
        copy.crc64nvme = job.crc64nvme();
        return copy;
    }

    public JobBuilder id(String id) {
        this.id = id;
        return this;
    }

    public JobBuilder jobType(String jobType) {
        this.jobType = jobType;
        return this;
    }

    public JobBuilder filter(String filter) {
        this.filter = filter;
        return this;
    }

    public JobBuilder status(JobStatus status) {
        this.status = status;
        return this;
    }

    /** When the job was created; unless set, its id and expiry follow from it. */
    public JobBuilder createdAt(Instant createdAt) {
        this.createdAt = createdAt;
        return this;
    }

    public JobBuilder updatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt;
        return this;
    }

    /** The file's format, by the name a create request gives it (csv, jsonl). */
    public JobBuilder format(String format) {
        this.options = new ExportOptions(format, options.compression());
        return this;
    }

    /** Every option of the file's shape at once. */
    public JobBuilder options(ExportOptions options) {
        this.options = options;
        return this;
    }

    /** The file's compression (none, gzip). */
    public JobBuilder compression(String compression) {
        this.options = new ExportOptions(options.format(), compression);
        return this;
    }

    public JobBuilder expiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
        return this;
    }

    public JobBuilder error(String error) {
        this.error = error;
        return this;
    }

    public JobBuilder fileKey(String fileKey) {
        this.fileKey = fileKey;
        return this;
    }

    public JobBuilder rowCount(long rowCount) {
        this.rowCount = rowCount;
        return this;
    }

    public JobBuilder rowsExported(long rowsExported) {
        this.rowsExported = rowsExported;
        return this;
    }

    public JobBuilder fileSize(long fileSize) {
        this.fileSize = fileSize;
        return this;
    }

    public JobBuilder crc64nvme(String crc64nvme) {
        this.crc64nvme = crc64nvme;
        return this;
    }

    /** The job; an id or expiry not set is fixed from the creation time here, so a second build is the same job. */
    public Job build() {
        if (id == null) {
            id = JobIds.next(createdAt.toEpochMilli()).toString();
        }
        if (expiresAt == null) {
            expiresAt = createdAt.plus(Job.LIFETIME);
        }
        return new Job(storeId, id, jobType, filter, options, status, createdAt, updatedAt, expiresAt, error, fileKey, rowCount,
                rowsExported, fileSize, crc64nvme, null, null);
    }

    /** Builds the job and writes it to the table as a new job; the job written. */
    public Job createIn(JobStore jobs) {
        Job job = build();
        jobs.create(job);
        return job;
    }
}
