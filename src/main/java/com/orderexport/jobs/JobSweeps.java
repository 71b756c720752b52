package com.orderexport.jobs;

import static com.orderexport.jobs.JobItems.EXPORT_STAGE;
import static com.orderexport.jobs.JobItems.LEASE_UNTIL;
import static com.orderexport.jobs.JobItems.OPEN;
import static com.orderexport.jobs.JobItems.REDRIVEN;
import static com.orderexport.jobs.JobItems.REDRIVES;
import static com.orderexport.jobs.JobItems.RUNNING;
import static com.orderexport.jobs.JobItems.STATUS;
import static com.orderexport.jobs.JobItems.SWEEP_AT;
import static com.orderexport.jobs.JobItems.SWEEP_GROUP;
import static com.orderexport.jobs.JobItems.UPDATED_AT;
import static com.orderexport.jobs.JobItems.key;
import static com.orderexport.jobs.JobItems.number;
import static com.orderexport.jobs.JobItems.text;
import static com.orderexport.jobs.JobItems.textOrNull;

import com.orderexport.store.StoreId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The sweeper's reads and writes of the jobs table: finds unfinished jobs that show no sign of life in the
 * sparse {@code SweepIndex}, and redrives or fails each with a write conditional on the job being exactly as
 * it was read, so a run that renews its lease or decides the job meanwhile always wins.
 */
public final class JobSweeps {

    static final String INDEX = "SweepIndex";

    /** An unfinished job as the index shows it. */
    public record Stale(StoreId storeId, String jobId, JobStatus status, Instant lastSignOfLife, int redrives) {}

    /**
     * What a failed stale job leaves behind for the caller to remove (its run's upload and checkpoint), and the
     * facts that announce its failure.
     */
    public record Leftovers(Optional<String> uploadId, Optional<String> checkpointKey, String jobType,
                            ExportOptions options, Instant createdAt, ScheduledRun scheduled) {}

    private final DynamoDbClient dynamo;
    private final String table;

