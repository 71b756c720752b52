package com.orderexport.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The Lambda context of one local invocation: its request id and the deadline its function's Timeout sets. */
final class LocalContext implements Context {

    private final String functionName;
    private final String requestId = UUID.randomUUID().toString();
    private final Instant deadline;
    private final int memoryMb;

    LocalContext(String functionName, Duration timeout, int memoryMb) {
        this.functionName = functionName;
        this.deadline = Instant.now().plus(timeout);
        this.memoryMb = memoryMb;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
    @Override public String getLogStreamName() { return "local"; }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:local:000000000000:function:" + functionName; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getMemoryLimitInMB() { return memoryMb; }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    }

    /** The function's JSON log records, one readable line each on the console. */
    @Override
    public LambdaLogger getLogger() {
        return new ReadableLogs(System.out, functionName);
    }
}
