package com.orderexport.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.config.AwsClients;
import com.orderexport.config.PrimingClients;
import com.orderexport.config.Settings;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.store.StoreId;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs every route of the API once before SnapStart snapshots the function, so the first request after a
 * restore finds its classes loaded, linked and compiled: create (plain and with an Idempotency-Key), get, list,
 * the file link and a cancel, through a handler like the real one whose DynamoDB answers in-process
 * ({@link PrimingClients}). Nothing is sent to AWS.
 */
final class ApiPriming {

    static final String STORE = "priming-store";
    static final String FILTER = "ge(created_at,2024-01-01):lt(created_at,2024-02-01):eq(payment,paid)"
            + ":in(status,complete,processing):like(email,*@example.com):gt(with_tax,0)";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiPriming() {}

    /** Calls each route once; returns the statuses, in order: create, get, list, file, cancel, create with a key. */
    static List<Integer> run(Settings settings) {
        List<Integer> statuses = new ArrayList<>();
        try (DynamoDbClient dynamo = PrimingClients.dynamoDb(AwsClients.Budget.REQUEST, new LastItem()::reply)) {
            JobStore store = new JobStore(dynamo, "priming-jobs");
            JobsApiHandler handler = new JobsApiHandler(new JobService(store,
                    new LinkSigner(PrimingClients.presigner(settings), "priming-bucket"), settings.linkTtl(),
                    Clock.systemUTC(), settings.maxUnfinishedJobsPerStore()), settings);
            String body = "{\"data\":{\"type\":\"job\",\"job_type\":\"order_export\",\"filter\":\"" + FILTER + "\"}}";
            var created = handler.handleRequest(request(settings, "POST", "/v2/jobs", body, Map.of()), null);
            statuses.add(created.getStatusCode());
            String id = MAPPER.readTree(created.getBody()).path("data").path("id").asText();
            // Done, with a file: the get, list and file routes then render every field and sign a link.
            Job job = store.find(new StoreId(STORE), id).orElseThrow();
            store.replace(new Job(job.storeId(), job.id(), job.jobType(), job.filter(), job.options(), JobStatus.COMPLETE,
                    job.createdAt(), job.createdAt(), job.expiresAt(), null, "exports/" + id + ".csv", 1L, 1L, 100L,
                    "AAAAAAAAAAA=", null, null));
            for (String path : List.of("/v2/jobs/" + id, "/v2/jobs", "/v2/jobs/" + id + "/file")) {
                statuses.add(handler.handleRequest(request(settings, "GET", path, null, Map.of()), null).getStatusCode());
            }
            // A decided job refuses the cancel: the route and its error in Elastic Path's shape.
            statuses.add(handler.handleRequest(request(settings, "POST", "/v2/jobs/" + id + "/cancel", null, Map.of()),
                    null).getStatusCode());
            statuses.add(handler.handleRequest(request(settings, "POST", "/v2/jobs", body,
                    Map.of("idempotency-key", "priming")), null).getStatusCode());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return statuses;
    }

    private static APIGatewayV2HTTPEvent request(Settings settings, String method, String path, String body,
                                                 Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", "application/json");
        all.put("host", "priming.invalid");
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(method + " " + path).withRawPath(path)
                .withRawQueryString("").withHeaders(all).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(RequestContext.builder().withRouteKey(method + " " + path).withStage("$default")
                        .withDomainName("priming.invalid").withRequestId("priming")
                        .withHttp(RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .withAuthorizer(RequestContext.Authorizer.builder()
                                .withJwt(RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of(settings.storeClaim(), STORE)).build())
                                .build())
                        .build())
                .build();
    }

    /**
     * The jobs table as priming needs it: a read or query finds the item written last. Enough for one job's
     * create, update, get, list and file link, without a table's key logic.
     */
    private static final class LastItem {

        private JsonNode item;

        String reply(String operation, String request) {
            try {
                JsonNode body = MAPPER.readTree(request);
                switch (operation) {
                    case "PutItem" -> item = body.path("Item");
                    case "TransactWriteItems" -> item = body.path("TransactItems").path(0).path("Put").path("Item");
                    case "GetItem" -> {
                        return item == null ? "{}" : MAPPER.createObjectNode().set("Item", item).toString();
                    }
                    case "Query" -> {
                        ObjectNode page = MAPPER.createObjectNode().put("Count", item == null ? 0 : 1)
                                .put("ScannedCount", item == null ? 0 : 1);
                        if (item != null) {
                            page.putArray("Items").add(item);
                        }
                        return page.toString();
                    }
                    default -> {
                        // every other write succeeds without a body
                    }
                }
                return "{}";
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
