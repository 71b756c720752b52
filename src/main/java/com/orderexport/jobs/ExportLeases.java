package com.orderexport.jobs;

import static com.orderexport.jobs.JobItems.ATTEMPT;
import static com.orderexport.jobs.JobItems.CHECKPOINT_KEY;
import static com.orderexport.jobs.JobItems.COMPLETING_CRC;
import static com.orderexport.jobs.JobItems.COMPLETING_ROWS;
import static com.orderexport.jobs.JobItems.COMPLETING_SIZE;
import static com.orderexport.jobs.JobItems.CRC64NVME;
import static com.orderexport.jobs.JobItems.ERROR;
import static com.orderexport.jobs.JobItems.ESTIMATED_COMPLETION_AT;
import static com.orderexport.jobs.JobItems.EXPIRES_AT;
import static com.orderexport.jobs.JobItems.EXPORT_STAGE;
import static com.orderexport.jobs.JobItems.FILE_KEY;
import static com.orderexport.jobs.JobItems.FILE_SIZE;
import static com.orderexport.jobs.JobItems.HANDED_OFF;
import static com.orderexport.jobs.JobItems.JOB_ID;
import static com.orderexport.jobs.JobItems.LEASE_UNTIL;
import static com.orderexport.jobs.JobItems.PROGRESS;
import static com.orderexport.jobs.JobItems.QUEUED;
import static com.orderexport.jobs.JobItems.ROWS_EXPORTED;
import static com.orderexport.jobs.JobItems.ROW_COUNT;
import static com.orderexport.jobs.JobItems.RUNNING;
import static com.orderexport.jobs.JobItems.REDRIVES;
import static com.orderexport.jobs.JobItems.STATUS;
import static com.orderexport.jobs.JobItems.SWEEP_AT;
import static com.orderexport.jobs.JobItems.SWEEP_GROUP;
import static com.orderexport.jobs.JobItems.TURN;
import static com.orderexport.jobs.JobItems.UPDATED_AT;
import static com.orderexport.jobs.JobItems.UPLOAD_ID;
import static com.orderexport.jobs.JobItems.fromItem;
import static com.orderexport.jobs.JobItems.key;
import static com.orderexport.jobs.JobItems.number;
import static com.orderexport.jobs.JobItems.text;
import static com.orderexport.jobs.JobItems.textOrNull;

import com.orderexport.store.StoreId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The lease protocol by which an export run holds a job: claim it for a short lease, renew the lease while it
 * works (the heartbeat), record its upload and progress, hand it on, decide it. Every write after the claim is
 * conditional on the claim's attempt number, so a run that lost the job can no longer change it; a run that
 * died stops renewing, and a retry or the sweeper takes the job over as soon as the lease lapses. Deciding a job
 * also gives back its place among its store's unfinished jobs ({@link Admission}), in the same transaction; and
 * since a store's jobs run one at a time, in creation order, a job waits while an older one is unfinished and is
 * woken when that one is decided. It is one class, over 200 lines, because every step shares the claim's
 * condition and the item layout.
 */
public final class ExportLeases {

    /** The attribute of a job's stream image that says which turn its record stands for. */
    public static final String TURN_ATTRIBUTE = TURN;
    /** Claims the job whichever record it has: for tools and tests that run an export without a stream. */
    public static final long ANY_TURN = -1;

    /** Why a claim took nothing. */
    public enum Refusal {
        /** Gone or expired: nothing is left to do. */
        NOTHING_TO_DO,
        /**
         * Decided already, perhaps by an invocation whose answer was lost: nothing to export, but the store's
         * next job may still need waking.
         */
        DECIDED,
        /** A newer record of the job (a hand-off, redrive or wake-up since) is the one that may claim it. */
        SUPERSEDED,
        /** Another run holds a live lease; if that run died, the job is claimable once the lease lapses. */
        HELD_BY_LIVE_RUN,
        /** The client cancelled it: nothing to export, and the cancel to finish if nobody has. */
        CANCELLING
    }

    /** A claim's result: the claim, or why there is none. */
    public record Claimed(Optional<ExportClaim> claim, Refusal refusal) {

        static Claimed of(ExportClaim claim) {
            return new Claimed(Optional.of(claim), null);
        }

        static Claimed refused(Refusal refusal) {
            return new Claimed(Optional.empty(), refusal);
        }
    }

    /** Counts the job's turn up, so the record this write sends through the stream is the one that may claim it. */
    static final String NEXT_TURN = TURN + " = if_not_exists(" + TURN + ", :zero) + :one";

    private final DynamoDbClient dynamo;
    private final String table;

