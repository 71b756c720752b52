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
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The template's tables (keys, stream, TTL), buckets, queues and KMS keys, created on an emulator under names with a
 * suffix (or reused when a run before created them under the same suffix), and the environment each function
 * would get from the template pointing at them.
 */
public final class StackResources {

    private final Template template;
    private final Map<String, String> physicalNames = new HashMap<>();
    private final Map<String, String> queueUrls = new HashMap<>();
    /** {@code !GetAtt X.Arn} of the queues and roles, by logical id. */
    private final Map<String, String> arns = new HashMap<>();
    private static final String ARN = ".Arn";
    /** The account of ARNs when no emulator resource tells it (moto's default). */
    private static final String DEFAULT_ACCOUNT = "123456789012";
    private final SqsClient sqs;
    private final Map<String, String> processEnvironment;

    private StackResources(Template template, SqsClient sqs, Map<String, String> processEnvironment) {
        this.template = template;
        this.sqs = sqs;
        this.processEnvironment = processEnvironment;
    }

    /**
     * Creates every AWS::DynamoDB::Table, AWS::S3::Bucket, AWS::SQS::Queue and AWS::KMS::Key of the template,
     * named {@code <id>-<suffix>} (a key: aliased so); one that already exists under that name is reused as it is.
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
            String url = resources.sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
            resources.queueUrls.put(id, url);
            resources.physicalNames.put(id, name);
            resources.arns.put(id, resources.sqs.getQueueAttributes(r -> r.queueUrl(url)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN));
        });
        // Roles are named, not created: emulators do not enforce IAM, and a function only passes a role's ARN on.
        String account = resources.arns.values().stream().findFirst().map(arn -> arn.split(":")[4])
                .orElse(DEFAULT_ACCOUNT);
        template.resourcesOfType("AWS::IAM::Role").keySet().forEach(id ->
                resources.arns.put(id, "arn:aws:iam::" + account + ":role/" + id + "-" + suffix));
        if (!template.resourcesOfType("AWS::KMS::Key").isEmpty()) {
            KmsClient kms = KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            template.resourcesOfType("AWS::KMS::Key").forEach((id, props) ->
                    resources.physicalNames.put(id, createKey(kms, "alias/" + id + "-" + suffix, props)));
        }
        return resources;
    }

    /**
     * A KMS key of the template's spec and usage, found again by an alias under the run's suffix (keys have no
     * name of their own); {@code !Ref} of a key is its key id, as in CloudFormation.
     */
    private static String createKey(KmsClient kms, String alias, JsonNode props) {
        try {
            return kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId();
        } catch (NotFoundException notYet) {
            String keyId = kms.createKey(r -> r.keySpec(props.path("KeySpec").asText("SYMMETRIC_DEFAULT"))
                    .keyUsage(props.path("KeyUsage").asText("ENCRYPT_DECRYPT"))
                    .description(props.path("Description").asText(""))).keyMetadata().keyId();
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));
            return keyId;
        }
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
        overlaid.arns.putAll(arns);
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

    /**
     * Deletes the tables, queues and buckets (objects and open uploads first) created for the template, so that a
     * test class that is done with them stops costing the emulator memory and time: moto keeps everything in one
     * process, whose every request slows as the data of earlier classes piles up. Best effort: what fails to go
     * stays until the emulator stops.
     */
    public void delete(DynamoDbClient dynamo, S3Client s3) {
        template.resourcesOfType("AWS::DynamoDB::Table").keySet().forEach(id -> quietly(() ->
                dynamo.deleteTable(r -> r.tableName(physicalNames.get(id)))));
        queueUrls.values().forEach(url -> quietly(() -> sqs.deleteQueue(r -> r.queueUrl(url))));
        template.resourcesOfType("AWS::S3::Bucket").keySet().forEach(id -> quietly(() -> {
            String bucket = physicalNames.get(id);
            s3.listMultipartUploadsPaginator(r -> r.bucket(bucket)).uploads().forEach(upload -> quietly(() ->
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()))));
            s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(object -> quietly(() ->
                    s3.deleteObject(r -> r.bucket(bucket).key(object.key()))));
            s3.deleteBucket(r -> r.bucket(bucket));
        }));
    }

    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // left to the emulator's end
        }
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
                        : value.endsWith(ARN) && arns.containsKey(value.substring(0, value.length() - ARN.length()))
                        ? arns.get(value.substring(0, value.length() - ARN.length()))
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
