package com.orderexport.config;

import java.time.Duration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds the AWS clients the functions share, once per container. Region, credentials and endpoint come from
 * the SDK's own configuration chain ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, ...), so the same code
 * talks to AWS, LocalStack or moto. Timeouts and retries are set per {@link Budget}, never left to defaults
 * that would let a call hang past what its caller can wait.
 */
public final class AwsClients {

    /** How long a caller can wait for one AWS call, retries included. */
    public enum Budget {
        /**
         * Inside an HTTP request, which API Gateway abandons after 30 s: a dependency that does not answer
         * within a few seconds is reported as unavailable (503) rather than waited for.
         */
        REQUEST(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(6)),
        /**
         * In a background run with minutes to spare: patient enough to ride out a short outage or throttling,
         * and to upload a part (up to tens of MB) on one attempt.
         */
        BACKGROUND(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(3));

        private final Duration connect;
        private final Duration socket;
        private final Duration attempt;
        private final Duration call;

        Budget(Duration connect, Duration socket, Duration attempt, Duration call) {
            this.connect = connect;
            this.socket = socket;
            this.attempt = attempt;
            this.call = call;
        }

        private UrlConnectionHttpClient.Builder http() {
            // The URL connection client starts faster and weighs less than Apache or Netty: it matters on cold start.
            return UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(socket);
        }

        ClientOverrideConfiguration overrides() {
            // Standard mode: exponential backoff with jitter, 3 attempts, throttling retried with a token bucket.
            return ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD)
                    .apiCallAttemptTimeout(attempt).apiCallTimeout(call).build();
        }
    }

    private AwsClients() {}

    public static DynamoDbClient dynamoDb(Budget budget) {
        return DynamoDbClient.builder().httpClientBuilder(budget.http()).overrideConfiguration(budget.overrides())
                .build();
    }

    /**
     * For a bulk copy into one store's orders (the backfill), whose writes all land on one partition: the adaptive
     * retry mode slows the writes to what the table takes, and ten attempts ride out its throttling instead of
     * stopping the copy.
     */
    public static DynamoDbClient dynamoDbForBulkWrites() {
        Budget budget = Budget.BACKGROUND;
        return DynamoDbClient.builder().httpClientBuilder(budget.http())
                .overrideConfiguration(budget.overrides().toBuilder()
                        .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(10).build())
                        .build())
                .build();
    }

    public static KmsClient kms(Budget budget) {
        return KmsClient.builder().httpClientBuilder(budget.http()).overrideConfiguration(budget.overrides()).build();
    }

    public static SsmClient ssm(Budget budget) {
        return SsmClient.builder().httpClientBuilder(budget.http()).overrideConfiguration(budget.overrides()).build();
    }

    public static S3Client s3(Settings settings, Budget budget) {
        return S3Client.builder()
                .httpClientBuilder(budget.http())
                .overrideConfiguration(budget.overrides())
                .forcePathStyle(settings.s3PathStyle())
                .build();
    }

    public static S3Presigner presigner(Settings settings) {
        return S3Presigner.builder()
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.s3PathStyle()).build())
                .build();
    }

    /**
     * The client completion events are published with. An event is news of a job already recorded and must
     * never hold up the export that decided it, so callers give it the short {@link Budget#REQUEST} budget.
     */
    public static EventBridgeClient eventBridge(Budget budget) {
        return EventBridgeClient.builder().httpClientBuilder(budget.http()).overrideConfiguration(budget.overrides())
                .build();
    }
}
