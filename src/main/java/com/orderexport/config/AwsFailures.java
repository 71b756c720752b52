package com.orderexport.config;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Tells a passing AWS failure (unreachable, timed out, throttled, a 5xx) from a fault in the request itself. */
public final class AwsFailures {

    private AwsFailures() {}

    /** True when trying the same thing again later may well succeed. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
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
}
