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
 * export's writes are {@link ExportLeases}, the item layout {@link JobItems}. Idempotency records share the
 * table under the partition {@code <store>#idempotency} (its TTL expires them too), and each store's count of
 * unfinished jobs ({@link Admission}) under {@code <store>#admission}: a store id cannot contain '#', so
 * neither mixes with a store's jobs.
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

    /** Cancels on the same table. */
    JobCancels cancels() {
        return new JobCancels(dynamo, table);
    }

    /**
     * Stores a new job outside admission (it is not counted against its store's limit): for tests and tools.
     * An id already taken is a bug, not a retry, so it fails loudly.
     */
    public void create(Job job) {
        dynamo.putItem(r -> r.tableName(table).item(toItem(job))
                .conditionExpression("attribute_not_exists(" + JOB_ID + ")"));
    }

    /**
     * Stores a new job, and its idempotency record if there is one, in one transaction that also counts the job
     * against its store's limit of {@code limit} unfinished jobs. Nothing is written when a live record for the
     * same key exists (that record is the answer, even when the store is at its limit: a replay is never
     * refused), or when the store is at its limit.
     */
    public Creation create(Job job, Optional<IdempotencyRecord> record, int limit, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(job))
                .conditionExpression("attribute_not_exists(" + JOB_ID + ")").build()).build());
        record.ifPresent(r -> items.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(toItem(r))
                // An expired record may linger until DynamoDB's TTL sweep removes it; it no longer counts.
                .conditionExpression("attribute_not_exists(" + JOB_ID + ") OR " + EXPIRES_AT + " <= :now")
                .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond()))).build()).build()));
        int recordAt = record.isPresent() ? 1 : -1;
        int countAt = items.size();
        items.add(Admission.admit(table, job.storeId(), job.id(), limit));
        try {
            Transactions.write(dynamo, items);
            return new Creation.Stored();
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0) && writtenBefore(job)) {
                // The id is new, so the job can only exist because an earlier attempt of this very call was
                // written and its answer lost (a timeout); DynamoDB's request token makes such a retry a no-op
                // in AWS, and this makes it one on emulators that ignore the token.
                return new Creation.Stored();
            }
            boolean full = Transactions.conditionFailed(e, countAt);
            if (record.isPresent() && (full || Transactions.conditionFailed(e, recordAt))) {
                // DynamoDB need not report every failed condition, so a full store may hide a replay.
                Optional<IdempotencyRecord> earlier = findIdempotencyRecord(job.storeId(), record.get().key())
                        .filter(r -> r.isLiveAt(now));
                if (earlier.isPresent()) {
                    return new Creation.Earlier(earlier.get());
                }
            }
            if (full) {
                return new Creation.AtLimit();
            }
            throw e;
        }
    }

    private boolean writtenBefore(Job job) {
        return find(job.storeId(), job.id()).filter(found -> found.createdAt().equals(job.createdAt())
                && found.filter().equals(job.filter())).isPresent()
                && Admission.unfinished(dynamo, table, job.storeId()).contains(job.id());
    }

    /** The ids of a store's jobs that admission counts as unfinished (pending or processing), oldest first. */
    public List<String> unfinishedJobs(StoreId store) {
        return Admission.unfinished(dynamo, table, store);
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
