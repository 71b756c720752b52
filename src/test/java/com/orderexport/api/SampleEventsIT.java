package com.orderexport.api;

import static com.orderexport.testing.KitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.Settings;
import com.orderexport.credentials.StoreClients;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStore;
import com.orderexport.orders.CreatedAtRange;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.ResponseSchemas;
import com.orderexport.testing.TestStack;
import com.orderexport.tokens.Jwk;
import com.orderexport.tokens.Jwt;
import com.orderexport.tools.StoreAdmin;
import com.orderexport.webhooks.WebhookSecrets;
import java.time.Clock;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The events/ files, loaded as the Java runtime loads them and handed to the class that template.yaml's
 * Handler string names: what {@code sam local invoke -e} and the console's test tab do.
 */
@ExtendWith(EmulatorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleEventsIT {

    static final String FUNCTION = "JobsApiFunction";
    static final StoreId DEMO_STORE = new StoreId("demo-store-a");
    static final String DEMO_JOB_ID = "0190f6b4-6d4e-7c1a-9c2e-3b5a1f2e4d6c";

    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    static TestStack stack;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void buildTheTemplatesHandler(TestStack testStack) {
        stack = testStack;
        handler = stack.handler(FUNCTION, APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class);
        JobStore jobs = new JobStore(stack.dynamo(), stack.settingsOf(FUNCTION).jobsTable());
        if (jobs.find(DEMO_STORE, DEMO_JOB_ID).isEmpty()) {
            JobBuilder.pending(DEMO_STORE, "eq(status,complete)").id(DEMO_JOB_ID).createIn(jobs);
        }
    }

    @Test
    @Order(1)
    void createJobEvent_answers202WithAPendingJob() throws Exception {
        JsonNode body = invoke("events/create-job.json", 202);

        assertThat(body.path("data").path("status").asText()).isEqualTo("pending");
        ResponseSchemas.assertJobBody(body);
    }

    @Test
    @Order(1)
    void listJobsEvent_answers200WithAPage() throws Exception {
        JsonNode body = invoke("events/list-jobs.json", 200);

        assertThat(body.path("meta").path("page").path("limit").asInt()).isEqualTo(10);
        ResponseSchemas.assertJobListBody(body);
    }

    @Test
    @Order(1)
    void getJobEvent_answers200WithTheDemoJob() throws Exception {
        JsonNode body = invoke("events/get-job.json", 200);

        assertThat(body.path("data").path("id").asText()).isEqualTo(DEMO_JOB_ID);
        ResponseSchemas.assertJobBody(body);
    }

    @Test
    @Order(1)
    void getJobFileEvent_answers404WhileTheDemoJobIsPending() throws Exception {
        JsonNode body = invoke("events/get-job-file.json", 404);

        assertThat(body.path("errors").get(0).path("detail").asText()).contains("still pending");
        ResponseSchemas.assertErrorBody(body);
    }

    @Test
    @Order(1)
    void tokenEvent_answersElasticPathsTokenJsonForTheDemoClient() throws Exception {
        StoreAdmin.addClient(new StoreClients(stack.dynamo(), stack.settingsOf("TokenFunction").clientsTable(),
                Clock.systemUTC()), DEMO_STORE, "demo-a-client", "demo-a-secret");

        JsonNode body = invoke("TokenFunction", "events/token.json", 200);

        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("identifier").asText()).isEqualTo("client_credentials");
        assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(Jwt.parse(body.path("access_token").asText()).claims().path("store_id").asText())
                .isEqualTo(DEMO_STORE.value());
    }

    @Test
    @Order(1)
    void issuerEvents_answerTheDiscoveryDocumentAndTheJwksItNames() throws Exception {
        JsonNode discovery = invoke("IssuerFunction", "events/openid-configuration.json", 200);
        JsonNode jwks = invoke("IssuerFunction", "events/jwks.json", 200);

        assertThat(discovery.path("issuer").asText()).isEqualTo("https://def456.execute-api.us-east-1.amazonaws.com");
        assertThat(discovery.path("jwks_uri").asText()).endsWith("/.well-known/jwks.json");
        assertThat(jwks.path("keys").get(0).path("kid").asText()).isEqualTo(stack.settingsOf("IssuerFunction").signingKeyId());
        assertThat(Jwk.toPublicKey(jwks.path("keys").get(0)).getModulus().bitLength()).isEqualTo(2048);
    }

    /** Its order is processing, so the demo job's eq(status,complete) export below still finds nothing. */
    @Test
    @Order(1)
    void orderWebhookEvent_storesTheDeliveredOrderForTheRoutesStore() throws Exception {
        Settings sync = stack.settingsOf("OrderSyncFunction");
        StoreAdmin.setWebhookSecret(new WebhookSecrets(SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .build(), sync.webhookSecretsPath(), Clock.systemUTC()), DEMO_STORE, "demo-store-a-webhook-secret");

        JsonNode body = invoke("OrderSyncFunction", "events/order-webhook.json", 200);

        assertThat(body.path("result").asText()).isIn("written", "unchanged");
        assertThat(new OrderStore(stack.dynamo(), sync.ordersTable()).page(DEMO_STORE, CreatedAtRange.ALL, null))
                .extracting(com.orderexport.orders.Order::id).contains("6b1d2f5e-3c4a-4e8b-9f0d-1a2b3c4d5e6f");
    }

    /** Last, because it decides the demo job the other events read while it is pending. */
    @Test
    @Order(2)
    void exportJobStreamEvent_runsTheExportOfTheDemoJobWithoutBatchFailures() throws Exception {
        RequestHandler<DynamodbEvent, StreamsEventResponse> export =
                stack.handler("OrderExportFunction", DynamodbEvent.class, StreamsEventResponse.class);
        DynamodbEvent event = EventLoader.loadDynamoDbEvent("events/export-job-stream.json");

        StreamsEventResponse response = export.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        Job decided = new JobStore(stack.dynamo(), stack.settingsOf(FUNCTION).jobsTable()).find(DEMO_STORE, DEMO_JOB_ID)
                .orElseThrow();
        // The demo store has no orders in the test stack, so the export decides Elastic Path's "no results".
        assertThat(decided).isFailedWith("No results matched the supplied filter");
    }

    @Test
    @Order(3)
    void cancelJobEvent_answers409WithTheReasonOnceTheDemoJobIsDecided() throws Exception {
        JsonNode body = invoke("events/cancel-job.json", 409);

        assertThat(body.path("errors").get(0).path("detail").asText())
                .isEqualTo("Job " + DEMO_JOB_ID + " has failed and cannot be cancelled; it expires on its own at "
                        + new JobStore(stack.dynamo(), stack.settingsOf(FUNCTION).jobsTable()).find(DEMO_STORE,
                        DEMO_JOB_ID).orElseThrow().expiresAt());
    }

    private JsonNode invoke(String file, int expectedStatus) throws Exception {
        return invoke(handler, file, expectedStatus);
    }

    private JsonNode invoke(String function, String file, int expectedStatus) throws Exception {
        return invoke(stack.handler(function, APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class), file,
                expectedStatus);
    }

    private JsonNode invoke(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function, String file,
                            int expectedStatus) throws Exception {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(file);
        APIGatewayV2HTTPResponse response = function.handleRequest(event, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(expectedStatus);
        return mapper.readTree(response.getBody());
    }
}
