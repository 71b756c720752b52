package com.orderexport.jobs;

import com.orderexport.config.AwsFailures;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Runs the jobs table's transactions (and the schedules table's) and reads why DynamoDB cancelled one. A transaction cancelled because
 * another one was in flight on the same item (a create beside a create of the same store, or beside a job's
 * decision: both touch the store's admission count), or because the item's partition was throttled, is tried
 * again after a short jittered pause, a bounded number of times, so it meets the other's outcome instead of
 * failing the request. When the tries run out the cancellation goes up, and callers treat it as passing
 * ({@link AwsFailures#isTransient}): a job is released for a retry, a request answered 429.
 */
public final class Transactions {

    static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    /** Tries in all; contention on one store's count clears within a few transactions' time. */
    static final int MAX_ATTEMPTS = 8;
    static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    static final Duration LONGEST_PAUSE = Duration.ofMillis(320);
    /**
     * Not ThreadLocalRandom: its seed is part of a SnapStart snapshot, so every instance restored from one
     * snapshot would draw the same pauses and collide again in step. SecureRandom reseeds from the system
     * after a restore.
     */
    private static final SecureRandom JITTER = new SecureRandom();

    /** Waits between attempts; tests pass their own to see the pauses. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration pause) throws InterruptedException;
    }

    private Transactions() {}

    /**
     * Writes the items in one transaction, retrying conflicts.
     *
     * @throws TransactionCanceledException when a condition failed, or conflicts or throttling outlasted the retries
     */
    public static void write(DynamoDbClient dynamo, List<TransactWriteItem> items) {
        write(() -> dynamo.transactWriteItems(r -> r.transactItems(items)), pause -> Thread.sleep(pause.toMillis()));
    }

    static void write(Runnable transaction, Pause pause) {
        for (int attempt = 1; ; attempt++) {
            try {
                transaction.run();
                return;
            } catch (TransactionCanceledException e) {
                if (!AwsFailures.lostARace(e) || attempt >= MAX_ATTEMPTS) {
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
        return Duration.ofMillis(JITTER.nextLong(cap + 1));
    }

    /** Whether the condition of the item at {@code index} (in the order written) failed. */
    public static boolean conditionFailed(TransactionCanceledException e, int index) {
        if (!e.hasCancellationReasons() || index < 0 || index >= e.cancellationReasons().size()) {
            return false;
        }
        CancellationReason reason = e.cancellationReasons().get(index);
        return CONDITIONAL_CHECK_FAILED.equals(reason.code());
    }
}
