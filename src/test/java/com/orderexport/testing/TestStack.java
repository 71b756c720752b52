package com.orderexport.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import com.orderexport.jobs.StoreId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The template's tables and bucket, created on the emulator once per test run under run-unique names,
 * and the settings each function would get from its template environment pointing at them.
 */
public final class TestStack {

    private final AwsEmulator emulator;
    private final Template template;
    private final Map<String, String> physicalNames = new HashMap<>();
    private final DynamoDbClient dynamo;
    private final S3Client s3;

    TestStack(AwsEmulator emulator, Template template) {
        this.emulator = emulator;
        this.template = template;
        pointSdkAt(emulator);
        this.dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        this.s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).forcePathStyle(true).build();
        String run = UUID.randomUUID().toString().substring(0, 8);
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, props) -> createTable(id + "-" + run, id, props));
        template.resourcesOfType("AWS::S3::Bucket").keySet().forEach(id -> {
            String name = id.toLowerCase(Locale.ROOT) + "-" + run;
            s3.createBucket(r -> r.bucket(name));
            physicalNames.put(id, name);
        });
    }

    /**
     * Handlers build their clients from the SDK's own configuration chain; the system-property forms of
     * {@code AWS_ENDPOINT_URL} and friends point every client in this JVM at the emulator.
     */
    private static void pointSdkAt(AwsEmulator emulator) {
        System.setProperty("aws.endpointUrl", emulator.endpoint().toString());
        setIfAbsent("aws.region", "us-east-1");
        setIfAbsent("aws.accessKeyId", "test");
        setIfAbsent("aws.secretAccessKey", "test");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null && System.getenv(property.replace('.', '_').toUpperCase()) == null) {
            System.setProperty(property, value);
        }
    }

    private void createTable(String name, String logicalId, JsonNode props) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        props.path("AttributeDefinitions").forEach(a -> attributes.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText()).attributeType(a.path("AttributeType").asText()).build()));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(props.path("KeySchema")))
                .billingMode(BillingMode.fromValue(props.path("BillingMode").asText("PAY_PER_REQUEST")));
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
        physicalNames.put(logicalId, name);
    }

    private static List<KeySchemaElement> keySchema(JsonNode schema) {
        List<KeySchemaElement> keys = new ArrayList<>();
        schema.forEach(k -> keys.add(KeySchemaElement.builder()
                .attributeName(k.path("AttributeName").asText()).keyType(k.path("KeyType").asText()).build()));
        return keys;
    }

    public Template template() {
        return template;
    }

    public AwsEmulator emulator() {
        return emulator;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public S3Client s3() {
        return s3;
    }

    /** The run-unique name of a template resource (table or bucket) by its logical id. */
    public String nameOf(String logicalId) {
        String name = physicalNames.get(logicalId);
        if (name == null) {
            throw new IllegalArgumentException("no created resource " + logicalId);
        }
        return name;
    }

    /**
     * The environment the template gives a function, with references resolved to this run's resources and
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

    /** A store id no other test uses, so tests never see each other's data. */
    public static StoreId newStore() {
        return new StoreId("store-" + UUID.randomUUID().toString().substring(0, 13));
    }
}
