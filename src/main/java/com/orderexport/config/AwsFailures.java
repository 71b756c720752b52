package com.orderexport.config;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Tells a passing AWS failure (unreachable, timed out, throttled, a 5xx, a transaction that lost a race) from a
 * fault in the request itself.
 */
public final class AwsFailures {

    /** DynamoDB's reason for an item of a transaction that another transaction in flight on it cancelled. */
    public static final String TRANSACTION_CONFLICT = "TransactionConflict";
    /** DynamoDB's reason for an item of a transaction cancelled because the table or partition is throttled. */
    public static final String THROTTLING_ERROR = "ThrottlingError";

    private AwsFailures() {}

    /** True when trying the same thing again later may well succeed. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransactionCanceledException cancelled) {
                // A 400, but one that says nothing about the request when it lost a race or was throttled.
                return lostARace(cancelled);
            }
            if (t instanceof AwsServiceException service) {
                return service.isThrottlingException() || service.statusCode() >= 500;
            }
            if (t instanceof SdkClientException) {
                // No answer at all: connection refused or reset, DNS, or the call's timeout.
                return true;
            }
            if (t instanceof SdkException sdk && sdk.retryable()) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the failure is contention rather than an outage: throttling, or a transaction cancelled by
     * another one in flight on the same item. A caller may be told to slow down (429) instead of that the
     * service is unavailable.
     */
    public static boolean isContention(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransactionCanceledException cancelled) {
                return lostARace(cancelled);
            }
            if (t instanceof AwsServiceException service) {
                return service.isThrottlingException();
            }
        }
        return false;
    }

    /** Whether a cancelled transaction met another transaction or throttling on one of its items. */
    public static boolean lostARace(TransactionCanceledException cancelled) {
        return cancelled.hasCancellationReasons() && cancelled.cancellationReasons().stream()
                .anyMatch(r -> TRANSACTION_CONFLICT.equals(r.code()) || THROTTLING_ERROR.equals(r.code()));
    }
}