    public JobSweeps(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Cancels on the same table. */
    public JobCancels cancels() {
        return new JobCancels(dynamo, table);
    }

    /**
     * Jobs that nothing is working on: processing with a lease that lapsed, or pending, handed off or redriven
     * with no sign of life for {@code stuckAfter}. The index is eventually consistent; the writes that act on
     * what it shows are not.
     */
    public List<Stale> stale(Instant now, Duration stuckAfter) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":open", text(OPEN));
        values.put(":now", number(now.toEpochMilli()));
        values.put(":stuckBefore", number(now.minus(stuckAfter).toEpochMilli()));
        values.put(":processing", text(JobStatus.PROCESSING.wire()));
        values.put(":running", text(RUNNING));
        values.put(":cancelling", text(JobStatus.CANCELLING.wire()));
        QueryRequest query = QueryRequest.builder().tableName(table).indexName(INDEX)
                .keyConditionExpression(SWEEP_GROUP + " = :open AND " + SWEEP_AT + " < :now")
                // A running export's sweep_at is its lease's end: lapsed means stale. Anything else waits in
                // a stream lane, so it is only stale after stuckAfter. A cancel is finished once nothing holds
                // the job: no run renews a cancelling job's lease.
                .filterExpression("(#status = :processing AND " + EXPORT_STAGE + " = :running) OR #status = :cancelling OR "
                        + SWEEP_AT + " < :stuckBefore")
                .expressionAttributeNames(Map.of("#status", STATUS))
                .expressionAttributeValues(values)
                .build();
        List<Stale> found = new ArrayList<>();
        dynamo.queryPaginator(query).items().forEach(item -> found.add(new Stale(
                new StoreId(item.get(JobItems.STORE_ID).s()),
                item.get(JobItems.JOB_ID).s(),
                JobStatus.fromWire(item.get(STATUS).s()),
                Instant.ofEpochMilli(Long.parseLong(item.get(SWEEP_AT).n())),
                item.containsKey(REDRIVES) ? Integer.parseInt(item.get(REDRIVES).n()) : 0)));
        return found;
    }

    /**
     * Sends the job through the stream again: a MODIFY with {@code export_stage} "redriven", which the stream
     * filter passes and a claim accepts. It starts a new turn, so a record of the job still waiting in its lane
     * (the reason it looked stuck) claims nothing when it comes: the job keeps one live record.
     *
     * @return false when the job changed since it was read (it is alive after all, or decided)
     */
    public boolean redrive(Stale job, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(job.storeId(), job.jobId()))
                    .updateExpression("SET " + EXPORT_STAGE + " = :redriven, " + REDRIVES + " = :redrives, "
                            + SWEEP_AT + " = :now, " + LEASE_UNTIL + " = :zero, " + ExportLeases.NEXT_TURN)
                    .conditionExpression(unchangedSince())
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(
                            ":redriven", text(REDRIVEN),
                            ":redrives", number(job.redrives() + 1L),
                            ":now", number(now.toEpochMilli()),
                            ":zero", number(0),
                            ":one", number(1),
                            ":seen", number(job.lastSignOfLife().toEpochMilli()),
                            ":status", text(job.status().wire()))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    /**
     * Fails the job with a client-safe {@code reason}.
     *
     * @return what its last run left behind, or empty when the job changed since it was read
     */
    public Optional<Leftovers> fail(Stale job, String reason, Instant now) {
        // A transaction cannot return the old item, so it is read first; the write's condition (sweep_at and
        // status unchanged) makes sure what was read is still what is failed.
        Map<String, AttributeValue> old = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(job.storeId(), job.jobId()))).item();
        if (old == null || old.isEmpty()) {
            return Optional.empty();
        }
        Update decide = Update.builder().tableName(table).key(key(job.storeId(), job.jobId()))
                .updateExpression("SET #status = :failed, #error = :reason, " + UPDATED_AT + " = :nowText REMOVE "
                        + JobItems.UNFINISHED_ONLY)
                .conditionExpression(unchangedSince())
                .expressionAttributeNames(Map.of("#status", STATUS, "#error", JobItems.ERROR))
                .expressionAttributeValues(Map.of(
                        ":failed", text(JobStatus.FAILED.wire()),
                        ":reason", text(reason),
                        ":nowText", text(now.toString()),
                        ":seen", number(job.lastSignOfLife().toEpochMilli()),
                        ":status", text(job.status().wire())))
                .build();
        try {
            // Failing the job gives its place among the store's unfinished jobs back, in the same transaction.
            Transactions.write(dynamo, List.of(TransactWriteItem.builder().update(decide).build(),
                    Admission.release(table, job.storeId(), job.jobId())));
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0)) {
                return Optional.empty();
            }
            throw e;
        }
        Job failed = JobItems.fromItem(old);
        return Optional.of(new Leftovers(Optional.ofNullable(textOrNull(old.get(JobItems.UPLOAD_ID))),
                Optional.ofNullable(textOrNull(old.get(JobItems.CHECKPOINT_KEY))), failed.jobType(),
                failed.options(), failed.createdAt(), failed.scheduled()));
    }

    /**
     * Whether a pending job is only waiting its turn: an older job of its store is unfinished, and a store's jobs
     * run one at a time, so it is woken when that one is decided. Such a job is not stale however long it waits;
     * the older one is what the sweeper watches.
     */
    public boolean waitsItsTurn(Stale job) {
        if (job.status() != JobStatus.PENDING) {
            return false;
        }
        List<String> unfinished = Admission.unfinished(dynamo, table, job.storeId());
        return unfinished.contains(job.jobId()) && !unfinished.get(0).equals(job.jobId());
    }

    /** Starts the store's next job once the sweeper decided the one before it (see {@link ExportLeases#wakeNext}). */
    public Optional<String> wakeNext(StoreId store, Instant now) {
        return new ExportLeases(dynamo, table).wakeNext(store, now);
    }

    /** Every sign of life moves sweep_at, so an unchanged sweep_at and status mean nobody touched the job. */
    private static String unchangedSince() {
        return SWEEP_AT + " = :seen AND #status = :status";
    }
}
