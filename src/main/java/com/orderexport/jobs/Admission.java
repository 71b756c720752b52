package com.orderexport.jobs;

import static com.orderexport.jobs.JobItems.JOB_ID;
import static com.orderexport.jobs.JobItems.STORE_ID;
import static com.orderexport.jobs.JobItems.number;
import static com.orderexport.jobs.JobItems.text;

import com.orderexport.store.StoreId;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The per-store admission limit: each store's count of unfinished (pending or processing) jobs, one item of the
 * jobs table under the partition {@code <store>#admission}. A create adds one in the transaction that puts the
 * job, on condition that the count is below the limit; a job's decision (complete or failed, by its export or by
 * a sweeper) takes one off in the transaction that decides it. So the count is exact under any concurrency
 * without ever counting items. A store id cannot contain '#', so the item never mixes with a store's jobs (the
 * API lists the store's own partition); it has no {@code job_type}, so the stream's filter never passes it; and
 * it has no {@code expires_at}, so TTL never removes it.
 */
public final class Admission {

    /** The sort key of a store's count item. */
    static final String COUNT_ITEM = "unfinished";
    static final String UNFINISHED = "unfinished_jobs";
    /**
     * Marks a job counted at creation; only such a job gives its place back when decided (jobs created before
     * the limit existed, or written by tools, were never counted).
     */
    static final String ADMITTED = "admitted";
    /** What a refused create is told to wait: long enough for a store's running export to take a turn. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private Admission() {}

    static String partitionOf(StoreId store) {
        return store.value() + "#admission";
    }

    static Map<String, AttributeValue> key(StoreId store) {
        return Map.of(STORE_ID, text(partitionOf(store)), JOB_ID, text(COUNT_ITEM));
    }

    /** Takes a place for a new job: one more unfinished job, on condition that fewer than {@code limit} are. */
    static TransactWriteItem admit(String table, StoreId store, int limit) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(store))
                .updateExpression("SET #n = if_not_exists(#n, :zero) + :one")
                .conditionExpression("attribute_not_exists(#n) OR #n < :limit")
                .expressionAttributeNames(Map.of("#n", UNFINISHED))
                .expressionAttributeValues(Map.of(":zero", number(0), ":one", number(1), ":limit", number(limit)))
                .build()).build();
    }

    /**
     * Gives back an admitted job's place. Goes in the same transaction as the write that decides the job (whose
     * condition makes sure it is decided once), so the place is given back exactly once.
     */
    public static TransactWriteItem release(String table, StoreId store) {
        // Unconditional: a job's decision must never fail on bookkeeping.
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(store))
                .updateExpression("SET #n = if_not_exists(#n, :zero) + :minusOne")
                .expressionAttributeNames(Map.of("#n", UNFINISHED))
                .expressionAttributeValues(Map.of(":zero", number(0), ":minusOne", number(-1)))
                .build()).build();
    }
}
