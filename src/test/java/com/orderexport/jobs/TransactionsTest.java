package com.orderexport.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderexport.config.AwsFailures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Which cancelled transactions are tried again, how often, after what pauses, and how reasons are read. */
class TransactionsTest {

    final List<Duration> pauses = new ArrayList<>();

    @Test
    void write_retriesAConflictUntilTheTransactionGoesThrough() {
        AtomicInteger calls = new AtomicInteger();

        Transactions.write(() -> {
            if (calls.incrementAndGet() <= 3) {
                throw cancelled("None", "TransactionConflict", "None");
            }
        }, pauses::add);

        assertThat(calls).hasValue(4);
        assertThat(pauses).hasSize(3);
    }

    @Test
    void write_retriesAThrottledTransactionLikeAConflict() {
        AtomicInteger calls = new AtomicInteger();

        Transactions.write(() -> {
            if (calls.incrementAndGet() <= 2) {
                throw cancelled("ThrottlingError", "None");
            }
        }, pauses::add);

        assertThat(calls).hasValue(3);
        assertThat(pauses).hasSize(2);
    }

    @Test
    void aTransactionThatLostARace_isTransientContention_butAFailedConditionIsNeither() {
        assertThat(AwsFailures.isTransient(cancelled("None", "TransactionConflict"))).isTrue();
        assertThat(AwsFailures.isContention(cancelled("ThrottlingError"))).isTrue();
        assertThat(AwsFailures.isTransient(cancelled("ConditionalCheckFailed", "None"))).isFalse();
        assertThat(AwsFailures.isContention(cancelled("ConditionalCheckFailed", "None"))).isFalse();
    }

    @Test
    void write_givesUpOnConflictsAfterABoundedNumberOfAttempts() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> Transactions.write(() -> {
            calls.incrementAndGet();
            throw cancelled("TransactionConflict");
        }, pauses::add)).isInstanceOf(TransactionCanceledException.class);

        assertThat(calls).hasValue(Transactions.MAX_ATTEMPTS);
        assertThat(pauses).hasSize(Transactions.MAX_ATTEMPTS - 1);
    }

    @Test
    void write_neverRetriesAFailedConditionAlone() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> Transactions.write(() -> {
            calls.incrementAndGet();
            throw cancelled("None", "ConditionalCheckFailed");
        }, pauses::add)).isInstanceOf(TransactionCanceledException.class);

        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void pauses_areJitteredBelowACapThatDoublesUpToTheLongest() {
        for (int attempt = 2; attempt <= 30; attempt++) {
            long cap = Math.min(Transactions.LONGEST_PAUSE.toMillis(),
                    Transactions.FIRST_PAUSE.toMillis() << Math.min(attempt - 2, 20));
            List<Duration> drawn = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                drawn.add(Transactions.pauseBefore(attempt));
            }
            assertThat(drawn).allSatisfy(p -> assertThat(p.toMillis()).isBetween(0L, cap));
            assertThat(drawn.stream().distinct().count()).as("jittered at attempt %d", attempt).isGreaterThan(1);
        }
    }

    @Test
    void reasons_areReadByTheIndexOfTheItem() {
        TransactionCanceledException e = cancelled("None", "ConditionalCheckFailed", "TransactionConflict");

        assertThat(Transactions.conditionFailed(e, 0)).isFalse();
        assertThat(Transactions.conditionFailed(e, 1)).isTrue();
        assertThat(Transactions.conditionFailed(e, 2)).isFalse();
        assertThat(Transactions.conditionFailed(e, 3)).isFalse();
        assertThat(Transactions.conditionFailed(e, -1)).isFalse();
        assertThat(AwsFailures.lostARace(e)).isTrue();
        assertThat(AwsFailures.lostARace(cancelled("None", "ConditionalCheckFailed"))).isFalse();
    }

    @Test
    void reasons_absentMeanNoConditionFailedAndNoConflict() {
        TransactionCanceledException e = TransactionCanceledException.builder().message("cancelled").build();

        assertThat(Transactions.conditionFailed(e, 0)).isFalse();
        assertThat(AwsFailures.lostARace(e)).isFalse();
    }

    static TransactionCanceledException cancelled(String... codes) {
        return TransactionCanceledException.builder().message("cancelled")
                .cancellationReasons(Arrays.stream(codes).map(c -> CancellationReason.builder().code(c).build()).toList())
                .build();
    }
}
