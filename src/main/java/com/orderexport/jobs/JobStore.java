package com.orderexport.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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
    static final String SHA256 = "sha256";
    static final String REQUEST_HASH = "request_hash";
    static final String TARGET_JOB_ID = "target_job_id";

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
        putIfPresent(item, SHA256, job.sha256() == null ? null : text(job.sha256()));
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
                textOrNull(item.get(SHA256)));
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
