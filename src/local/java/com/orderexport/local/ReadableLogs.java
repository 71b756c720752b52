package com.orderexport.local;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local stack's console view of the functions' log records: the same JSON records Lambda would send to
 * CloudWatch, each shown as one line (time, level, function, message, then its fields as name=value), a
 * metric record as its values, and a stack trace indented under its line. Anything not a JSON object is
 * shown as it came.
 */
final class ReadableLogs implements LambdaLogger {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> SHOWN_FIRST = Set.of("timestamp", "level", "message", "_aws", "stack_trace");

    private final PrintStream out;
    private final String function;

    ReadableLogs(PrintStream out, String function) {
        this.out = out;
        this.function = function;
    }

    @Override
    public void log(String message) {
        show(message);
    }

    @Override
    public void log(byte[] message) {
        show(new String(message, StandardCharsets.UTF_8));
    }

    private void show(String text) {
        String line = text.strip();
        JsonNode record = null;
        if (line.startsWith("{")) {
            try {
                record = MAPPER.readTree(line);
            } catch (Exception notJson) {
                // shown as it is below
            }
        }
        String shown = record == null || !record.isObject() ? line : render(record);
        synchronized (out) {
            out.println(shown);
        }
    }

    static String render(JsonNode record, String function) {
        return new ReadableLogs(null, function).render(record);
    }

    private String render(JsonNode record) {
        String timestamp = record.path("timestamp").asText("");
        String time = timestamp.length() >= 23 ? timestamp.substring(11, 23) : timestamp;
        StringBuilder line = new StringBuilder(time).append(' ');
        List<String> skip = new ArrayList<>(SHOWN_FIRST);
        if (record.has("_aws")) {
            line.append("METRIC ").append(function).append(' ');
            JsonNode directive = record.path("_aws").path("CloudWatchMetrics").path(0);
            directive.path("Metrics").forEach(metric -> {
                String name = metric.path("Name").asText();
                skip.add(name);
                line.append(' ').append(name).append('=').append(record.path(name).asText())
                        .append(unit(metric.path("Unit").asText()));
            });
            skip.add("Service");
            line.append(' ');
        } else {
            line.append(String.format("%-6s", record.path("level").asText("-"))).append(function).append("  ")
                    .append(record.path("message").asText()).append(' ');
        }
        for (Map.Entry<String, JsonNode> field : record.properties()) {
            if (!skip.contains(field.getKey())) {
                JsonNode value = field.getValue();
                line.append(' ').append(field.getKey()).append('=').append(value.isTextual() ? value.asText() : value);
            }
        }
        if (record.hasNonNull("stack_trace")) {
            record.get("stack_trace").asText().lines().forEach(frame -> line.append("\n    ").append(frame));
        }
        return line.toString();
    }

    private static String unit(String unit) {
        return switch (unit) {
            case "Milliseconds" -> "ms";
            case "Bytes" -> "B";
            default -> "";
        };
    }
}
