package com.orderexport.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.stack.StackResources;
import com.orderexport.stack.Template;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Reads a function's stream for tests that drive the function themselves, one poll at a time: every shard
 * from its start, the event's FilterCriteria applied, batches of its BatchSize, each batch the
 * {@link DynamodbEvent} the Java runtime would hand the function. The running stack uses
 * {@link EventSourceMapping}, which adds lanes, retries and the on-failure destination.
 */
public final class StreamFeeder {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PojoSerializer<DynamodbEvent> EVENTS =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamFeeder.class.getClassLoader());

    private final StreamReader reader;
    private final StreamEventSettings settings;

    /** Follows the stream of the table that {@code functionId}'s DynamoDB event reads, from its start. */
    public StreamFeeder(StackResources resources, DynamoDbClient dynamo, String functionId) {
        this.settings = StreamEventSettings.of(resources.template(), functionId);
        this.reader = new StreamReader(dynamo, resources.nameOf(settings.tableId()), false);
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
        for (StreamReader.StreamRecord record : reader.readAll()) {
            if (settings.passes(record.json()) && (storeId == null
                    || storeId.equals(record.json().path("dynamodb").path("Keys").path("store_id").path("S").asText()))) {
                passing.add(record.json());
            }
        }
        List<DynamodbEvent> batches = new ArrayList<>();
        for (int from = 0; from < passing.size(); from += settings.batchSize()) {
            batches.add(event(passing.subList(from, Math.min(from + settings.batchSize(), passing.size()))));
        }
        return batches;
    }

    /** A batch of Lambda-shaped records as the Java runtime deserialises it for the function. */
    static DynamodbEvent event(List<? extends JsonNode> records) {
        ObjectNode event = MAPPER.createObjectNode();
        event.putArray("Records").addAll(records);
        return EVENTS.fromJson(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