    public ExportLeases(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Cancels on the same table. */
    public JobCancels cancels() {
        return new JobCancels(dynamo, table);
    }

    /**
     * Takes a job for export: a pending job, a processing one handed off or redriven, or a processing one whose
     * lease has lapsed (the run that held it died). The lease lasts {@code lease}; the run renews it.
     */
    public Claimed claim(StoreId store, String jobId, Instant now, Duration lease) {
        return claim(store, jobId, ANY_TURN, now, lease);
    }

    /**
     * {@link #claim(StoreId, String, Instant, Duration)} for the stream record of {@code turn}: a record that an
     * older turn wrote is superseded and claims nothing.
     */
    public Claimed claim(StoreId store, String jobId, long turn, Instant now, Duration lease) {
        Instant leaseUntil = now.plus(lease);
        String ofTurn = turn == ANY_TURN ? "" : turn == 0 ? " AND attribute_not_exists(" + TURN + ")"
                : " AND " + TURN + " = :turn";
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":processing", text(JobStatus.PROCESSING.wire()),
                ":pending", text(JobStatus.PENDING.wire()),
                ":lease", number(leaseUntil.toEpochMilli()),
                ":now", text(now.toString()),
                ":nowSeconds", number(now.getEpochSecond()),
                ":nowMillis", number(now.toEpochMilli()),
                ":zero", number(0),
                ":one", number(1),
                ":running", text(RUNNING)));
        if (turn > 0) {
            values.put(":turn", number(turn));
        }
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(store, jobId))
                    .updateExpression("SET #status = :processing, " + LEASE_UNTIL + " = :lease, " + SWEEP_AT
                            + " = :lease, " + UPDATED_AT + " = :now, " + EXPORT_STAGE + " = :running, "
                            + ATTEMPT + " = if_not_exists(" + ATTEMPT + ", :zero) + :one")
                    .conditionExpression("attribute_exists(" + JOB_ID + ") AND " + EXPIRES_AT + " > :nowSeconds AND "
                            + "(#status = :pending OR (#status = :processing AND (" + LEASE_UNTIL + " < :nowMillis OR "
                            + EXPORT_STAGE + " <> :running)))" + ofTurn)
                    .expressionAttributeNames(Map.of("#status", JobItems.STATUS))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Claimed.of(new ExportClaim(fromItem(item), Long.parseLong(item.get(ATTEMPT).n()),
                    Optional.ofNullable(textOrNull(item.get(UPLOAD_ID))),
                    Optional.ofNullable(textOrNull(item.get(CHECKPOINT_KEY))), completing(item), leaseUntil));
        } catch (ConditionalCheckFailedException notClaimable) {
            return Claimed.refused(whyNotClaimable(store, jobId, turn, now));
        }
    }

    private static Optional<ExportClaim.WrittenFile> completing(Map<String, AttributeValue> item) {
        if (!item.containsKey(COMPLETING_CRC)) {
            return Optional.empty();
        }
        return Optional.of(new ExportClaim.WrittenFile(Long.parseLong(item.get(COMPLETING_ROWS).n()),
                Long.parseLong(item.get(COMPLETING_SIZE).n()), item.get(COMPLETING_CRC).s()));
    }

    private Refusal whyNotClaimable(StoreId store, String jobId, long turn, Instant now) {
        Map<String, AttributeValue> item = read(store, jobId);
        if (item == null || item.isEmpty()) {
            return Refusal.NOTHING_TO_DO;
        }
        Job job = fromItem(item);
        if (job.status().isFinal()) {
            return Refusal.DECIDED;
        }
        if (job.status() == JobStatus.CANCELLING) {
            return Refusal.CANCELLING;
        }
        long current = item.containsKey(TURN) ? Long.parseLong(item.get(TURN).n()) : 0;
        if (turn != ANY_TURN && turn != current) {
            return Refusal.SUPERSEDED;
        }
        AttributeValue lease = item.get(LEASE_UNTIL);
        boolean live = job.status() == JobStatus.PROCESSING && !job.isExpiredAt(now) && lease != null
                && Long.parseLong(lease.n()) >= now.toEpochMilli();
        return live ? Refusal.HELD_BY_LIVE_RUN : Refusal.NOTHING_TO_DO;
    }

    /**
     * The heartbeat: extends the lease to {@code now + lease} and publishes the rows written so far.
     *
     * @return the new end of the lease
     * @throws LeaseLostException when the run no longer holds the job
     */
    public Instant renew(ExportClaim claim, long rowsExported, Instant now, Duration lease) {
        return renew(claim, rowsExported, null, null, now, lease);
    }

    /**
     * The heartbeat, publishing also the share of the orders read ({@code share}, null when not known) and when
     * the export should be done ({@code estimate}, null while there is no telling): in the same write, so
     * progress costs nothing per page.
     */
    public Instant renew(ExportClaim claim, long rowsExported, Double share, Instant estimate, Instant now,
                         Duration lease) {
        Instant until = now.plus(lease);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":lease", number(until.toEpochMilli()),
                ":rows", number(rowsExported), ":nowMillis", number(now.toEpochMilli()), ":running", text(RUNNING)));
        StringBuilder update = new StringBuilder("SET " + LEASE_UNTIL + " = :lease, " + SWEEP_AT + " = :lease, "
                + ROWS_EXPORTED + " = :rows");
        if (share != null) {
            update.append(", " + PROGRESS + " = :share");
            // Four decimals say enough, and a plain decimal is what DynamoDB's numbers take.
            values.put(":share", AttributeValue.fromN(BigDecimal.valueOf(share).setScale(4, RoundingMode.HALF_UP)
                    .toPlainString()));
        }
        if (estimate != null) {
            update.append(", " + ESTIMATED_COMPLETION_AT + " = :estimate");
            values.put(":estimate", number(estimate.toEpochMilli()));
        } else {
            update.append(" REMOVE " + ESTIMATED_COMPLETION_AT);
        }
        // Only a live lease is renewed: once it lapsed, a sweeper may have sent the job round again, and a late
        // renewal would hide that from it and keep the job's new record waiting.
        updateHeld(claim, update.toString(), values,
                " AND " + LEASE_UNTIL + " >= :nowMillis AND " + EXPORT_STAGE + " = :running");
        return until;
    }

    /**
     * Whether this job has not started and an older job of the store is still unfinished, so it must wait its
     * turn: a store's jobs run one at a time, in creation order. A job that admission never counted waits for
     * nothing, and neither does one already started (two creates racing can start a job before an older one
     * is counted; stopping it then would leave it with nobody to wake it).
     */
    public boolean waitsForAnOlderJob(StoreId store, String jobId) {
        List<String> unfinished = Admission.unfinished(dynamo, table, store);
        if (!unfinished.contains(jobId) || unfinished.get(0).equals(jobId)) {
            return false;
        }
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(key(store, jobId))).item();
        return item != null && item.containsKey(STATUS)
                && JobStatus.PENDING.wire().equals(item.get(STATUS).s());
    }

    /**
     * Starts the store's next job once the one before it is decided: marks the oldest unfinished job, if it is
     * still pending, "queued", a MODIFY the stream filter passes. A job that is already running, or another
     * run's wake-up of the same job, changes nothing; the claim takes a job only once either way.
     *
     * @return the job woken, if one was
     */
    public Optional<String> wakeNext(StoreId store, Instant now) {
        List<String> unfinished = Admission.unfinished(dynamo, table, store);
        if (unfinished.isEmpty()) {
            return Optional.empty();
        }
        String next = unfinished.get(0);
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(store, next))
                    // Its turn begins now: a sign of life, so the sweeper gives it a full StuckAfterSeconds.
                    .updateExpression("SET " + EXPORT_STAGE + " = :queued, " + SWEEP_AT + " = :now, " + NEXT_TURN)
                    // Once woken (or redriven) it has a live record: waking it again would only add another.
                    .conditionExpression("attribute_exists(" + JOB_ID + ") AND #status = :pending AND "
                            + "attribute_not_exists(" + EXPORT_STAGE + ")")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":queued", text(QUEUED), ":now", number(now.toEpochMilli()),
                            ":pending", text(JobStatus.PENDING.wire()), ":zero", number(0), ":one", number(1))));
            return Optional.of(next);
        } catch (ConditionalCheckFailedException alreadyGoing) {
            return Optional.empty();
        }
    }

    /** Remembers the run's multipart upload, so a run taking over can abort it. */
    public void recordUpload(ExportClaim claim, String uploadId) {
        updateHeld(claim, "SET " + UPLOAD_ID + " = :upload", Map.of(":upload", text(uploadId)), "");
    }

    /**
     * Leaves the job for the next invocation: the checkpoint at {@code checkpointKey} holds everything needed
     * to go on, and the stream's MODIFY record of this write (which the stream filter passes) starts it.
     */
    public void handOff(ExportClaim claim, String checkpointKey, long rowsExported, Instant now) {
        // A hand-off is progress: the redrives the sweeper counts are for jobs that make none.
        updateHeld(claim, "SET " + EXPORT_STAGE + " = :handedOff, " + CHECKPOINT_KEY + " = :checkpoint, "
                        + LEASE_UNTIL + " = :zero, " + SWEEP_AT + " = :now, " + ROWS_EXPORTED + " = :rows, " + NEXT_TURN
                        + " REMOVE " + REDRIVES,
                Map.of(":handedOff", text(HANDED_OFF), ":checkpoint", text(checkpointKey), ":zero", number(0),
                        ":now", number(now.toEpochMilli()), ":rows", number(rowsExported), ":one", number(1)), "");
    }

    /**
     * Notes the file the run is about to complete, so that a run ending between completing the object and
     * recording it leaves the next one enough to record it.
     */
    public void completing(ExportClaim claim, ExportClaim.WrittenFile file) {
        updateHeld(claim, "SET " + COMPLETING_ROWS + " = :rows, " + COMPLETING_SIZE + " = :size, " + COMPLETING_CRC
                        + " = :crc",
                Map.of(":rows", number(file.rows()), ":size", number(file.size()), ":crc", text(file.crc64nvme())), "");
    }

    /** Decides the job complete, with its file, and gives back its place in the store's count. */
    public void complete(ExportClaim claim, String fileKey, long rowCount, long fileSize, String crc64nvme, Instant now) {
        decide(claim, JobStatus.COMPLETE, "SET #status = :complete, " + FILE_KEY + " = :key, " + ROW_COUNT + " = :rows, "
                        + ROWS_EXPORTED + " = :rows, " + FILE_SIZE + " = :size, " + CRC64NVME + " = :crc, "
                        + UPDATED_AT + " = :now, " + PROGRESS + " = :one REMOVE " + ESTIMATED_COMPLETION_AT + ", "
                        + JobItems.UNFINISHED_ONLY,
                Map.of(":complete", text(JobStatus.COMPLETE.wire()), ":key", text(fileKey), ":rows", number(rowCount),
                        ":one", number(1),
                        ":size", number(fileSize), ":crc", text(crc64nvme), ":now", text(now.toString())));
    }

    /** Decides the job failed, with a reason for the client, and gives back its place in the store's count. */
    public void fail(ExportClaim claim, String error, Instant now) {
        decide(claim, JobStatus.FAILED, "SET #status = :failed, #error = :error, " + UPDATED_AT + " = :now REMOVE "
                        + JobItems.UNFINISHED_ONLY,
                Map.of(":failed", text(JobStatus.FAILED.wire()), ":error", text(error), ":now", text(now.toString())));
    }

    /** Gives the job up without deciding it, so a retry can claim it at once instead of after the lease. */
    public void release(ExportClaim claim, Instant now) {
        updateHeld(claim, "SET " + LEASE_UNTIL + " = :zero, " + SWEEP_AT + " = :now",
                Map.of(":zero", number(0), ":now", number(now.toEpochMilli())), "");
    }

    private void updateHeld(ExportClaim claim, String update, Map<String, AttributeValue> values, String andAlso) {
        Update held = heldUpdate(claim, update, values);
        String condition = held.conditionExpression() + andAlso;
        try {
            dynamo.updateItem(r -> r.tableName(held.tableName()).key(held.key())
                    .updateExpression(held.updateExpression())
                    .conditionExpression(condition)
                    .expressionAttributeNames(held.expressionAttributeNames())
                    .expressionAttributeValues(held.expressionAttributeValues()));
        } catch (ConditionalCheckFailedException e) {
            throw new LeaseLostException(claim.job().id());
        }
    }

    /**
     * The job's final write, in one transaction with giving back the job's place among its store's unfinished
     * jobs: the lease's condition makes sure both happen once, or neither.
     */
    private void decide(ExportClaim claim, JobStatus decision, String update, Map<String, AttributeValue> values) {
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().update(heldUpdate(claim, update, values)).build(),
                Admission.release(table, claim.job().storeId(), claim.job().id()));
        try {
            Transactions.write(dynamo, items);
        } catch (RuntimeException e) {
            // The answer may be what was lost: a try that went through, then a retry (the SDK's or ours) that
            // finds the job no longer held. Only this claim's attempt can have decided it so.
            if (decidedBy(claim, decision)) {
                return;
            }
            if (e instanceof TransactionCanceledException cancelled && Transactions.conditionFailed(cancelled, 0)) {
                throw new LeaseLostException(claim.job().id());
            }
            throw e;
        }
    }

    /** Whether the job stands decided as {@code decision} by this claim's attempt; false when it cannot be read. */
    private boolean decidedBy(ExportClaim claim, JobStatus decision) {
        try {
            Map<String, AttributeValue> item = read(claim.job().storeId(), claim.job().id());
            return item != null && item.containsKey(ATTEMPT) && decision.wire().equals(textOrNull(item.get(STATUS)))
                    && Long.parseLong(item.get(ATTEMPT).n()) == claim.attempt();
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private Map<String, AttributeValue> read(StoreId store, String jobId) {
        return dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(store, jobId))).item();
    }

    /** An update of the job on condition that this run still holds it. */
    private Update heldUpdate(ExportClaim claim, String update, Map<String, AttributeValue> values) {
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
        return Update.builder().tableName(table).key(key(claim.job().storeId(), claim.job().id()))
                .updateExpression(update)
                .conditionExpression(ATTEMPT + " = :attempt AND #s = :processingNow")
                .expressionAttributeNames(names)
                .expressionAttributeValues(all)
                .build();
    }

}
