package com.orderexport.api;

import static com.orderexport.testing.HttpEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.Settings;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.LogCapture;
import com.orderexport.testing.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** What the API function tells operators: created and rejected jobs counted, failures logged by request id. */
@ExtendWith(EmulatorExtension.class)
class ApiTelemetryIT {

    static final String FILTER = "eq(email,ron@swanson.com)";
    static final String BODY = "{\"data\":{\"filter\":\"" + FILTER + "\",\"job_type\":\"order_export\"}}";

    static TestStack stack;
    static Settings settings;
    final LogCapture logs = new LogCapture();
    final StoreId store = TestStack.newStore();
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void startStack(TestStack testStack) {
        stack = testStack;
        settings = stack.settingsOf("JobsApiFunction");
    }

    @Test
    void aCreatedJob_isLoggedWithItsIdsAndCounted_andItsFilterStaysOutOfInfo() throws Exception {
        APIGatewayV2HTTPResponse response = handler(settings).handleRequest(
                request("POST", "/v2/jobs").store(store).body(BODY).build(), logs.context());

        String jobId = mapper.readTree(response.getBody()).path("data").path("id").asText();
        JsonNode created = logs.records().stream().filter(r -> "job created".equals(r.path("message").asText()))
                .findFirst().orElseThrow();
        assertThat(created.path("level").asText()).isEqualTo("INFO");
        assertThat(created.path("store_id").asText()).isEqualTo(store.value());
        assertThat(created.path("job_id").asText()).isEqualTo(jobId);
        assertThat(created.path("request_id").asText()).isNotBlank();
        JsonNode metric = logs.withField("JobsCreated").get(0);
        assertThat(metric.path("JobsCreated").asLong()).isEqualTo(1);
        assertThat(metric.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText())
                .isEqualTo(settings.metricsNamespace());
        assertThat(logs.records().toString()).doesNotContain("ron@swanson.com");
    }

    @Test
    void aRetriedCreateUnderOneIdempotencyKey_isCountedOnce_andLoggedAsAReplay() throws Exception {
        JobsApiHandler handler = handler(settings);
        APIGatewayV2HTTPResponse first = handler.handleRequest(request("POST", "/v2/jobs").store(store).body(BODY)
                .header("Idempotency-Key", "retry-1").build(), logs.context());
        APIGatewayV2HTTPResponse again = handler.handleRequest(request("POST", "/v2/jobs").store(store).body(BODY)
                .header("Idempotency-Key", "retry-1").build(), logs.context());

        assertThat(again.getStatusCode()).isEqualTo(202);
        assertThat(mapper.readTree(again.getBody()).path("data").path("id").asText())
                .isEqualTo(mapper.readTree(first.getBody()).path("data").path("id").asText());
        assertThat(logs.withField("JobsCreated")).hasSize(1);
        assertThat(logs.records()).filteredOn(r -> "job create replayed".equals(r.path("message").asText()))
                .hasSize(1);
    }

    @Test
    void atDebug_theFilterIsLoggedToo() {
        handler(settings, Log.Level.DEBUG).handleRequest(request("POST", "/v2/jobs").store(store).body(BODY).build(),
                logs.context());

        assertThat(logs.records()).anySatisfy(r -> {
            assertThat(r.path("level").asText()).isEqualTo("DEBUG");
            assertThat(r.path("filter").asText()).isEqualTo(FILTER);
        });
    }

    @Test
    void aRejectedCreate_isCountedByItsStatus_withoutTheClientsFilterAboveDebug() {
        APIGatewayV2HTTPResponse response = handler(settings).handleRequest(request("POST", "/v2/jobs").store(store)
                .body("{\"data\":{\"filter\":\"eq(email,leslie@pawnee.gov\",\"job_type\":\"order_export\"}}").build(),
                logs.context());

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode metric = logs.withField("JobsRejected").get(0);
        assertThat(metric.path("Status").asText()).isEqualTo("400");
        assertThat(metric.path("_aws").path("CloudWatchMetrics").path(0).path("Dimensions").toString())
                .isEqualTo("[[\"Service\",\"Status\"]]");
        assertThat(logs.records()).anySatisfy(r -> assertThat(r.path("message").asText()).isEqualTo("job rejected"));
        assertThat(logs.records().toString()).doesNotContain("leslie@pawnee.gov");
        assertThat(logs.withField("JobsCreated")).isEmpty();
    }

    @Test
    void anInternalFailure_isLoggedAtErrorWithTheRequestIdTheClientGotAndTheCause() throws Exception {
        JobsApiHandler broken = new JobsApiHandler(new JobService(new JobStore(stack.dynamo(), "no-such-table"),
                new LinkSigner(S3Presigner.create(), "b"), Duration.ofHours(1), Clock.systemUTC(), 10), settings,
                Log.to(logs, Log.Level.INFO, Clock.systemUTC()), new Metrics("OrderExportTest"), Clock.systemUTC());
        APIGatewayV2HTTPEvent event = request("GET", "/v2/jobs").store(store).build();

        APIGatewayV2HTTPResponse response = broken.handleRequest(event, logs.context());

        String requestId = mapper.readTree(response.getBody()).path("errors").get(0).path("request_id").asText();
        List<JsonNode> errors = logs.records().stream().filter(r -> "ERROR".equals(r.path("level").asText())).toList();
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.path("request_id").asText()).isEqualTo(requestId);
            assertThat(error.path("status").asInt()).isEqualTo(500);
            assertThat(error.path("error_type").asText()).endsWith("ResourceNotFoundException");
            assertThat(error.path("error_message").asText()).isNotBlank();
            assertThat(error.path("stack_trace").asText()).contains("\tat ");
        });
    }

    JobsApiHandler handler(Settings with) {
        return handler(with, Log.Level.INFO);
    }

    JobsApiHandler handler(Settings with, Log.Level level) {
        return new JobsApiHandler(new JobService(new JobStore(stack.dynamo(), with.jobsTable()),
                new LinkSigner(S3Presigner.create(), with.exportBucket()), with.linkTtl(), Clock.systemUTC(),
                with.maxUnfinishedJobsPerStore()), with,
                Log.to(logs, level, Clock.systemUTC()), new Metrics(with.metricsNamespace()), Clock.systemUTC());
    }
}
