package com.orderexport.jobs;

import static com.orderexport.jobs.JobItems.EXPIRES_AT;
import static com.orderexport.jobs.JobItems.JOB_ID;
import static com.orderexport.jobs.JobItems.REQUEST_HASH;
import static com.orderexport.jobs.JobItems.STORE_ID;
import static com.orderexport.jobs.JobItems.TARGET_JOB_ID;
import static com.orderexport.jobs.JobItems.fromItem;
import static com.orderexport.jobs.JobItems.key;
import static com.orderexport.jobs.JobItems.number;
import static com.orderexport.jobs.JobItems.text;
import static com.orderexport.jobs.JobItems.toItem;

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
 * The API's reads and writes of jobs in the jobs table (partition {@code store_id}, sort {@code job_id}); the
 * export's writes are {@link ExportLeases}, the item layout {@link JobItems}. Idempotency
 * records share the table under the partition {@code <store>#idempotency}: a store id cannot contain '#',
 * so they never mix with a store's jobs, and the table's TTL expires them too.
 */
public final class JobStore {

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
}
