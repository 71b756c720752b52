package com.orderexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeApiDestinationResponse;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Stands in for EventBridge's API destinations, which moto records but does not call: every event on the bus
 * (through a tap rule of its own, to a queue) is matched against the bus's rules whose target is an API
 * destination, and for each match POSTed to the destination's endpoint as EventBridge would, the body the event,
 * the headers {@code Content-Type: application/json; charset=utf-8}, EventBridge's User-Agent and the connection's
 * API-key header, read from the Secrets Manager secret the connection names. A failure that EventBridge retries
 * (no answer, 401, 407, 409, 429, 5xx) is retried here too; what still fails, or fails otherwise, goes to the
 * target's dead-letter queue with EventBridge's error attributes.
 *
 * <p>What it does not reproduce: the retries are {@code attempts} a second or two apart (EventBridge's last up to
 * a day, with backoff and jitter), the rate limit of a destination, input transformers, OAuth and basic
 * connections, and content filters in patterns ({@link EventPatterns}). It does not run on LocalStack, which calls
 * API destinations itself.
 */
public final class ApiDestinations implements AutoCloseable {

    static final String TAP_PREFIX = "local-api-destinations-";
    /** The rules it serves: the stack's own, one per schedule with a notify_url. */
    static final String RULE_PREFIX = "order-export-";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EventBridgeClient events;
    private final SqsClient sqs;
    private final SecretsManagerClient secrets;
    private final String bus;
    private final int attempts;
    private final Duration backoff;
    private final Consumer<String> out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The tap's rule and queue: one per stand-in, so that several on one emulator each see every event. */
    private final String tap = TAP_PREFIX + java.util.UUID.randomUUID().toString().substring(0, 8);
    private String queueUrl;
    private volatile boolean running;
    private Thread loop;

    /**
     * @param attempts how many times a delivery is tried before it is dead-lettered
     * @param backoff  the pause before the first retry, doubled before each further one
     */
    public ApiDestinations(EventBridgeClient events, SqsClient sqs, SecretsManagerClient secrets, String bus,
                           int attempts, Duration backoff, Consumer<String> out) {
        this.events = events;
        this.sqs = sqs;
        this.secrets = secrets;
        this.bus = bus;
        this.attempts = attempts;
        this.backoff = backoff;
        this.out = out;
    }

    /** Taps the bus: from now on its events wait in the stand-in's queue for {@link #deliver()}. */
    public ApiDestinations tap() {
        queueUrl = sqs.createQueue(r -> r.queueName(tap)).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putRule(r -> r.name(tap).eventBusName(bus).eventPattern("{\"source\":[\"order-export\"]}"));
        Target toQueue = Target.builder().id("tap").arn(queueArn).build();
        events.putTargets(r -> r.rule(tap).eventBusName(bus).targets(toQueue));
        return this;
    }

    /** Taps the bus and delivers in the background, about once a second, until closed. */
    public void start() {
        tap();
        running = true;
        loop = new Thread(() -> {
            while (running) {
                try {
                    deliver(1);
                } catch (RuntimeException e) {
                    out.accept("api destinations: " + e.getMessage() + "; trying again");
                    pause(Duration.ofSeconds(1));
                }
            }
        }, "api-destinations");
        loop.setDaemon(true);
        loop.start();
    }

    /** Delivers the events waiting now; how many POSTs were made (tries included). */
    public int deliver() {
        int made = 0;
        for (int batch; (batch = deliver(0)) > 0; ) {
            made += batch;
        }
        return made;
    }

