package com.orderexport.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Lambda logger that keeps the records a function writes, parsed as JSON, and a Lambda context handing it out:
 * for tests that check what a function logged and counted.
 */
public final class LogCapture implements LambdaLogger {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void log(String message) {
        lines.add(message);
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }

    /** Every record written so far; a line that is not JSON fails the test. */
    public synchronized List<JsonNode> records() {
        return lines.stream().map(line -> {
            try {
                return MAPPER.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not a JSON record: " + line, e);
            }
        }).toList();
    }

    /** The records carrying a top-level member {@code name} (a metric's name, for metric records). */
    public List<JsonNode> withField(String name) {
        return records().stream().filter(record -> record.has(name)).toList();
    }

    /** An invocation's context whose logger is this one. */
    public Context context() {
        String requestId = UUID.randomUUID().toString();
        LambdaLogger logger = this;
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/test"; }
            @Override public String getLogStreamName() { return "test"; }
            @Override public String getFunctionName() { return "test"; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:test"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 900_000; }
            @Override public int getMemoryLimitInMB() { return 1769; }
            @Override public LambdaLogger getLogger() { return logger; }
        };
    }
}
