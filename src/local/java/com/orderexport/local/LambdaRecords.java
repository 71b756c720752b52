package com.orderexport.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/** DynamoDB stream records as the SDK reads them, turned into the JSON Lambda hands a function. */
final class LambdaRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LambdaRecords() {
    }

    /** A stream record in the JSON shape Lambda delivers. */
    static ObjectNode of(Record record, String streamArn) {
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
        node.put("eventSourceARN", streamArn);
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
}
