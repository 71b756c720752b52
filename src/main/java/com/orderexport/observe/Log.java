package com.orderexport.observe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The functions' one logger: each call writes one JSON object whose keys are top-level fields ({@code timestamp},
 * {@code level}, {@code message}, then {@code request_id}, {@code store_id}, {@code job_id}, ... as bound or given),
 * through the Lambda context's logger. Immutable: {@link #with} returns a logger that adds a field to every line.
 * One file a little over 200 lines, because levels, bound fields, the record's shape and the stack trace's are
 * one format and read best together.
 *
 * <p>Why {@code log(byte[], LogLevel)} and not {@code log(String, LogLevel)}: under {@code LogFormat: JSON} the Java
 * runtime wraps a String into its own record, {@code {"timestamp":..,"level":..,"message":"<our text>",
 * "AWSRequestId":..}}, so our fields would be one escaped string inside {@code message} (not queryable as fields in
 * Logs Insights) and an EMF record's {@code _aws} would not be at the top level (no metrics extracted). A byte array
 * is written as it is, only filtered by level. Verified by reading the runtime interface client in
 * aws/aws-lambda-java-libs: {@code AbstractLambdaLogger.log(byte[], LogLevel)} skips the {@code JsonLogFormatter}
 * ("there is no formatting for byte[] messages") and {@code LogFiltering} drops only levels below the function's
 * {@code AWS_LAMBDA_LOG_LEVEL}; the official Log4j2 {@code LambdaAppender} logs its JSON layout the same way, as
 * bytes. Not verified against a deployed function from here: after a deploy, a Logs Insights query such as
 * {@code fields store_id, job_id, outcome | filter ispresent(job_id)} shows the fields, and the namespace's metrics
 * appear in CloudWatch, if it holds.
 */
public final class Log {

    /** The levels the functions use; the application log level (template parameter) sets the minimum. */
    public enum Level {
        DEBUG(LogLevel.DEBUG), INFO(LogLevel.INFO), WARN(LogLevel.WARN), ERROR(LogLevel.ERROR);

        private final LogLevel lambda;

        Level(LogLevel lambda) {
            this.lambda = lambda;
        }

