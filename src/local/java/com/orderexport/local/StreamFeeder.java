package com.orderexport.local;

import com.orderexport.stack.StackResources;
import com.orderexport.stack.Template;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads a table's stream as Lambda's event source mapping does for template.yaml's stream event: every
 * shard, records in order, the event's FilterCriteria applied, batches of its BatchSize, each batch turned
 * into the {@link DynamodbEvent} the Java runtime would hand the function.
 */
public final class StreamFeeder {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PojoSerializer<DynamodbEvent> EVENTS =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamFeeder.class.getClassLoader());

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final List<FilterPattern> filters = new ArrayList<>();
    private final int batchSize;
    private final Map<String, String> iterators = new HashMap<>();

    /** Follows the stream of the table that {@code functionId}'s DynamoDB event reads, from its start. */
    public StreamFeeder(StackResources resources, DynamoDbClient dynamo, String functionId) {
        this.streams = DynamoDbStreamsClient.builder()
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()).build();
        JsonNode event = streamEvent(resources.template(), functionId);
        String tableId = event.path("Stream").asText().split("\\.")[0]; // !GetAtt JobsTable.StreamArn
        this.streamArn = dynamo.describeTable(r -> r.tableName(resources.nameOf(tableId))).table().latestStreamArn();
        this.batchSize = event.path("BatchSize").asInt(100);
        event.path("FilterCriteria").path("Filters").forEach(f -> filters.add(new FilterPattern(readJson(f.path("Pattern").asText()))));
    }

    /** The properties of a function's DynamoDB stream event in the template. */
    public static JsonNode streamEvent(Template template, String functionId) {
        return template.eventsOf(functionId, "DynamoDB").values().stream().findFirst().orElseThrow(
                () -> new IllegalArgumentException(functionId + " has no DynamoDB event in template.yaml"));
    }

    /** The records written since the last poll that pass the filters, in batches. */
    public List<DynamodbEvent> poll() {
        return poll(null);
    }

    /**
     * The records written since the last poll that pass the filters and, unless {@code storeId} is null,
     * concern that store (tests share one table, and each reads only its own store's records), in batches.
     */
    public List<DynamodbEvent> poll(String storeId) {
        List<ObjectNode> passing = new ArrayList<>();
        for (Shard shard : streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = iterators.computeIfAbsent(shard.shardId(), id -> streams.getShardIterator(r -> r
                    .streamArn(streamArn).shardId(id).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
            while (iterator != null) {
                String current = iterator;
                var response = streams.getRecords(r -> r.shardIterator(current));
                response.records().stream().map(StreamFeeder::lambdaRecord)
                        .filter(this::passesFilters)
                        .filter(r -> storeId == null
                                || storeId.equals(r.path("dynamodb").path("Keys").path("store_id").path("S").asText()))
                        .forEach(passing::add);
                iterators.put(shard.shardId(), response.nextShardIterator());
                iterator = response.records().isEmpty() ? null : response.nextShardIterator();
            }
        }
        List<DynamodbEvent> batches = new ArrayList<>();
        for (int from = 0; from < passing.size(); from += batchSize) {
            ObjectNode event = MAPPER.createObjectNode();
            event.putArray("Records").addAll(passing.subList(from, Math.min(from + batchSize, passing.size())));
            batches.add(EVENTS.fromJson(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8))));
        }
        return batches;
    }

    private boolean passesFilters(JsonNode record) {
        return filters.isEmpty() || filters.stream().anyMatch(f -> f.matches(record));
    }

    /** A stream record in the JSON shape Lambda delivers. */
    static ObjectNode lambdaRecord(Record record) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("eventID", record.eventID());
        node.put("eventName", record.eventNameAsString());
        node.put("eventVersion", record.eventVersion());
        node.put("eventSource", "aws:dynamodb");
        node.put("awsRegion", record.awsRegion());
        ObjectNode dynamodb = node.putObject("dynamodb");
        var stream = record.dynamodb();
        if (stream.approximateCreationDateTime() != null) {
            dynamodb.put("ApproximateCreationDateTime", stream.approximateCreationDateTime().getEpochSecond());
        }
        dynamodb.set("Keys", item(stream.keys()));
        if (stream.hasNewImage()) {
            dynamodb.set("NewImage", item(stream.newImage()));
        }
        if (stream.hasOldImage()) {
            dynamodb.set("OldImage", item(stream.oldImage()));
        }
        dynamodb.put("SequenceNumber", stream.sequenceNumber());
        dynamodb.put("SizeBytes", stream.sizeBytes());
        dynamodb.put("StreamViewType", stream.streamViewTypeAsString());
        return node;
    }

    private static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode node = MAPPER.createObjectNode();
        item.forEach((name, value) -> node.set(name, attribute(value)));
        return node;
    }

    private static ObjectNode attribute(AttributeValue value) {
        ObjectNode node = MAPPER.createObjectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case BOOL -> node.put("BOOL", value.bool());
            case NUL -> node.put("NULL", true);
            case B -> node.put("B", value.b().asByteArray());
            case M -> node.set("M", item(value.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                value.l().forEach(v -> list.add(attribute(v)));
            }
            case SS -> value.ss().forEach(node.putArray("SS")::add);
            case NS -> value.ns().forEach(node.putArray("NS")::add);
            case BS -> value.bs().stream().map(SdkBytes::asByteArray).forEach(node.putArray("BS")::add);
            default -> throw new IllegalArgumentException("unknown attribute type " + value.type());
        }
        return node;
    }

    private static JsonNode readJson(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("FilterCriteria pattern is not JSON: " + text, e);
        }
    }
}
