package com.orderexport.testing;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Reads the EventBridge events an SQS queue received, as a subscriber's code would. */
public final class EventQueue {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final List<JsonNode> received = new ArrayList<>();

    public EventQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Waits (up to 20 s) until {@code count} events have arrived in all, and returns them all. */
    public List<JsonNode> await(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            receive(0);
            return received.size() >= count;
        });
        return List.copyOf(received);
    }

    /** Whatever else arrives within a one-second long poll: none, when exactly the expected events were sent. */
    public List<JsonNode> more() {
        int before = received.size();
        receive(1);
        return List.copyOf(received.subList(before, received.size()));
    }

    private void receive(int waitSeconds) {
        for (Message message : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds)).messages()) {
            try {
                received.add(MAPPER.readTree(message.body()));
            } catch (Exception e) {
                throw new AssertionError("not an event: " + message.body(), e);
            }
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
    }
}