        /** A level by name, e.g. Lambda's {@code AWS_LAMBDA_LOG_LEVEL}; TRACE counts as DEBUG, FATAL as ERROR. */
        public static Level parse(String name) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            return switch (upper) {
                case "TRACE" -> DEBUG;
                case "FATAL" -> ERROR;
                default -> valueOf(upper);
            };
        }
    }

    static final Set<String> RESERVED = Set.of("timestamp", "level", "message", "_aws");
    /** Deep enough to find the failing line of our code under the SDK's frames; the rest is noise in a log. */
    private static final int MAX_FRAMES = 40;

    private final LambdaLogger sink;
    private final Level minimum;
    private final Clock clock;
    private final Map<String, Object> fields;

    private Log(LambdaLogger sink, Level minimum, Clock clock, Map<String, Object> fields) {
        this.sink = sink;
        this.minimum = minimum;
        this.clock = clock;
        this.fields = fields;
    }

    /** A logger writing to {@code sink} (in a test, one that collects lines). */
    public static Log to(LambdaLogger sink, Level minimum, Clock clock) {
        return new Log(sink, minimum, clock, Map.of());
    }

    /**
     * A logger over the runtime's own logger: in Lambda the same object every invocation's context hands out, so
     * code that runs outside an invocation (a constructor, before the snapshot) logs the same way.
     */
    public static Log toRuntime(Level minimum) {
        return to(LambdaRuntime.getLogger(), minimum, Clock.systemUTC());
    }

    /**
     * This logger for one invocation: writing to the context's logger when there is one (the local stack's
     * renders records readably) and carrying the invocation's request id.
     */
    public Log forInvocation(Context context, String requestId) {
        LambdaLogger target = context != null && context.getLogger() != null ? context.getLogger() : sink;
        Log log = new Log(target, minimum, clock, fields);
        String id = requestId != null ? requestId : context != null ? context.getAwsRequestId() : null;
        return id == null ? log : log.with("request_id", id);
    }

    /** A logger that adds {@code name} to every line it writes (a null value leaves the field out). */
    public Log with(String name, Object value) {
        checkName(name);
        Map<String, Object> more = new LinkedHashMap<>(fields);
        if (value == null) {
            more.remove(name);
        } else {
            more.put(name, value);
        }
        return new Log(sink, minimum, clock, Collections.unmodifiableMap(more));
    }

    public boolean isEnabled(Level level) {
        return level.compareTo(minimum) >= 0;
    }

    /** Customer data (filters, emails, names) may appear here and nowhere above. */
    public void debug(String message, Object... nameValues) {
        write(Level.DEBUG, message, null, nameValues);
    }

    public void info(String message, Object... nameValues) {
        write(Level.INFO, message, null, nameValues);
    }

    public void warn(String message, Object... nameValues) {
        write(Level.WARN, message, null, nameValues);
    }

    /** A warning with its cause: the exception's class, message and stack trace go in the same record. */
    public void warn(String message, Throwable error, Object... nameValues) {
        write(Level.WARN, message, error, nameValues);
    }

    public void error(String message, Throwable error, Object... nameValues) {
        write(Level.ERROR, message, error, nameValues);
    }

    Map<String, Object> fields() {
        return fields;
    }

    Clock clock() {
        return clock;
    }

    /** A finished JSON record, written unfiltered by this logger (metrics must not depend on the log level). */
    void writeRecord(String json, Level level) {
        sink.log(json.concat("\n").getBytes(StandardCharsets.UTF_8), level.lambda);
    }

    private void write(Level level, String message, Throwable error, Object[] nameValues) {
        if (!isEnabled(level)) {
            return;
        }
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in name, value pairs: " + nameValues.length + " given");
        }
        JsonText json = new JsonText()
                .field("timestamp", clock.instant())
                .field("level", level.name())
                .field("message", message);
        Map<String, Object> all = new LinkedHashMap<>(fields);
        for (int i = 0; i < nameValues.length; i += 2) {
            String name = String.valueOf(nameValues[i]);
            checkName(name);
            if (nameValues[i + 1] != null) {
                all.put(name, nameValues[i + 1]);
            }
        }
        // Loops, not lambdas, here and in Metrics: each lambda's first call costs a cold start its bootstrap.
        for (Map.Entry<String, Object> field : all.entrySet()) {
            json.field(field.getKey(), field.getValue());
        }
        if (error != null) {
            json.field("error_type", error.getClass().getName())
                    .field("error_message", error.getMessage())
                    .field("stack_trace", stackTrace(error));
        }
        writeRecord(json.close(), level);
    }

    private static void checkName(String name) {
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException(name + " is written by the logger itself");
        }
    }

    /** The trace as Throwable prints it (causes and suppressed included), its frames capped per throwable. */
    static String stackTrace(Throwable error) {
        StringBuilder out = new StringBuilder();
        append(out, error, "", Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return out.toString();
    }

    private static void append(StringBuilder out, Throwable error, String prefix, Set<Throwable> seen) {
        if (!seen.add(error)) {
            out.append(prefix).append("[circular reference: ").append(error).append("]\n");
            return;
        }
        out.append(prefix).append(error).append('\n');
        StackTraceElement[] frames = error.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
            out.append("\tat ").append(frames[i]).append('\n');
        }
        if (frames.length > MAX_FRAMES) {
            out.append("\t... ").append(frames.length - MAX_FRAMES).append(" more\n");
        }
        for (Throwable suppressed : error.getSuppressed()) {
            append(out, suppressed, "Suppressed: ", seen);
        }
        if (error.getCause() != null) {
            append(out, error.getCause(), "Caused by: ", seen);
        }
    }
}
