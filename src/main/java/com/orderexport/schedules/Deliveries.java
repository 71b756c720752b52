package com.orderexport.schedules;

import java.security.SecureRandom;
import java.util.Base64;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationHttpMethod;
import software.amazon.awssdk.services.eventbridge.model.ConnectionAuthorizationType;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * Sets up and takes down the delivery of one schedule's completion events to its notify_url, all of it
 * EventBridge's: a connection holding the schedule's secret header, an API destination for the URL, and a rule on
 * the bus matching the schedule's events whose target POSTs them there, retried by EventBridge for a day and then
 * dead-lettered to the stack's queue (which has an alarm). No code of ours makes the HTTP call or retries it.
 */
public final class Deliveries {

    /** The header every delivery carries, its value the secret the schedule's creation answered with once. */
    public static final String SECRET_HEADER = "X-Order-Export-Secret";
    /** Resource names are this and the schedule id: unique, and what the function's IAM policy is scoped to. */
    public static final String NAME_PREFIX = "order-export-";
    static final String TARGET_ID = "notify";
    /** EventBridge's own limits: retried for up to 24 hours and 185 attempts, with backoff. */
    static final int MAX_EVENT_AGE_SECONDS = 86_400;
    static final int MAX_RETRY_ATTEMPTS = 185;
    /** A receiver gets one event per run; a few per second is plenty, and keeps a slow one from being flooded. */
    static final int RATE_LIMIT_PER_SECOND = 5;
    private static final int SECRET_BYTES = 32;

    private final EventBridgeClient events;
    private final String bus;
    private final String role;
    private final String deadLetters;
    private final SecureRandom random = new SecureRandom();

    public Deliveries(EventBridgeClient events, String bus, String role, String deadLetters) {
        this.events = events;
        this.bus = bus;
        this.role = role;
        this.deadLetters = deadLetters;
    }

    public static String nameOf(String scheduleId) {
        return NAME_PREFIX + scheduleId;
    }

    /** The rule's pattern: every decided job that is this schedule's run, complete, failed or cancelled. */
    static String patternOf(String scheduleId) {
        // A schedule id is a UUID: nothing in it needs escaping.
        return "{\"source\":[\"order-export\"],\"detail\":{\"schedule_id\":[\"" + scheduleId + "\"]}}";
    }

    /**
     * Sets up the schedule's delivery to {@code url}; what was set up is taken down again if a step fails.
     *
     * @return the secret each delivery carries in {@link #SECRET_HEADER}
     */
    public String open(String scheduleId, String url) {
        String name = nameOf(scheduleId);
        String secret = newSecret();
        try {
            String connection = events.createConnection(r -> r.name(name)
                    .description("Secret header of the order-export schedule " + scheduleId)
                    .authorizationType(ConnectionAuthorizationType.API_KEY)
                    .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName(SECRET_HEADER).apiKeyValue(secret))))
                    .connectionArn();
            String destination = events.createApiDestination(r -> r.name(name).connectionArn(connection)
                    .invocationEndpoint(url).httpMethod(ApiDestinationHttpMethod.POST)
                    .invocationRateLimitPerSecond(RATE_LIMIT_PER_SECOND)).apiDestinationArn();
            events.putRule(r -> r.name(name).eventBusName(bus).state(RuleState.ENABLED).eventPattern(patternOf(scheduleId))
                    .description("Delivers the runs of the order-export schedule " + scheduleId));
            Target target = Target.builder().id(TARGET_ID).arn(destination).roleArn(role)
                    .deadLetterConfig(d -> d.arn(deadLetters))
                    .retryPolicy(p -> p.maximumEventAgeInSeconds(MAX_EVENT_AGE_SECONDS)
                            .maximumRetryAttempts(MAX_RETRY_ATTEMPTS))
                    .build();
            PutTargetsResponse targets = events.putTargets(r -> r.rule(name).eventBusName(bus).targets(target));
            if (targets.failedEntryCount() != null && targets.failedEntryCount() > 0) {
                throw new IllegalStateException("the delivery target was refused: "
                        + targets.failedEntries().get(0).errorCode() + " " + targets.failedEntries().get(0).errorMessage());
            }
            return secret;
        } catch (RuntimeException e) {
            try {
                close(scheduleId);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** Takes the schedule's delivery down; the parts that are not there (or never were) are skipped. */
    public void close(String scheduleId) {
        String name = nameOf(scheduleId);
        ignoringAbsent(() -> events.removeTargets(r -> r.rule(name).eventBusName(bus).ids(TARGET_ID)));
        ignoringAbsent(() -> events.deleteRule(r -> r.name(name).eventBusName(bus)));
        ignoringAbsent(() -> events.deleteApiDestination(r -> r.name(name)));
        ignoringAbsent(() -> events.deleteConnection(r -> r.name(name)));
    }

    private static void ignoringAbsent(Runnable step) {
        try {
            step.run();
        } catch (ResourceNotFoundException absent) {
            // never set up, or taken down before
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
