package com.orderexport.jobs;

import static com.orderexport.jobs.JobItems.JOB_ID;
import static com.orderexport.jobs.JobItems.STORE_ID;
import static com.orderexport.jobs.JobItems.number;
import static com.orderexport.jobs.JobItems.text;

import com.orderexport.store.StoreId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The per-store admission limit: the ids of each store's unfinished (pending or processing) jobs, a string set
 * in one item of the jobs table under the partition {@code <store>#admission}. A create adds its job's id in
 * the transaction that puts the job, on condition that the set holds fewer than the limit; a job's decision
 * (complete or failed, by its export or by a sweeper) removes the id in the transaction that decides it. So the
 * count is exact under any concurrency without ever counting items, removing is harmless when repeated or for
 * a job that was never counted, and the oldest id is the job whose turn it is in its store.
 * <p>
 * A store id cannot contain '#', so the item never mixes with a store's jobs (the API lists the store's own
 * partition); it has no {@code job_type}, so the stream's filter never passes it; and it has no
 * {@code expires_at}, so TTL never removes it.
 */
public final class Admission {

    /** The sort key of a store's admission item. */
    static final String ITEM = "unfinished";
    /** The set of the store's unfinished job ids; DynamoDB drops the attribute when the set empties. */
    static final String UNFINISHED = "unfinished_jobs";
    /** What a refused create is told to wait: long enough for a store's running export to take a turn. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private Admission() {}

    static String partitionOf(StoreId store) {
        return store.value() + "#admission";
    }

    static Map<String, AttributeValue> key(StoreId store) {
        return Map.of(STORE_ID, text(partitionOf(store)), JOB_ID, text(ITEM));
    }

    /** Takes a place for a new job, on condition that fewer than {@code limit} of its store's jobs are unfinished. */
    static TransactWriteItem admit(String table, StoreId store, String jobId, int limit) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(store))
                .updateExpression("ADD #u :job")
                .conditionExpression("attribute_not_exists(#u) OR size(#u) < :limit")
                .expressionAttributeNames(Map.of("#u", UNFINISHED))
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromSs(List.of(jobId)),
                        ":limit", number(limit)))
                .build()).build();
    }

    /**
     * Gives back a job's place: goes in the same transaction as the write that decides the job. Unconditional,
     * so a decision never fails on bookkeeping; removing an id that is not there changes nothing.
     */
    public static TransactWriteItem release(String table, StoreId store, String jobId) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(store))
                .updateExpression("DELETE #u :job")
                .expressionAttributeNames(Map.of("#u", UNFINISHED))
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromSs(List.of(jobId))))
                .build()).build();
    }

    /** The ids of a store's unfinished jobs, oldest first (job ids are time-ordered). */
    static List<String> unfinished(DynamoDbClient dynamo, String table, StoreId store) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(store))).item();
        AttributeValue ids = item == null ? null : item.get(UNFINISHED);
        return ids == null || !ids.hasSs() ? List.of() : ids.ss().stream().sorted().toList();
    }
}
