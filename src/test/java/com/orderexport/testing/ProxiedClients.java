package com.orderexport.testing;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the fault tests give the export function: SDK clients that reach the emulator through a {@link FaultProxy},
 * with timeouts short enough that a fault is felt within seconds, and the stream mapping's retries as Lambda
 * plays them.
 */
public final class ProxiedClients {

    private ProxiedClients() {}

    public static DynamoDbClient dynamo(FaultProxy proxy) {
        return DynamoDbClient.builder().endpointOverride(proxy.endpoint()).httpClientBuilder(http())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10))).build();
    }

    /** @param beforeEachRequest sees (and may fail) every request before the SDK sends it */
    public static S3Client s3(FaultProxy proxy, Consumer<SdkRequest> beforeEachRequest) {
        return S3Client.builder().endpointOverride(proxy.endpoint()).forcePathStyle(true).httpClientBuilder(http())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(10)).addExecutionInterceptor(
                        new ExecutionInterceptor() {
                            @Override
                            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                                beforeEachRequest.accept(context.request());
                            }
                        })).build();
    }

    /**
     * Each batch tried once and retried three times (MaximumRetryAttempts) while it reports a failure or the
     * invocation dies, then dropped to the failure queue.
     */
    public static void deliverAsLambdaWould(List<DynamodbEvent> batches,
                                            RequestHandler<DynamodbEvent, StreamsEventResponse> function) {
        for (DynamodbEvent batch : batches) {
            for (int attempt = 0; attempt < 4; attempt++) {
                try {
                    StreamsEventResponse response = function.handleRequest(batch, null);
                    if (response.getBatchItemFailures().isEmpty()) {
                        break;
                    }
                } catch (Throwable crashed) {
                    // The runtime dies with the invocation; Lambda retries the batch.
                }
            }
        }
    }

    private static UrlConnectionHttpClient.Builder http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofSeconds(3));
    }
}
