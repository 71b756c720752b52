package com.orderexport.config;

import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the AWS clients the functions share, once per container. Region, credentials and endpoint come from
 * the SDK's own configuration chain ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, ...), so the same code
 * talks to AWS, LocalStack or moto.
 */
public final class AwsClients {

    private AwsClients() {}

    public static DynamoDbClient dynamoDb() {
        // The URL connection client starts faster and weighs less than Apache or Netty, which matters on cold start.
        return DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public static S3Client s3(Settings settings) {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(settings.s3PathStyle())
                .build();
    }

    public static S3Presigner presigner(Settings settings) {
        return S3Presigner.builder()
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.s3PathStyle()).build())
                .build();
    }

    /**
     * The client completion events are published with. Its calls are capped at a few seconds in all: an event
     * is news of a job already recorded, and must never hold up the export that decided it.
     */
    public static EventBridgeClient eventBridge() {
        return EventBridgeClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(Duration.ofSeconds(2))
                        .apiCallTimeout(Duration.ofSeconds(5)))
                .build();
    }
}
