package com.orderexport.testing;

import static com.orderexport.testing.KitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.Settings;
import com.orderexport.credentials.StoreClients;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStore;
import com.orderexport.orders.TimeRange;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import com.orderexport.tokens.Jwk;
import com.orderexport.tokens.Jwt;
import com.orderexport.tools.StoreAdmin;
import com.orderexport.webhooks.WebhookSecrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * What each {@code events/*.json} file must do when handed to the function template.yaml names for it, whichever
 * way the function is run: a subclass says how ({@link #invoke}), in this JVM as aws-lambda-java-tests loads
 * events, or on Lambda's own runtime client. The same checks on both paths: a difference is a bug in a handler
 * or an event, not in one of the tests.
 */
@ExtendWith(EmulatorExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class SampleEventsContract {

    public static final StoreId DEMO_STORE = new StoreId("demo-store-a");
    public static final String DEMO_JOB_ID = "0190f6b4-6d4e-7c1a-9c2e-3b5a1f2e4d6c";

    /** Which function takes each file of events/ (env.json is not an event). */
    public static final Map<String, String> FUNCTION_OF_EVENT = functionOfEvent();

    protected TestStack stack;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Runs the function with the file's event and returns its result as JSON, as Lambda would return it. */
    protected abstract JsonNode invoke(String function, Path event) throws Exception;

    @BeforeAll
    void putTheDemoJobInPlace(TestStack testStack) {
        stack = testStack;
        JobStore jobs = new JobStore(stack.dynamo(), stack.settingsOf("JobsApiFunction").jobsTable());
        if (jobs.find(DEMO_STORE, DEMO_JOB_ID).isEmpty()) {
            JobBuilder.pending(DEMO_STORE, "eq(status,complete)").id(DEMO_JOB_ID).createIn(jobs);
        }
    }

    @Test
    @Order(0)
    void everyEventFile_isNamedForAFunctionOfTheTemplate() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("env.json")))
                    .containsExactlyInAnyOrderElementsOf(FUNCTION_OF_EVENT.keySet());
        }
        assertThat(stack.template().resourcesOfType("AWS::Serverless::Function").keySet())
                .containsAll(FUNCTION_OF_EVENT.values());
    }

    @Test
    @Order(1)
    void createJobEvent_answers202WithAPendingJob() throws Exception {
        JsonNode body = http("create-job.json", 202);

        assertThat(body.path("data").path("status").asText()).isEqualTo("pending");
        ResponseSchemas.assertJobBody(body);
    }

    @Test
    @Order(1)
    void listJobsEvent_answers200WithAPage() throws Exception {
        JsonNode body = http("list-jobs.json", 200);

        assertThat(body.path("meta").path("page").path("limit").asInt()).isEqualTo(10);
        ResponseSchemas.assertJobListBody(body);
    }

    @Test
    @Order(1)
    void getJobEvent_answers200WithTheDemoJob() throws Exception {
        JsonNode body = http("get-job.json", 200);

        assertThat(body.path("data").path("id").asText()).isEqualTo(DEMO_JOB_ID);
        ResponseSchemas.assertJobBody(body);
    }

    @Test
    @Order(1)
    void getJobFileEvent_answers404WhileTheDemoJobIsPending() throws Exception {
        JsonNode body = http("get-job-file.json", 404);

        assertThat(body.path("errors").get(0).path("detail").asText()).contains("still pending");
        ResponseSchemas.assertErrorBody(body);
    }

    @Test
    @Order(1)
    void tokenEvent_answersElasticPathsTokenJsonForTheDemoClient() throws Exception {
        StoreAdmin.addClient(new StoreClients(stack.dynamo(), stack.settingsOf("TokenFunction").clientsTable(),
                Clock.systemUTC()), DEMO_STORE, "demo-a-client", "demo-a-secret");

        JsonNode body = http("token.json", 200);

        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("identifier").asText()).isEqualTo("client_credentials");
        assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(Jwt.parse(body.path("access_token").asText()).claims().path("store_id").asText())
                .isEqualTo(DEMO_STORE.value());
    }

    @Test
    @Order(1)
    void issuerEvents_answerTheDiscoveryDocumentAndTheJwksItNames() throws Exception {
        JsonNode discovery = http("openid-configuration.json", 200);
        JsonNode jwks = http("jwks.json", 200);

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

        JsonNode body = http("order-webhook.json", 200);

        assertThat(body.path("result").asText()).isIn("written", "unchanged");
        assertThat(new OrderStore(stack.dynamo(), sync.ordersTable()).page(DEMO_STORE, TimeRange.ALL, null))
                .extracting(com.orderexport.orders.Order::id).contains("6b1d2f5e-3c4a-4e8b-9f0d-1a2b3c4d5e6f");
    }

    /** After the reads above, because it decides the demo job they read while it is pending. */
    @Test
    @Order(2)
    void exportJobStreamEvent_runsTheExportOfTheDemoJobWithoutBatchFailures() throws Exception {
        JsonNode response = invoke("export-job-stream.json");

        assertThat(response.path("batchItemFailures").isArray()).as(response.toString()).isTrue();
        assertThat(response.path("batchItemFailures")).isEmpty();
        Job decided = jobs().find(DEMO_STORE, DEMO_JOB_ID).orElseThrow();
        // The demo store has no orders in the test stack, so the export decides Elastic Path's "no results".
        assertThat(decided).isFailedWith("No results matched the supplied filter");
    }

    @Test
    @Order(3)
    void cancelJobEvent_answers409WithTheReasonOnceTheDemoJobIsDecided() throws Exception {
        JsonNode body = http("cancel-job.json", 409);

        assertThat(body.path("errors").get(0).path("detail").asText())
                .isEqualTo("Job " + DEMO_JOB_ID + " has failed and cannot be cancelled; it expires on its own at "
                        + jobs().find(DEMO_STORE, DEMO_JOB_ID).orElseThrow().expiresAt());
    }

    /** The demo job is decided by now and nothing else of this stack is running: there is nothing to sweep. */
    @Test
    @Order(4)
    void sweepEvent_reportsWhatTheSweepFound() throws Exception {
        JsonNode report = invoke("sweep.json");

        assertThat(report.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("stale", "redriven", "failed", "cancelled", "changed_meanwhile");
        report.properties().forEach(entry -> assertThat(entry.getValue().isInt()).as(entry.getKey()).isTrue());
        assertThat(report.path("stale").asInt()).isZero();
    }

    private JobStore jobs() {
        return new JobStore(stack.dynamo(), stack.settingsOf("JobsApiFunction").jobsTable());
    }

    private JsonNode invoke(String file) throws Exception {
        return invoke(FUNCTION_OF_EVENT.get(file), Path.of("events", file));
    }

    /** An HTTP API event: the answer's status must be {@code expected}; returns its body, parsed. */
    private JsonNode http(String file, int expected) throws Exception {
        JsonNode response = invoke(file);
        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(expected);
        return mapper.readTree(response.path("body").asText());
    }

    private static Map<String, String> functionOfEvent() {
        Map<String, String> functions = new LinkedHashMap<>();
        for (String api : new String[] {"create-job.json", "list-jobs.json", "get-job.json", "get-job-file.json",
                "cancel-job.json"}) {
            functions.put(api, "JobsApiFunction");
        }
        functions.put("export-job-stream.json", "OrderExportFunction");
        functions.put("sweep.json", "SweeperFunction");
        functions.put("token.json", "TokenFunction");
        functions.put("openid-configuration.json", "IssuerFunction");
        functions.put("jwks.json", "IssuerFunction");
        functions.put("order-webhook.json", "OrderSyncFunction");
        return Map.copyOf(functions);
    }
}
