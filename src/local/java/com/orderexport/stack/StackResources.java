package com.orderexport.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The template's tables (keys, stream, TTL) and buckets, created on an emulator under names with a suffix,
 * and the environment each function would get from the template pointing at them.
 */
public final class StackResources {

    private final Template template;
    private final Map<String, String> physicalNames = new HashMap<>();

    private StackResources(Template template) {
        this.template = template;
    }

    /** Creates every AWS::DynamoDB::Table and AWS::S3::Bucket of the template, named {@code <id>-<suffix>}. */
    public static StackResources create(Template template, DynamoDbClient dynamo, S3Client s3, String suffix) {
        StackResources resources = new StackResources(template);
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, props) ->
                resources.physicalNames.put(id, createTable(dynamo, id + "-" + suffix, props)));
        template.resourcesOfType("AWS::S3::Bucket").keySet().forEach(id -> {
            String name = (id + "-" + suffix).toLowerCase(Locale.ROOT);
            s3.createBucket(r -> r.bucket(name));
            resources.physicalNames.put(id, name);
        });
        return resources;
    }

    private static String createTable(DynamoDbClient dynamo, String name, JsonNode props) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        props.path("AttributeDefinitions").forEach(a -> attributes.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText()).attributeType(a.path("AttributeType").asText()).build()));
        List<KeySchemaElement> keys = new ArrayList<>();
        props.path("KeySchema").forEach(k -> keys.add(KeySchemaElement.builder()
                .attributeName(k.path("AttributeName").asText()).keyType(k.path("KeyType").asText()).build()));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(attributes)
                .keySchema(keys)
                .billingMode(BillingMode.fromValue(props.path("BillingMode").asText("PAY_PER_REQUEST")));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        props.path("GlobalSecondaryIndexes").forEach(index -> indexes.add(globalSecondaryIndex(index)));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        JsonNode stream = props.path("StreamSpecification");
        if (!stream.isMissingNode()) {
            request.streamSpecification(s -> s.streamEnabled(true)
                    .streamViewType(StreamViewType.fromValue(stream.path("StreamViewType").asText())));
        }
        dynamo.createTable(request.build());
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        JsonNode ttl = props.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false)) {
            dynamo.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(
                    t -> t.enabled(true).attributeName(ttl.path("AttributeName").asText())));
        }
        return name;
    }

    private static GlobalSecondaryIndex globalSecondaryIndex(JsonNode index) {
        List<KeySchemaElement> keys = new ArrayList<>();
        index.path("KeySchema").forEach(k -> keys.add(KeySchemaElement.builder()
                .attributeName(k.path("AttributeName").asText()).keyType(k.path("KeyType").asText()).build()));
        JsonNode projection = index.path("Projection");
        List<String> included = new ArrayList<>();
        projection.path("NonKeyAttributes").forEach(a -> included.add(a.asText()));
        return GlobalSecondaryIndex.builder().indexName(index.path("IndexName").asText()).keySchema(keys)
                .projection(p -> p.projectionType(projection.path("ProjectionType").asText("ALL"))
                        .nonKeyAttributes(included.isEmpty() ? null : included))
                .build();
    }

    public Template template() {
        return template;
    }

    /** The created name of a template resource (table or bucket) by its logical id. */
    public String nameOf(String logicalId) {
        String name = physicalNames.get(logicalId);
        if (name == null) {
            throw new IllegalArgumentException("no created resource " + logicalId);
        }
        return name;
    }

    /**
     * The environment the template gives a function, with references resolved to the created resources and
     * parameters to their defaults, plus path-style S3 addressing, which emulators need.
     */
    public Map<String, String> environmentOf(String functionId) {
        Map<String, String> env = new HashMap<>();
        template.environmentOf(functionId).forEach((name, value) -> env.put(name,
                physicalNames.containsKey(value) ? physicalNames.get(value)
                        : template.isParameter(value) ? template.parameterDefault(value) : value));
        env.put(Settings.S3_FORCE_PATH_STYLE, "true");
        return env;
    }

    public Settings settingsOf(String functionId) {
        return Settings.from(environmentOf(functionId));
    }

    /** An instance of the class a function's Handler string names, built with that function's settings. */
    public Object handlerOf(String functionId) {
        try {
            return Class.forName(template.handlerClassOf(functionId)).getConstructor(Settings.class)
                    .newInstance(settingsOf(functionId));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the handler " + template.handlerOf(functionId), e);
        }
    }
}
