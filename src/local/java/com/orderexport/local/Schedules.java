package com.orderexport.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.stack.Template;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for EventBridge schedules: every function event of Type {@code Schedule} or {@code ScheduleV2} in
 * template.yaml invokes its function with a {@link ScheduledEvent} every {@code rate(...)}, or every
 * {@code --schedule-every} seconds when that is given. A {@code cron(...)} schedule runs only with
 * {@code --schedule-every}: the stand-in does not read cron expressions.
 */
final class Schedules implements AutoCloseable {

    /** One schedule: which function, which event of it, and how often. */
    record Schedule(String functionId, String eventName, String expression, Duration interval, boolean v2) {}

    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(second|minute|hour|day)s?\\s*\\)");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PojoSerializer<ScheduledEvent> EVENTS =
            LambdaEventSerializers.serializerFor(ScheduledEvent.class, Schedules.class.getClassLoader());

    private final List<Schedule> schedules;
    private final Function<String, RequestHandler<ScheduledEvent, ?>> handlers;
    private final Function<String, LocalContext> contexts;
    private final ScheduledExecutorService executor;

    /**
     * @param handlers one handler per function id (built once, like a warm environment)
     * @param contexts a fresh context per invocation of a function id (its deadline from the template's Timeout)
     */
    Schedules(List<Schedule> schedules, Function<String, RequestHandler<ScheduledEvent, ?>> handlers,
              Function<String, LocalContext> contexts) {
        this.schedules = List.copyOf(schedules);
        this.handlers = handlers;
        this.contexts = contexts;
        this.executor = Executors.newScheduledThreadPool(Math.max(1, schedules.size()), runnable -> {
            Thread thread = new Thread(runnable, "schedule");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The template's enabled schedules; {@code every}, when present, replaces each one's interval. A cron
     * schedule without {@code every} is left out with a line on {@code System.err} saying so.
     */
    static List<Schedule> of(Template template, Optional<Duration> every) {
        List<Schedule> found = new ArrayList<>();
        for (String functionId : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            for (String type : List.of("Schedule", "ScheduleV2")) {
                template.eventsOf(functionId, type).forEach((name, props) -> {
                    boolean v2 = "ScheduleV2".equals(type);
                    String expression = props.path(v2 ? "ScheduleExpression" : "Schedule").asText();
                    if (!props.path("Enabled").asBoolean(true) || "DISABLED".equals(props.path("State").asText())) {
                        return;
                    }
                    if (every.isPresent()) {
                        found.add(new Schedule(functionId, name, expression, every.get(), v2));
                    } else if (expression.startsWith("cron(")) {
                        System.err.println("schedule: " + functionId + "." + name + " is " + expression
                                + "; the local stack runs cron schedules only with --schedule-every SECONDS, so it will not run");
                    } else {
                        found.add(new Schedule(functionId, name, expression, rateOf(expression), v2));
                    }
                });
            }
        }
        return found;
    }

    /** The interval of a {@code rate(N unit)} expression (seconds, minutes, hours or days). */
    static Duration rateOf(String expression) {
        Matcher m = RATE.matcher(expression.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw new IllegalArgumentException("not a schedule rate the local stack can run: " + expression
                    + " (use rate(N minutes), rate(N hours), rate(N days) or rate(N seconds))");
        }
        ChronoUnit unit = switch (m.group(2)) {
            case "second" -> ChronoUnit.SECONDS;
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        return Duration.of(Long.parseLong(m.group(1)), unit);
    }

    List<Schedule> schedules() {
        return schedules;
    }

    /** Starts the clocks: each schedule first fires one interval from now; one schedule's runs never overlap. */
    void start() {
        for (Schedule schedule : schedules) {
            long millis = schedule.interval().toMillis();
            executor.scheduleAtFixedRate(() -> fire(schedule), millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void fire(Schedule schedule) {
        try {
            handlers.apply(schedule.functionId()).handleRequest(event(schedule, Instant.now()), contexts.apply(schedule.functionId()));
        } catch (RuntimeException e) {
            // EventBridge retries failed asynchronous invocations; the stand-in logs and waits for the next tick.
            System.err.println("schedule: " + schedule.functionId() + " failed: " + e);
        }
    }

    /** The event EventBridge sends for a scheduled rule (Scheduler sends the same shape from aws.scheduler). */
    static ScheduledEvent event(Schedule schedule, Instant time) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", schedule.v2() ? "aws.scheduler" : "aws.events");
        event.put("account", "000000000000");
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", "us-east-1");
        event.putArray("resources").add((schedule.v2() ? "arn:aws:scheduler:us-east-1:000000000000:schedule/default/"
                : "arn:aws:events:us-east-1:000000000000:rule/") + schedule.functionId() + "-" + schedule.eventName());
        event.set("detail", MAPPER.createObjectNode());
        return EVENTS.fromJson(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
