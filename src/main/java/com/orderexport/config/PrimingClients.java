package com.orderexport.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * AWS clients for priming the functions before a SnapStart snapshot: built and configured as {@link AwsClients}
 * builds the real ones, so a call runs the same SDK code (marshalling, signing, retries, unmarshalling), but
 * answered in this process. They open no connection and need no credentials: nothing reaches AWS.
 */
public final class PrimingClients {

    /** Answers one DynamoDB call in-process. */
    @FunctionalInterface
    public interface Replies {
        /**
         * @param operation the operation, e.g. {@code PutItem}
         * @param request the request's JSON body
         * @return the JSON body of a successful response
         */
        String reply(String operation, String request);
    }

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));

    private PrimingClients() {}

    /** A DynamoDB client whose every call {@code replies} answers. */
    public static DynamoDbClient dynamoDb(AwsClients.Budget budget, Replies replies) {
        return DynamoDbClient.builder().httpClient(new InProcess(replies)).overrideConfiguration(budget.overrides())
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build();
    }

    /** A presigner as {@link AwsClients#presigner} builds it; presigning is local anyway, but needs credentials. */
    public static S3Presigner presigner(Settings settings) {
        return S3Presigner.builder()
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.s3PathStyle()).build())
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build();
    }

    /** The HTTP layer: hands each request's body to the replies and returns their answer as a 200. */
    private record InProcess(Replies replies) implements SdkHttpClient {

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                    String body = "";
                    if (request.contentStreamProvider().isPresent()) {
                        try (InputStream in = request.contentStreamProvider().get().newStream()) {
                            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                    }
                    byte[] reply = replies.reply(target.substring(target.indexOf('.') + 1), body)
                            .getBytes(StandardCharsets.UTF_8);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                                    .putHeader("Content-Length", Integer.toString(reply.length)).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(reply)))
                            .build();
                }

                @Override
                public void abort() {
                    // answered synchronously: nothing to abort
                }
            };
        }

        @Override
        public String clientName() {
            return "priming";
        }

        @Override
        public void close() {
            // holds nothing
        }
    }
}
