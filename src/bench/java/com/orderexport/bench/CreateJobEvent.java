package com.orderexport.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.lang.management.ManagementFactory;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The create-job request of events/create-job.json as API Gateway hands it to the function (HTTP API payload
 * 2.0, the JWT authorizer's claims attached), and the job item a create writes: both sides of P6 and P7 use them.
 */
final class CreateJobEvent {

    static final String STORE = OrderItems.STORE;
    static final String FILTER = "gt(created_at,2018-09-01):lt(created_at,2018-10-01):eq(payment,refunded)";
    static final String BODY = "{\"data\":{\"filter\":\"" + FILTER + "\",\"job_type\":\"order_export\"}}";

    private CreateJobEvent() {}

    static APIGatewayV2HTTPEvent event() {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("POST /v2/jobs")
                .withRawPath("/v2/jobs")
                .withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json", "host", "bench.example.com",
                        "x-forwarded-proto", "https"))
                .withBody(BODY)
                .withIsBase64Encoded(false)
                .withRequestContext(RequestContext.builder()
                        .withRouteKey("POST /v2/jobs")
                        .withStage("$default")
                        .withDomainName("bench.example.com")
                        .withRequestId("bench-request")
                        .withHttp(RequestContext.Http.builder().withMethod("POST").withPath("/v2/jobs").build())
                        .withAuthorizer(RequestContext.Authorizer.builder()
                                .withJwt(RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("store_id", STORE)).build())
                                .build())
                        .build())
                .build();
    }

    /** A pending job's item with every attribute JobStore writes for one (a fresh id each call). */
    static Map<String, AttributeValue> jobItem() {
        Instant now = Instant.now();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("store_id", AttributeValue.fromS(STORE));
        item.put("job_id", AttributeValue.fromS(UUID.randomUUID().toString()));
        item.put("job_type", AttributeValue.fromS("order_export"));
        item.put("filter", AttributeValue.fromS(FILTER));
        item.put("status", AttributeValue.fromS("pending"));
        item.put("created_at", AttributeValue.fromS(now.toString()));
        item.put("expires_at", AttributeValue.fromN(Long.toString(now.plusSeconds(7 * 24 * 3600).getEpochSecond())));
        return item;
    }

    /**
     * A cold-start child's whole life: one create-job request through {@code handler}, then the status and the
     * number of classes loaded on stdout, and exit. Shared by both sides of P6, so neither loads more for it.
     */
    static void answerOnceAndExit(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        try {
            APIGatewayV2HTTPResponse response = handler.handleRequest(event(), null);
            System.out.println("RESPONSE status=" + response.getStatusCode() + " classes="
                    + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.flush();
        System.exit(0);
    }
}
