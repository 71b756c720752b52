package com.orderexport.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * P6's baseline: the least a create-job function could be — the same SDK clients built the same way
 * (DynamoDbClient on the URL connection client, an S3Presigner) and one PutItem of a job item, no parsing,
 * validation or rendering. Its main is the child JVM; it prints {@code RESPONSE status=.. classes=..}.
 */
public final class BareCreateHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final DynamoDbClient dynamo = DynamoDbClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    // Built, as the real handler builds one, though this handler never signs a link.
    private final S3Presigner presigner = S3Presigner.builder()
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    private final String table = System.getenv("JOBS_TABLE");

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        dynamo.putItem(r -> r.tableName(table).item(CreateJobEvent.jobItem())
                .conditionExpression("attribute_not_exists(job_id)"));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(202).withHeaders(Map.of("Content-Type",
                "application/json")).withBody("{}").withIsBase64Encoded(false).build();
    }

    public static void main(String[] args) {
        CreateJobEvent.answerOnceAndExit(new BareCreateHandler());
    }
}