    private int deliver(int waitSeconds) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds)).messages();
        if (messages.isEmpty()) {
            return 0;
        }
        List<Route> routes = routes();
        int made = 0;
        for (Message message : messages) {
            JsonNode event = read(message.body());
            for (Route route : routes) {
                if (EventPatterns.matches(route.pattern(), event)) {
                    made += post(route, message.body());
                }
            }
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
        return Math.max(made, 1);
    }

    /** A rule of the bus and its API-destination target. */
    private record Route(String ruleArn, JsonNode pattern, Target target) {}

    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Rule rule : events.listRules(r -> r.eventBusName(bus).namePrefix(RULE_PREFIX)).rules()) {
            if (rule.eventPattern() == null) {
                continue;
            }
            for (Target target : events.listTargetsByRule(r -> r.rule(rule.name()).eventBusName(bus)).targets()) {
                if (target.arn().contains(":api-destination/")) {
                    routes.add(new Route(rule.arn(), read(rule.eventPattern()), target));
                }
            }
        }
        return routes;
    }

    /** POSTs the event to the target's destination, retrying as EventBridge would; the tries made. */
    private int post(Route route, String body) {
        DescribeApiDestinationResponse destination = events.describeApiDestination(r -> r.name(nameIn(
                route.target().arn(), "api-destination/")));
        JsonNode key = read(secrets.getSecretValue(r -> r.secretId(events.describeConnection(c -> c.name(nameIn(
                destination.connectionArn(), "connection/"))).secretArn())).secretString());
        HttpRequest request = HttpRequest.newBuilder(URI.create(destination.invocationEndpoint()))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Amazon/EventBridge/ApiDestinations")
                .header(key.path("api_key_name").asText(), key.path("api_key_value").asText())
                .method(destination.httpMethodAsString(), HttpRequest.BodyPublishers.ofString(body))
                .build();
        Duration pause = backoff;
        String error = null;
        int tries = 0;
        while (tries < attempts) {
            tries++;
            int status;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = -1;
                error = "no answer: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return tries;
            }
            out.accept("api destinations: " + destination.httpMethodAsString() + " " + destination.invocationEndpoint()
                    + " -> " + (status < 0 ? error : status));
            if (status >= 200 && status < 300) {
                return tries;
            }
            if (status >= 0) {
                error = "HTTP " + status;
            }
            if (!retried(status)) {
                break;
            }
            if (tries < attempts) {
                pause(pause);
                pause = pause.multipliedBy(2);
            }
        }
        deadLetter(route, body, error, tries);
        return tries;
    }

    /** The failures EventBridge retries for an API destination; any other is final at once. */
    static boolean retried(int status) {
        return status < 0 || status == 401 || status == 407 || status == 409 || status == 429 || status >= 500;
    }

    private void deadLetter(Route route, String body, String error, int tries) {
        if (route.target().deadLetterConfig() == null || route.target().deadLetterConfig().arn() == null) {
            out.accept("api destinations: gave up on an event after " + tries + " tries (" + error
                    + "); the target has no dead-letter queue");
            return;
        }
        String[] arn = route.target().deadLetterConfig().arn().split(":");
        String url = sqs.getQueueUrl(r -> r.queueName(arn[5]).queueOwnerAWSAccountId(arn[4])).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body).messageAttributes(Map.of(
                "ERROR_CODE", text("SDK_CLIENT_ERROR"),
                "ERROR_MESSAGE", text(error == null ? "failed" : error),
                "RETRY_ATTEMPTS", text(Integer.toString(tries - 1)),
                "RULE_ARN", text(route.ruleArn()),
                "TARGET_ARN", text(route.target().arn()))));
        out.accept("api destinations: an event went to the dead-letter queue after " + tries + " tries (" + error + ")");
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** The resource name in an ARN such as {@code ...:api-destination/<name>/<uuid>}. */
    static String nameIn(String arn, String kind) {
        String rest = arn.substring(arn.indexOf(kind) + kind.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + e.getMessage(), e);
        }
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        if (queueUrl != null) {
            try {
                events.removeTargets(r -> r.rule(tap).eventBusName(bus).ids("tap"));
                events.deleteRule(r -> r.name(tap).eventBusName(bus));
                sqs.deleteQueue(r -> r.queueUrl(queueUrl));
            } catch (RuntimeException e) {
                out.accept("api destinations: tap not removed: " + e.getMessage());
            }
        }
    }
}
