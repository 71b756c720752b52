package com.orderexport.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a mapping sends the records it gives up on: as with Lambda, not the records but a pointer to them
 * (stream, shard, first and last sequence number) and why, as a message on the template's on-failure queue;
 * or, when the template names none or the emulator lacks it, a log line.
 */
interface OnFailureDestination {

    /** Lambda's {@code requestContext.condition} values for stream sources. */
    String RETRIES_EXHAUSTED = "RetryAttemptsExhausted";
    String RECORD_AGE_EXCEEDED = "RecordAgeExceeded";

    void send(List<StreamReader.StreamRecord> records, String condition, int invokeCount, String functionError);

    /** Logs what it would have sent: the local stack's answer when no destination is reachable. */
    static OnFailureDestination log(String functionId, String why) {
        return (records, condition, invokeCount, functionError) -> System.err.println(functionId + ": gave up on "
                + records.size() + " stream record(s), sequence numbers " + records.get(0).sequenceNumber() + " to "
                + records.get(records.size() - 1).sequenceNumber() + " (" + condition + ", " + invokeCount
                + " invocation(s)); " + why);
    }

    /** Sends Lambda's on-failure record for a DynamoDB stream batch to an SQS queue. */
    static OnFailureDestination sqs(SqsClient sqs, String queueUrl, String functionArn) {
        ObjectMapper mapper = new ObjectMapper();
        return (records, condition, invokeCount, functionError) -> {
            ObjectNode message = mapper.createObjectNode();
            message.putObject("requestContext").put("requestId", UUID.randomUUID().toString())
                    .put("functionArn", functionArn).put("condition", condition)
                    .put("approximateInvokeCount", invokeCount);
            ObjectNode response = message.putObject("responseContext").put("statusCode", 200)
                    .put("executedVersion", "$LATEST");
            if (functionError != null) {
                response.put("functionError", functionError);
            }
            message.put("version", "1.0");
            message.put("timestamp", Instant.now().toString());
            StreamReader.StreamRecord first = records.get(0);
            StreamReader.StreamRecord last = records.get(records.size() - 1);
            message.putObject("DDBStreamBatchInfo")
                    .put("shardId", first.shardId())
                    .put("startSequenceNumber", first.sequenceNumber())
                    .put("endSequenceNumber", last.sequenceNumber())
                    .put("approximateArrivalOfFirstRecord", arrival(first))
                    .put("approximateArrivalOfLastRecord", arrival(last))
                    .put("batchSize", records.size())
                    .put("streamArn", first.streamArn());
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(message.toString()));
            System.err.println(functionArn.substring(functionArn.lastIndexOf(':') + 1) + ": sent " + records.size()
                    + " stream record(s) to the on-failure queue (" + condition + ")");
        };
    }

    private static String arrival(StreamReader.StreamRecord record) {
        return Instant.ofEpochSecond(record.json().path("dynamodb").path("ApproximateCreationDateTime").asLong()).toString();
    }
}
