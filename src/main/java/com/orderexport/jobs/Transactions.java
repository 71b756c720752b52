package com.orderexport.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Runs the jobs table's transactions and reads why DynamoDB cancelled one. A transaction cancelled because
 * another one was in flight on the same item (a create beside a create of the same store, or beside a job's
 * decision: both touch the store's admission count) is tried again after a short jittered pause, a bounded
 * number of times, so it meets the other's outcome instead of failing the request.
 */
final class Transactions {

    static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    static final String TRANSACTION_CONFLICT = "TransactionConflict";
    /** Tries in all; contention on one store's count clears within a few transactions' time. */
    static final int MAX_ATTEMPTS = 8;
    static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    static final Duration LONGEST_PAUSE = Duration.ofMillis(320);

    /** Waits between attempts; tests pass their own to see the pauses. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration pause) throws InterruptedException;
    }

    private Transactions() {}

    /**
     * Writes the items in one transaction, retrying conflicts.
     *
     * @throws TransactionCanceledException when a condition failed, or conflicts outlasted the retries
     */
    static void write(DynamoDbClient dynamo, List<TransactWriteItem> items) {
        write(() -> dynamo.transactWriteItems(r -> r.transactItems(items)), pause -> Thread.sleep(pause.toMillis()));
    }

    static void write(Runnable transaction, Pause pause) {
        for (int attempt = 1; ; attempt++) {
            try {
                transaction.run();
                return;
            } catch (TransactionCanceledException e) {
                if (!conflicted(e) || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                try {
                    pause.sleep(pauseBefore(attempt + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * A random pause up to a cap that doubles with each attempt ("full jitter"): transactions that collided
     * once spread out instead of colliding again in step.
     */
    static Duration pauseBefore(int attempt) {
        long cap = Math.min(LONGEST_PAUSE.toMillis(), FIRST_PAUSE.toMillis() << Math.min(attempt - 2, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }

    /** Whether a transaction in flight on one of the items cancelled this one. */
    static boolean conflicted(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                && e.cancellationReasons().stream().anyMatch(r -> TRANSACTION_CONFLICT.equals(r.code()));
    }

    /** Whether the condition of the item at {@code index} (in the order written) failed. */
    static boolean conditionFailed(TransactionCanceledException e, int index) {
        if (!e.hasCancellationReasons() || index < 0 || index >= e.cancellationReasons().size()) {
            return false;
        }
        CancellationReason reason = e.cancellationReasons().get(index);
        return CONDITIONAL_CHECK_FAILED.equals(reason.code());
    }
}
