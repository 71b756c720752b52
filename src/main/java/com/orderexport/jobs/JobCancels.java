package com.orderexport.jobs;

import static com.orderexport.jobs.JobItems.STATUS;
import static com.orderexport.jobs.JobItems.UPDATED_AT;
import static com.orderexport.jobs.JobItems.key;
import static com.orderexport.jobs.JobItems.text;
import static com.orderexport.jobs.JobItems.textOrNull;

import com.orderexport.store.StoreId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Cancelling a job in the table: a pending job is cancelled at once; a processing one becomes cancelling, which
 * every write of its run refuses (they are conditional on processing), until whoever finishes the cancel (its
 * run, the export function on the cancel's stream record, or the sweeper) has removed what the run left and
 * marks it cancelled. Both ends give back the job's place among its store's unfinished jobs in the same
 * transaction, so the count is right whoever gets there.
 */
public final class JobCancels {

    /** Each refused write means another writer moved the job on; a few rounds always settle it. */
    private static final int ROUNDS = 5;

    private final DynamoDbClient dynamo;
    private final String table;

    public JobCancels(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * The client's cancel: the job as it stands after it, which is the same job again when it is already
     * cancelling or cancelled.
     *
     * @return empty when the store has no such job
     * @throws JobProblem a conflict when the job is already complete or failed
     */
    public Optional<Job> request(StoreId store, String jobId, Instant now) throws JobProblem {
        for (int round = 0; round < ROUNDS; round++) {
            Optional<Job> found = read(store, jobId).map(JobItems::fromItem).filter(job -> !job.isExpiredAt(now));
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Job job = found.get();
            switch (job.status()) {
                case CANCELLING, CANCELLED -> {
                    return found;
                }
                case COMPLETE -> throw new JobProblem(JobProblem.Kind.CONFLICT, "Job " + jobId
                        + " is complete and cannot be cancelled; it expires on its own at " + job.expiresAt());
                case FAILED -> throw new JobProblem(JobProblem.Kind.CONFLICT, "Job " + jobId
                        + " has failed and cannot be cancelled; it expires on its own at " + job.expiresAt());
                case PENDING -> {
                    // A pending job has no run and nothing to remove: it is cancelled in one step, unless it was
                    // claimed meanwhile and is processing now.
                    if (decideCancelled(store, jobId, JobStatus.PENDING, now)) {
                        return read(store, jobId).map(JobItems::fromItem);
                    }
                }
                case PROCESSING -> {
                    if (markCancelling(store, jobId, now)) {
                        Optional<Job> after = read(store, jobId).map(JobItems::fromItem);
                        // Read back, as the client is told: from cancelling a job only moves on to cancelled, so
                        // a job still processing lost the write (moto has been seen to, under concurrent writes;
                        // DynamoDB does not), and the cancel is made again.
                        if (after.isEmpty() || after.get().status() != JobStatus.PROCESSING) {
                            return after;
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("job " + jobId + " kept changing while it was being cancelled");
    }

    /**
     * Marks a cancelling job cancelled, once: the caller has already removed what its run left behind (so a run
     * still writing finds its upload gone), and learns here whether it was the one to finish the cancel.
     *
     * @return whether this call cancelled it; false when it was not cancelling (finished by another, or never
     *     cancelled)
     */
    public boolean finish(StoreId store, String jobId, Instant now) {
        return decideCancelled(store, jobId, JobStatus.CANCELLING, now);
    }

    /**
     * What a cancelling job's run may have left: its upload and checkpoint, read before they are removed.
     *
     * @return empty when the job is not cancelling
     */
    public Optional<JobSweeps.Leftovers> leftovers(StoreId store, String jobId) {
        return read(store, jobId).filter(item -> JobStatus.CANCELLING.wire().equals(textOrNull(item.get(STATUS))))
                .map(item -> {
                    Job job = JobItems.fromItem(item);
                    return new JobSweeps.Leftovers(Optional.ofNullable(textOrNull(item.get(JobItems.UPLOAD_ID))),
                            Optional.ofNullable(textOrNull(item.get(JobItems.CHECKPOINT_KEY))), job.jobType(),
                            job.options(), job.createdAt(), job.scheduled());
                });
    }

    /** Whether the job stands cancelled. */
    public boolean isCancelled(StoreId store, String jobId) {
        return cancelled(store, jobId).isPresent();
    }

    /** The job, if it stands cancelled. */
    public Optional<Job> cancelled(StoreId store, String jobId) {
        return read(store, jobId).map(JobItems::fromItem).filter(job -> job.status() == JobStatus.CANCELLED);
    }

    /**
     * Decides the job cancelled if it still stands {@code from}, releasing its place in the store's admission
     * count in the same transaction; false when it no longer stands so.
     */
    private boolean decideCancelled(StoreId store, String jobId, JobStatus from, Instant now) {
        Update decide = Update.builder().tableName(table).key(key(store, jobId))
                .updateExpression("SET #status = :cancelled, " + UPDATED_AT + " = :now REMOVE "
                        + JobItems.UNFINISHED_ONLY)
                .conditionExpression("#status = :from")
                .expressionAttributeNames(Map.of("#status", STATUS))
                .expressionAttributeValues(Map.of(":cancelled", text(JobStatus.CANCELLED.wire()),
                        ":from", text(from.wire()), ":now", text(now.toString())))
                .build();
        try {
            Transactions.write(dynamo, List.of(TransactWriteItem.builder().update(decide).build(),
                    Admission.release(table, store, jobId)));
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0)) {
                return false;
            }
            throw e;
        }
    }

    private boolean markCancelling(StoreId store, String jobId, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(store, jobId))
                    .updateExpression("SET #status = :cancelling, " + UPDATED_AT + " = :now")
                    .conditionExpression("#status = :processing")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":cancelling", text(JobStatus.CANCELLING.wire()),
                            ":processing", text(JobStatus.PROCESSING.wire()), ":now", text(now.toString()))));
            return true;
        } catch (ConditionalCheckFailedException decidedMeanwhile) {
            return false;
        }
    }

    private Optional<Map<String, AttributeValue>> read(StoreId store, String jobId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(store, jobId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }
}
