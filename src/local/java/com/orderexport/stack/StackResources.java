package com.orderexport.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The template's tables (keys, stream, TTL), buckets and queues, created on an emulator under names with a
 * suffix (or reused when a run before created them under the same suffix), and the environment each function
 * would get from the template pointing at them.
 */
public final class StackResources {

    private final Template template;
    private final Map<String, String> physicalNames = new HashMap<>();
    private final Map<String, String> queueUrls = new HashMap<>();
    private final SqsClient sqs;
    private final Map<String, String> processEnvironment;

    private StackResources(Template template, SqsClient sqs, Map<String, String> processEnvironment) {
        this.template = template;
        this.sqs = sqs;
        this.processEnvironment = processEnvironment;
    }

    /**
     * Creates every AWS::DynamoDB::Table, AWS::S3::Bucket and AWS::SQS::Queue of the template, named
     * {@code <id>-<suffix>}; one that already exists under that name is reused as it is.
     */
    public static StackResources create(Template template, DynamoDbClient dynamo, S3Client s3, String suffix) {
        StackResources resources = new StackResources(template,
                SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), Map.of());
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, props) ->
                resources.physicalNames.put(id, createTable(dynamo, id + "-" + suffix, props)));
        template.resourcesOfType("AWS::S3::Bucket").keySet().forEach(id -> {
            String name = (id + "-" + suffix).toLowerCase(Locale.ROOT);
            try {
                s3.createBucket(r -> r.bucket(name));
            } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException reused) {
                // created by an earlier run under the same name
            }
            resources.physicalNames.put(id, name);
        });
        template.resourcesOfType("AWS::SQS::Queue").forEach((id, props) -> {
            String name = id + "-" + suffix;
            Map<QueueAttributeName, String> attributes = new HashMap<>();
            if (props.has("MessageRetentionPeriod")) {
                attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, props.path("MessageRetentionPeriod").asText());
            }
            // CreateQueue returns the existing queue when the name and attributes match.
            resources.queueUrls.put(id, resources.sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl());
            resources.physicalNames.put(id, name);
        });
        return resources;
    }

    /**
     * The same resources, but each function's environment overlaid by the same-named variables of
     * {@code processEnvironment}, as {@code sam local} overlays a function's declared variables: the local
     * stack passes its own environment, so {@code LINK_TTL_SECONDS=60} there makes links last 60 s.
     */
    public StackResources withProcessEnvironment(Map<String, String> processEnvironment) {
        StackResources overlaid = new StackResources(template, sqs, Map.copyOf(processEnvironment));
        overlaid.physicalNames.putAll(physicalNames);
        overlaid.queueUrls.putAll(queueUrls);
        return overlaid;
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
        JsonNode stream = props.path("StreamSpecification");
        if (!stream.isMissingNode()) {
            request.streamSpecification(s -> s.streamEnabled(true)
                    .streamViewType(StreamViewType.fromValue(stream.path("StreamViewType").asText())));
        }
        try {
            dynamo.createTable(request.build());
        } catch (ResourceInUseException reused) {
            // created by an earlier run under the same name
        }
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        JsonNode ttl = props.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false) && dynamo.describeTimeToLive(r -> r.tableName(name))
                .timeToLiveDescription().timeToLiveStatus() != TimeToLiveStatus.ENABLED) {
            dynamo.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(
                    t -> t.enabled(true).attributeName(ttl.path("AttributeName").asText())));
        }
        return name;
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

    /** The URL of a template queue created on the emulator, if the emulator still has it. */
    public Optional<String> queueUrlOf(String logicalId) {
        String url = queueUrls.get(logicalId);
        if (url == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(sqs.getQueueUrl(r -> r.queueName(physicalNames.get(logicalId))).queueUrl());
        } catch (QueueDoesNotExistException gone) {
            return Optional.empty();
        }
    }

    public SqsClient sqs() {
        return sqs;
    }

    /**
     * The environment the template gives a function, with references resolved to the created resources and
     * parameters to their defaults, overlaid by the process environment given to
     * {@link #withProcessEnvironment}, plus path-style S3 addressing, which emulators need.
     */
    public Map<String, String> environmentOf(String functionId) {
        Map<String, String> env = new HashMap<>();
        template.environmentOf(functionId).forEach((name, value) -> env.put(name,
                physicalNames.containsKey(value) ? physicalNames.get(value)
                        : template.isParameter(value) ? template.parameterDefault(value) : value));
        env.putAll(overlay(env, processEnvironment));
        env.put(Settings.S3_FORCE_PATH_STYLE, "true");
        return env;
    }

    /** The function's variables with those the process also sets replaced by the process's values. */
    static Map<String, String> overlay(Map<String, String> function, Map<String, String> process) {
        Map<String, String> env = new HashMap<>(function);
        function.keySet().forEach(name -> {
            if (process.containsKey(name)) {
                env.put(name, process.get(name));
            }
        });
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
