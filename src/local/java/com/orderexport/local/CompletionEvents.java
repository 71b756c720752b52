package com.orderexport.local;

import com.orderexport.observe.CompletionEvent;
import com.orderexport.stack.StackResources;
import java.io.PrintStream;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A client's subscription to completion events, made on the emulator the way a client makes it in AWS: the bus
 * the export function publishes to (the template's EventBusName), a rule matching {@code source: order-export},
 * and an SQS queue as the rule's target, where each completed or failed job's event can be read.
 */
public final class CompletionEvents {

    private static final String DEFAULT_BUS = "default";

    private final String busName;
    private final String ruleName;
    private final String queueUrl;

    private CompletionEvents(String busName, String ruleName, String queueUrl) {
        this.busName = busName;
        this.ruleName = ruleName;
        this.queueUrl = queueUrl;
    }

    /**
     * The local stack's subscription: every completion event on the export function's bus, into a queue named after
     * the stack, so a restart under the same name reads the same queue.
     */
    static CompletionEvents forLocalStack(StackResources resources, String exportFunction, String stackName) {
        EventBridgeClient events = EventBridgeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        SqsClient sqs = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        String name = "completion-events-" + stackName;
        CompletionEvents subscription = subscribe(events, sqs, resources.settingsOf(exportFunction).eventBusName(),
                name, pattern(Optional.empty()));
        events.close();
        sqs.close();
        return subscription;
    }

    /**
     * Creates the bus (unless it is the account's default one, which always exists), a queue named {@code name},
     * and a rule of that name sending the events {@code pattern} matches to the queue.
     */
    public static CompletionEvents subscribe(EventBridgeClient events, SqsClient sqs, String busName, String name,
                                             String pattern) {
        if (!DEFAULT_BUS.equals(busName)) {
            try {
                events.createEventBus(r -> r.name(busName));
            } catch (ResourceAlreadyExistsException exists) {
                // a bus of that name is already there: use it
            }
        }
        String queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        // In AWS the queue would also need a policy letting events.amazonaws.com send to it; emulators skip that.
        events.putRule(r -> r.name(name).eventBusName(busName).eventPattern(pattern));
        events.putTargets(r -> r.rule(name).eventBusName(busName)
                .targets(Target.builder().id("queue").arn(queueArn).build()));
        return new CompletionEvents(busName, name, queueUrl);
    }

    /** Completion events of every store, or of one (a test's own), as an EventBridge event pattern. */
    public static String pattern(Optional<String> store) {
        return store.map(s -> "{\"source\":[\"" + CompletionEvent.SOURCE + "\"],\"detail\":{\"store_id\":[\"" + s + "\"]}}")
                .orElse("{\"source\":[\"" + CompletionEvent.SOURCE + "\"]}");
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** The session block's lines: where the events go, and a command that reads them. */
    void printTo(PrintStream out, URI endpoint) {
        String region = Optional.ofNullable(System.getProperty("aws.region")).orElse(
                Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1"));
        out.println();
        out.println("Completion events (one per job that completes or fails): bus " + busName + ", rule " + ruleName
                + " (source " + CompletionEvent.SOURCE + ") → queue " + queueUrl);
        out.println("AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws sqs receive-message --endpoint-url "
                + endpoint + " --region " + region + " \\");
        out.println("  --queue-url " + queueUrl + " --max-number-of-messages 10 --wait-time-seconds 5");
    }
}
