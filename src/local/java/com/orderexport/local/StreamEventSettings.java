package com.orderexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.stack.Template;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A function's DynamoDB stream event in template.yaml, read the way Lambda reads an event source mapping's
 * settings (with Lambda's defaults where the template says nothing), so the stand-ins follow the template.
 *
 * @param tableId               the logical id of the table whose stream is read ({@code !GetAtt Table.StreamArn})
 * @param startingPosition      {@code LATEST} or {@code TRIM_HORIZON}
 * @param maximumRetryAttempts  -1 for "until the record expires", as Lambda's default
 * @param maximumRecordAge      empty for "until the record expires"
 * @param onFailureId           the logical id the on-failure destination names, if any
 * @param onFailureType         {@code SQS} or {@code SNS}
 */
record StreamEventSettings(
        String tableId,
        String startingPosition,
        int batchSize,
        Duration batchingWindow,
        int parallelizationFactor,
        int maximumRetryAttempts,
        Optional<Duration> maximumRecordAge,
        boolean bisectBatchOnFunctionError,
        boolean reportBatchItemFailures,
        List<FilterPattern> filters,
        Optional<String> onFailureId,
        String onFailureType) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The settings of {@code functionId}'s one DynamoDB event. */
    static StreamEventSettings of(Template template, String functionId) {
        return of(StreamFeeder.streamEvent(template, functionId));
    }

    static StreamEventSettings of(JsonNode event) {
        String stream = event.path("Stream").asText();
        if (!stream.endsWith(".StreamArn")) {
            throw new IllegalArgumentException("the stream event's Stream must be !GetAtt <Table>.StreamArn, not " + stream);
        }
        List<FilterPattern> filters = new ArrayList<>();
        event.path("FilterCriteria").path("Filters").forEach(f -> filters.add(new FilterPattern(json(f.path("Pattern").asText()))));
        List<String> responseTypes = new ArrayList<>();
        event.path("FunctionResponseTypes").forEach(t -> responseTypes.add(t.asText()));
        JsonNode onFailure = event.path("DestinationConfig").path("OnFailure");
        long maxAge = event.path("MaximumRecordAgeInSeconds").asLong(-1);
        int factor = event.path("ParallelizationFactor").asInt(1);
        if (factor < 1 || factor > 10) {
            throw new IllegalArgumentException("ParallelizationFactor must be 1 to 10, not " + factor);
        }
        return new StreamEventSettings(
                stream.substring(0, stream.length() - ".StreamArn".length()),
                event.path("StartingPosition").asText("LATEST"),
                event.path("BatchSize").asInt(100),
                Duration.ofSeconds(event.path("MaximumBatchingWindowInSeconds").asLong(0)),
                factor,
                event.path("MaximumRetryAttempts").asInt(-1),
                maxAge < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(maxAge)),
                event.path("BisectBatchOnFunctionError").asBoolean(false),
                responseTypes.contains("ReportBatchItemFailures"),
                List.copyOf(filters),
                // !GetAtt Queue.Arn reads as "Queue.Arn"; !Ref Topic as "Topic".
                onFailure.path("Destination").isMissingNode() ? Optional.empty()
                        : Optional.of(onFailure.path("Destination").asText().split("\\.")[0]),
                onFailure.path("Type").asText("SQS"));
    }

    /** Lambda's event filtering: with no filters every record passes; otherwise any one pattern must match. */
    boolean passes(JsonNode record) {
        return filters.isEmpty() || filters.stream().anyMatch(f -> f.matches(record));
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("FilterCriteria pattern is not JSON: " + text, e);
        }
    }
}
