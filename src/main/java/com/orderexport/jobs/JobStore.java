package com.orderexport.jobs;

import com.orderexport.store.StoreId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Reads and writes jobs in the jobs table (partition {@code store_id}, sort {@code job_id}). Idempotency
 * records share the table under the partition {@code <store>#idempotency}: a store id cannot contain '#',
 * so they never mix with a store's jobs, and the table's TTL expires them too.
 */
public final class JobStore {

    static final String STORE_ID = "store_id";
    static final String JOB_ID = "job_id";
    static final String JOB_TYPE = "job_type";
    static final String FILTER = "filter";
    static final String STATUS = "status";
    static final String CREATED_AT = "created_at";
    static final String UPDATED_AT = "updated_at";
    static final String EXPIRES_AT = "expires_at";
    static final String ERROR = "error";
    static final String FILE_KEY = "file_key";
    static final String ROW_COUNT = "row_count";
    static final String ROWS_EXPORTED = "rows_exported";
    static final String FILE_SIZE = "file_size";
    static final String CRC64NVME = "crc64nvme";
    static final String REQUEST_HASH = "request_hash";
    static final String TARGET_JOB_ID = "target_job_id";
    static final String ATTEMPT = "attempt";
    static final String LEASE_UNTIL = "lease_until";
    static final String UPLOAD_ID = "upload_id";
    /** "running" while a run holds the job, "handed-off" when it left a checkpoint for the next invocation. */
    static final String EXPORT_STAGE = "export_stage";
    static final String CHECKPOINT_KEY = "checkpoint_key";
    static final String RUNNING = "running";
    static final String HANDED_OFF = "handed-off";

    private final DynamoDbClient dynamo;
    private final String table;

    public JobStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** Stores a new job; an id already taken is a bug, not a retry, so it fails loudly. */
    public void create(Job job) {
        dynamo.putItem(r -> r.tableName(table).item(toItem(job))
                .conditionExpression("attribute_not_exists(" + JOB_ID + ")"));
    }

    /**
     * Stores a new job and its idempotency record in one transaction, unless a live record for the same key
     * exists: then nothing is written and that record is returned.
     */
    public Optional<IdempotencyRecord> createOnce(Job job, IdempotencyRecord record, Instant now) {
        Map<String, AttributeValue> names = Map.of(":now", number(now.getEpochSecond()));
        TransactWriteItem putJob = TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(job))
                .conditionExpression("attribute_not_exists(" + JOB_ID + ")").build()).build();
        TransactWriteItem putRecord = TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(toItem(record))
                // An expired record may linger until DynamoDB's TTL sweep removes it; it no longer counts.
                .conditionExpression("attribute_not_exists(" + JOB_ID + ") OR " + EXPIRES_AT + " <= :now")
                .expressionAttributeValues(names).build()).build();
        try {
            dynamo.transactWriteItems(r -> r.transactItems(putJob, putRecord));
            return Optional.empty();
        } catch (TransactionCanceledException e) {
            Optional<IdempotencyRecord> existing = findIdempotencyRecord(record.storeId(), record.key());
            if (existing.isEmpty()) {
                throw e;
            }
            return existing;
        }
    }

    public Optional<IdempotencyRecord> findIdempotencyRecord(StoreId store, String key) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(STORE_ID, text(IdempotencyRecord.partitionOf(store)), JOB_ID, text(key)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(store, key, item.get(REQUEST_HASH).s(),
                item.get(TARGET_JOB_ID).s(), Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n()))));
    }

    public Optional<Job> find(StoreId store, String jobId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(store, jobId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** All of a store's job items, newest first (the sort key is a time-ordered UUID). */
    public List<Job> listNewestFirst(StoreId store) {
        QueryRequest query = QueryRequest.builder().tableName(table)
                .keyConditionExpression(STORE_ID + " = :store")
                .expressionAttributeValues(Map.of(":store", text(store.value())))
                .scanIndexForward(false)
                .build();
        List<Job> jobs = new ArrayList<>();
        dynamo.queryPaginator(query).items().forEach(item -> jobs.add(fromItem(item)));
        return jobs;
    }

    /**
     * Takes a job for export: a pending job, a processing one handed off by the invocation before, or a
     * processing one whose lease has run out (the run that held it died). The lease lasts until
     * {@code leaseUntil}, the holding invocation's own deadline. Empty when the job is gone, expired, decided,
     * or held by a live run: then there is nothing to do.
     */
    public Optional<ExportClaim> claim(StoreId store, String jobId, Instant now, Instant leaseUntil) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(store, jobId))
                    .updateExpression("SET #status = :processing, " + LEASE_UNTIL + " = :lease, " + UPDATED_AT
                            + " = :now, " + EXPORT_STAGE + " = :running, "
                            + ATTEMPT + " = if_not_exists(" + ATTEMPT + ", :zero) + :one")
                    .conditionExpression("attribute_exists(" + JOB_ID + ") AND " + EXPIRES_AT + " > :nowSeconds AND "
                            + "(#status = :pending OR (#status = :processing AND (" + LEASE_UNTIL + " < :nowMillis OR "
                            + EXPORT_STAGE + " = :handedOff)))")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(
                            ":processing", text(JobStatus.PROCESSING.wire()),
                            ":pending", text(JobStatus.PENDING.wire()),
                            ":lease", number(leaseUntil.toEpochMilli()),
                            ":now", text(now.toString()),
                            ":nowSeconds", number(now.getEpochSecond()),
                            ":nowMillis", number(now.toEpochMilli()),
                            ":zero", number(0),
                            ":one", number(1),
                            ":running", text(RUNNING),
                            ":handedOff", text(HANDED_OFF)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(new ExportClaim(fromItem(item), Long.parseLong(item.get(ATTEMPT).n()),
                    Optional.ofNullable(textOrNull(item.get(UPLOAD_ID))),
                    Optional.ofNullable(textOrNull(item.get(CHECKPOINT_KEY)))));
        } catch (ConditionalCheckFailedException notOurs) {
            return Optional.empty();
        }
    }

    /** Remembers the run's multipart upload, so a run taking over can abort it. */
    public void recordUpload(ExportClaim claim, String uploadId) {
        updateHeld(claim, "SET " + UPLOAD_ID + " = :upload", Map.of(":upload", text(uploadId)));
    }

    /**
     * Leaves the job for the next invocation: the checkpoint at {@code checkpointKey} holds everything needed
     * to go on, and the stream's MODIFY record of this write (which the stream filter passes) starts it.
     */
    public void handOff(ExportClaim claim, String checkpointKey, long rowsExported) {
        updateHeld(claim, "SET " + EXPORT_STAGE + " = :handedOff, " + CHECKPOINT_KEY + " = :checkpoint, "
                        + LEASE_UNTIL + " = :zero, " + ROWS_EXPORTED + " = :rows",
                Map.of(":handedOff", text(HANDED_OFF), ":checkpoint", text(checkpointKey), ":zero", number(0),
                        ":rows", number(rowsExported)));
    }

    /** Publishes how many rows are written so far, so a client polling the job sees progress. */
    public void reportProgress(ExportClaim claim, long rowsExported) {
        updateHeld(claim, "SET " + ROWS_EXPORTED + " = :rows", Map.of(":rows", number(rowsExported)));
    }

    public void complete(ExportClaim claim, String fileKey, long rowCount, long fileSize, String crc64nvme, Instant now) {
        updateHeld(claim, "SET #status = :complete, " + FILE_KEY + " = :key, " + ROW_COUNT + " = :rows, "
                        + ROWS_EXPORTED + " = :rows, " + FILE_SIZE + " = :size, " + CRC64NVME + " = :crc, "
                        + UPDATED_AT + " = :now REMOVE " + LEASE_UNTIL + ", " + UPLOAD_ID + ", " + EXPORT_STAGE
                        + ", " + CHECKPOINT_KEY,
                Map.of(":complete", text(JobStatus.COMPLETE.wire()), ":key", text(fileKey), ":rows", number(rowCount),
                        ":size", number(fileSize), ":crc", text(crc64nvme), ":now", text(now.toString())));
    }

    public void fail(ExportClaim claim, String error, Instant now) {
        updateHeld(claim, "SET #status = :failed, #error = :error, " + UPDATED_AT + " = :now REMOVE "
                        + LEASE_UNTIL + ", " + UPLOAD_ID + ", " + EXPORT_STAGE + ", " + CHECKPOINT_KEY,
                Map.of(":failed", text(JobStatus.FAILED.wire()), ":error", text(error), ":now", text(now.toString())));
    }

    /** Gives the job up without deciding it, so a retry can claim it at once instead of after the lease. */
    public void release(ExportClaim claim) {
        updateHeld(claim, "SET " + LEASE_UNTIL + " = :zero", Map.of(":zero", number(0)));
    }

    private void updateHeld(ExportClaim claim, String update, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":attempt", number(claim.attempt()));
        all.put(":processingNow", text(JobStatus.PROCESSING.wire()));
        // status and error are DynamoDB reserved words, so they travel as names.
        Map<String, String> names = new HashMap<>(Map.of("#s", STATUS));
        if (update.contains("#status")) {
            names.put("#status", STATUS);
        }
        if (update.contains("#error")) {
            names.put("#error", ERROR);
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(claim.job().storeId(), claim.job().id()))
                    .updateExpression(update)
                    .conditionExpression(ATTEMPT + " = :attempt AND #s = :processingNow")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(all));
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLostException(claim.job().id());
        }
    }

    /** Writes a job exactly as given, replacing what is there; for tests and repair tools, not for requests. */
    public void replace(Job job) {
        dynamo.putItem(r -> r.tableName(table).item(toItem(job)));
    }

    static Map<String, AttributeValue> key(StoreId store, String jobId) {
        return Map.of(STORE_ID, text(store.value()), JOB_ID, text(jobId));
    }

    static Map<String, AttributeValue> toItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(STORE_ID, text(job.storeId().value()));
        item.put(JOB_ID, text(job.id()));
        item.put(JOB_TYPE, text(job.jobType()));
        item.put(FILTER, text(job.filter()));
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
        return item;
    }

    static Job fromItem(Map<String, AttributeValue> item) {
        return new Job(
                new StoreId(item.get(STORE_ID).s()),
                item.get(JOB_ID).s(),
                item.get(JOB_TYPE).s(),
                item.get(FILTER).s(),
                JobStatus.fromWire(item.get(STATUS).s()),
                Instant.parse(item.get(CREATED_AT).s()),
                instantOrNull(item.get(UPDATED_AT)),
                Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())),
                textOrNull(item.get(ERROR)),
                textOrNull(item.get(FILE_KEY)),
                numberOrNull(item.get(ROW_COUNT)),
                numberOrNull(item.get(ROWS_EXPORTED)),
                numberOrNull(item.get(FILE_SIZE)),
                textOrNull(item.get(CRC64NVME)));
    }

    private static Map<String, AttributeValue> toItem(IdempotencyRecord record) {
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

    private static String textOrNull(AttributeValue value) {
        return value == null ? null : value.s();
    }

    private static Long numberOrNull(AttributeValue value) {
        return value == null ? null : Long.valueOf(value.n());
    }

    private static Instant instantOrNull(AttributeValue value) {
        return value == null ? null : Instant.parse(value.s());
    }
}
