package com.orderexport.api;

import static com.orderexport.testing.HttpEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.Settings;
import com.orderexport.export.ExportFiles;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.HttpEvents;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.ResponseSchemas;
import com.orderexport.testing.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The Jobs API handler against the emulator's DynamoDB and S3, route by route, as clients call it. */
@ExtendWith(EmulatorExtension.class)
class JobsApiIT {

    static final String SEED_FILTER = "gt(created_at,2018-09-01):lt(created_at,2018-10-01):eq(payment,refunded)";
    static final String SEED_BODY = "{\"data\":{\"filter\":\"" + SEED_FILTER + "\",\"job_type\":\"order_export\"}}";

    static TestStack stack;
    static JobsApiHandler handler;
    static JobStore jobStore;
    static Settings settings;
    final ObjectMapper mapper = new ObjectMapper();
    final StoreId store = TestStack.newStore();

    @BeforeAll
    static void startStack(TestStack testStack) {
        stack = testStack;
        settings = stack.settingsOf("JobsApiFunction");
        jobStore = new JobStore(stack.dynamo(), settings.jobsTable());
        handler = new JobsApiHandler(settings);
    }

    // ---- create

    @Test
    void create_acceptsTheSeedRequestAndAnswersAPendingJobInTheSeedShape() throws IOException {
        JsonNode body = call(202, request("POST", "/v2/jobs").store(store).body(SEED_BODY));

        JsonNode job = body.path("data");
        assertThat(job.path("type").asText()).isEqualTo("job");
        assertThat(job.path("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(job.path("job_type").asText()).isEqualTo("order_export");
        assertThat(job.path("status").asText()).isEqualTo("pending");
        assertThat(job.path("link").path("href").asText()).isEmpty();
        assertThat(job.path("links").path("self").asText())
                .isEqualTo("https://" + HttpEvents.DOMAIN + "/v2/jobs/" + job.path("id").asText());
        assertThat(Instant.parse(job.path("timestamps").path("created_at").asText()))
                .isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
        assertThat(job.path("timestamps").path("updated_at").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(job.has("error")).isFalse();
        ResponseSchemas.assertJobBody(body);
    }

    @Test
    void create_storesThePendingJobWithATtlOfExactlySevenDays() throws IOException {
        String id = call(202, request("POST", "/v2/jobs").store(store).body(SEED_BODY)).path("data").path("id").asText();

        Map<String, AttributeValue> item = stack.dynamo().getItem(r -> r.tableName(settings.jobsTable())
                .key(Map.of("store_id", AttributeValue.fromS(store.value()), "job_id", AttributeValue.fromS(id)))).item();
        Instant created = Instant.parse(item.get("created_at").s());
        assertThat(Long.parseLong(item.get("expires_at").n()) - created.getEpochSecond()).isEqualTo(7 * 24 * 3600);
        assertThat(item.get("status").s()).isEqualTo("pending");
        assertThat(item.get("filter").s()).isEqualTo(SEED_FILTER);
    }

    @Test
    void create_acceptsTypeJobAndABase64Body() throws IOException {
        String body = "{\"data\":{\"type\":\"job\",\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\"}}";
        APIGatewayV2HTTPEvent event = request("POST", "/v2/jobs").store(store).build();
        event.setBody(java.util.Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(202);
    }

    @Test
    void create_refusesABodyMarkedBase64ThatIsNot() throws IOException {
        APIGatewayV2HTTPEvent event = request("POST", "/v2/jobs").store(store).body("{not base64!").build();
        event.setIsBase64Encoded(true);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("The request body is not valid JSON");
    }

    static Stream<Arguments> badCreateBodies() {
        return Stream.of(
                Arguments.of("no body", null, "The request body is empty"),
                Arguments.of("not JSON", "{data:", "The request body is not valid JSON"),
                Arguments.of("not an object", "[1,2]", "The request body must be a JSON object"),
                Arguments.of("no data", "{\"job_type\":\"order_export\"}", "The request body must have a data object"),
                Arguments.of("data not an object", "{\"data\":\"x\"}", "The request body must have a data object"),
                Arguments.of("no job_type", "{\"data\":{\"filter\":\"eq(status,complete)\"}}",
                        "data.job_type is required; supported job types: order_export"),
                Arguments.of("unknown job_type", "{\"data\":{\"job_type\":\"product_import\",\"filter\":\"eq(status,complete)\"}}",
                        "Unsupported job_type 'product_import'; supported job types: order_export"),
                Arguments.of("job_type not a string", "{\"data\":{\"job_type\":7,\"filter\":\"eq(status,complete)\"}}",
                        "data.job_type must be a string"),
                Arguments.of("type not job", "{\"data\":{\"type\":\"flow\",\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\"}}",
                        "data.type must be 'job'"),
                Arguments.of("no filter", "{\"data\":{\"job_type\":\"order_export\"}}", "data.filter is required"),
                Arguments.of("blank filter", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"  \"}}", "data.filter must not be blank"),
                Arguments.of("filter not a string", "{\"data\":{\"job_type\":\"order_export\",\"filter\":[1]}}", "data.filter must be a string"),
                Arguments.of("unparsable filter", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete\"}}",
                        "Could not parse the supplied filter"),
                Arguments.of("unknown attribute", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(colour,red)\"}}",
                        "Could not parse the supplied filter"),
                Arguments.of("operator not allowed", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"like(status,compl*)\"}}",
                        "Could not parse the supplied filter"),
                Arguments.of("not a date", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"gt(created_at,yesterday)\"}}",
                        "Could not parse the supplied filter"),
                Arguments.of("more than 10 terms", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\""
                        + String.join(":", java.util.Collections.nCopies(11, "eq(status,complete)")) + "\"}}",
                        "Could not parse the supplied filter"),
                Arguments.of("over 8 KB", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(email,"
                        + "a".repeat(8200) + ")\"}}", "Could not parse the supplied filter"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCreateBodies")
    void create_refusesBadInputWith400AndWritesNothing(String why, String body, String detail) throws IOException {
        JsonNode error = call(400, request("POST", "/v2/jobs").store(store).body(body));

        assertThat(error.path("errors").get(0).path("detail").asText()).startsWith(detail);
        assertThat(error.path("errors").get(0).path("title").asText()).isEqualTo("Bad Request");
        assertThat(jobStore.listNewestFirst(store)).isEmpty();
    }

    @Test
    void create_refusesABadIdempotencyKey() throws IOException {
        JsonNode error = call(400, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "has space")
                .body(SEED_BODY));

        assertThat(detailOf(error)).contains("Idempotency-Key");
        assertThat(jobStore.listNewestFirst(store)).isEmpty();
    }

    // ---- idempotency

    @Test
    void create_withTheSameIdempotencyKeyAndBodyReturnsTheOriginalJob() throws IOException {
        HttpEvents first = request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "order-run-42").body(SEED_BODY);
        String id = call(202, first).path("data").path("id").asText();

        JsonNode again = call(202, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "order-run-42")
                .body(SEED_BODY));

        assertThat(again.path("data").path("id").asText()).isEqualTo(id);
        assertThat(jobStore.listNewestFirst(store)).hasSize(1);
    }

    @Test
    void create_withTheSameIdempotencyKeyAndAnotherBodyIsAConflict() throws IOException {
        call(202, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "k1").body(SEED_BODY));

        JsonNode error = call(409, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "k1")
                .body("{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\"}}"));

        assertThat(detailOf(error)).isEqualTo(
                "Idempotency-Key 'k1' was already used with a different request body; use a new key for a new job");
        assertThat(jobStore.listNewestFirst(store)).hasSize(1);
    }

    @Test
    void create_idempotencyKeysAreScopedPerStore() throws IOException {
        StoreId other = TestStack.newStore();
        String mine = call(202, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "shared")
                .body(SEED_BODY)).path("data").path("id").asText();

        String theirs = call(202, request("POST", "/v2/jobs").store(other).header("Idempotency-Key", "shared")
                .body(SEED_BODY)).path("data").path("id").asText();

        assertThat(theirs).isNotEqualTo(mine);
    }

    // ---- get

    @Test
    void get_returnsTheJob() throws IOException {
        String id = createJob(store);

        JsonNode body = call(200, request("GET", "/v2/jobs/" + id).store(store));

        assertThat(body.path("data").path("id").asText()).isEqualTo(id);
        assertThat(body.path("data").path("meta").path("filter").asText()).isEqualTo(SEED_FILTER);
        ResponseSchemas.assertJobBody(body);
    }

    @Test
    void get_answers404ForAnUnknownOrMalformedId() throws IOException {
        call(404, request("GET", "/v2/jobs/0190f6b4-6d4e-7c1a-9c2e-3b5a1f2e4d6c").store(store));
        JsonNode error = call(404, request("GET", "/v2/jobs/not-a-uuid").store(store));

        assertThat(detailOf(error)).isEqualTo("No job with id not-a-uuid");
    }

    @Test
    void get_answers404ForAnExpiredJobThatDynamoDbHasNotDeletedYet() throws IOException {
        Job expired = expiredJob(store);

        call(404, request("GET", "/v2/jobs/" + expired.id()).store(store));
        JsonNode list = call(200, request("GET", "/v2/jobs").store(store));

        assertThat(list.path("data")).isEmpty();
        assertThat(list.path("meta").path("results").path("total").asInt()).isZero();
    }

    // ---- tenancy

    @Test
    void tenancy_anotherStoreCannotSeeListOrLinkAJob() throws IOException {
        StoreId other = TestStack.newStore();
        String id = createJob(store);
        completeWithFile(store, id);

        call(404, request("GET", "/v2/jobs/" + id).store(other));
        call(404, request("GET", "/v2/jobs/" + id + "/file").store(other));
        JsonNode theirList = call(200, request("GET", "/v2/jobs").store(other));

        assertThat(theirList.path("data")).isEmpty();
        call(200, request("GET", "/v2/jobs/" + id + "/file").store(store));
    }

    @Test
    void auth_refusesARequestWithoutTheStoreClaimWith401() throws IOException {
        JsonNode error = call(401, request("GET", "/v2/jobs"));

        assertThat(error.path("errors").get(0).path("title").asText()).isEqualTo("Unauthorized");
        assertThat(detailOf(error)).isEqualTo("The access token has no store_id claim");
    }

    @Test
    void auth_refusesAStoreClaimThatCannotBeAStoreId() throws IOException {
        call(401, request("GET", "/v2/jobs").claim("store_id", "../other-store"));
        call(401, request("GET", "/v2/jobs").claim("store_id", "a".repeat(65)));
        call(401, request("POST", "/v2/jobs").claim("store_id", "store#idempotency").body(SEED_BODY));
    }

    @Test
    void auth_ignoresStoreHeadersAClientCanSet() throws IOException {
        StoreId other = TestStack.newStore();
        String id = createJob(other);

        call(404, request("GET", "/v2/jobs/" + id).store(store).header("X-Moltin-Store-Id", other.value())
                .header("store_id", other.value()));
    }

    // ---- list

    @Test
    void list_returnsLiveJobsNewestFirstWithElasticPathPagination() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(createJob(store));
        }

        JsonNode body = call(200, request("GET", "/v2/jobs").store(store));

        assertThat(body.path("data").findValuesAsText("id")).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(body.path("meta").path("page").path("limit").asInt()).isEqualTo(25);
        assertThat(body.path("meta").path("page").path("offset").asInt()).isZero();
        assertThat(body.path("meta").path("page").path("current").asInt()).isEqualTo(1);
        assertThat(body.path("meta").path("page").path("total").asInt()).isEqualTo(1);
        assertThat(body.path("meta").path("results").path("total").asInt()).isEqualTo(3);
        String base = "https://" + HttpEvents.DOMAIN + "/v2/jobs?page[offset]=0&page[limit]=25";
        assertThat(body.path("links").path("current").asText()).isEqualTo(base);
        assertThat(body.path("links").path("first").asText()).isEqualTo(base);
        assertThat(body.path("links").path("last").asText()).isEqualTo(base);
        assertThat(body.path("links").path("next").isNull()).isTrue();
        assertThat(body.path("links").path("prev").isNull()).isTrue();
        ResponseSchemas.assertJobListBody(body);
    }

    @Test
    void list_pagesWithLimitAndOffset() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(createJob(store));
        }

        JsonNode body = call(200, request("GET", "/v2/jobs").store(store).query("page[limit]", "2").query("page[offset]", "2"));

        assertThat(body.path("data").findValuesAsText("id")).containsExactly(ids.get(2), ids.get(1));
        assertThat(body.path("meta").path("page").path("current").asInt()).isEqualTo(2);
        assertThat(body.path("meta").path("page").path("total").asInt()).isEqualTo(3);
        String base = "https://" + HttpEvents.DOMAIN + "/v2/jobs";
        assertThat(body.path("links").path("next").asText()).isEqualTo(base + "?page[offset]=4&page[limit]=2");
        assertThat(body.path("links").path("prev").asText()).isEqualTo(base + "?page[offset]=0&page[limit]=2");
        assertThat(body.path("links").path("last").asText()).isEqualTo(base + "?page[offset]=4&page[limit]=2");
    }

    @Test
    void list_pastTheEndIsAnEmptyPageNotAnError() throws IOException {
        createJob(store);

        JsonNode body = call(200, request("GET", "/v2/jobs").store(store).query("page[offset]", "50"));

        assertThat(body.path("data")).isEmpty();
        assertThat(body.path("meta").path("results").path("total").asInt()).isEqualTo(1);
        assertThat(body.path("links").path("next").isNull()).isTrue();
    }

    @Test
    void list_acceptsLimit100AndRefuses101() throws IOException {
        call(200, request("GET", "/v2/jobs").store(store).query("page[limit]", "100"));
        JsonNode error = call(400, request("GET", "/v2/jobs").store(store).query("page[limit]", "101"));

        assertThat(detailOf(error)).isEqualTo("page[limit] must be between 1 and 100");
    }

    @ParameterizedTest
    @MethodSource("badPageParameters")
    void list_refusesPageParametersThatAreNotNonNegativeIntegers(String name, String value) throws IOException {
        JsonNode error = call(400, request("GET", "/v2/jobs").store(store).query(name, value));

        assertThat(detailOf(error)).contains(name);
    }

    static Stream<Arguments> badPageParameters() {
        return Stream.of(Arguments.of("page[limit]", "-1"), Arguments.of("page[limit]", "ten"),
                Arguments.of("page[limit]", "0"), Arguments.of("page[offset]", "-5"),
                Arguments.of("page[offset]", "1.5"), Arguments.of("page[offset]", "99999999999"));
    }

    // ---- file

    @Test
    void file_ofAPendingJobIs404SayingWhy() throws IOException {
        String id = createJob(store);

        JsonNode error = call(404, request("GET", "/v2/jobs/" + id + "/file").store(store));

        assertThat(detailOf(error)).isEqualTo("Job " + id + " is still pending; its file is not ready yet");
    }

    @Test
    void file_ofACompleteJobIsAPresignedLinkThatDownloadsTheFile() throws Exception {
        String id = createJob(store);
        completeWithFile(store, id);

        JsonNode body = call(200, request("GET", "/v2/jobs/" + id + "/file").store(store));
        JsonNode job = call(200, request("GET", "/v2/jobs/" + id).store(store)).path("data");

        String href = body.path("data").path("href").asText();
        assertThat(href).contains("X-Amz-Signature=").contains("X-Amz-Expires=3600");
        assertThat(download(href)).isEqualTo("id\r\nord-1\r\n");
        assertThat(job.path("link").path("href").asText()).contains("X-Amz-Signature=");
        assertThat(download(job.path("link").path("href").asText())).isEqualTo("id\r\nord-1\r\n");
        ResponseSchemas.assertFileLinkBody(body);
    }

    @Test
    void file_linkNeverOutlivesTheJob() {
        Instant created = Instant.now().minus(Job.LIFETIME).plus(Duration.ofMinutes(10));
        Job job = JobBuilder.pending(store, "eq(status,complete)").id("0190f6b4-6d4e-7c1a-9c2e-3b5a1f2e4d6c")
                .status(JobStatus.COMPLETE).createdAt(created).updatedAt(created).fileKey("exports/x.csv")
                .rowCount(1).rowsExported(1).fileSize(1).crc64nvme("00").build();
        S3Presigner presigner = S3Presigner.builder().serviceConfiguration(
                software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        JobService service = new JobService(jobStore, new LinkSigner(presigner, settings.exportBucket()),
                Duration.ofHours(1), Clock.systemUTC());

        String href = service.fileLink(job).orElseThrow();

        int expires = Integer.parseInt(href.replaceAll(".*X-Amz-Expires=(\\d+).*", "$1"));
        assertThat(expires).isBetween(500, 600);
    }

    // ---- routing and errors

    @Test
    void routing_unknownPathIs404AndWrongMethodIs405() throws IOException {
        JsonNode notFound = call(404, request("GET", "/v2/orders").store(store));
        APIGatewayV2HTTPResponse wrongMethod = handler.handleRequest(request("DELETE", "/v2/jobs").store(store).build(), null);

        assertThat(detailOf(notFound)).isEqualTo("No route matches GET /v2/orders");
        assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
        assertThat(wrongMethod.getHeaders()).containsEntry("Allow", "POST, GET");
        ResponseSchemas.assertErrorBody(mapper.readTree(wrongMethod.getBody()));
    }

    @Test
    void errors_carryTheRequestIdAndJsonContentType() throws IOException {
        APIGatewayV2HTTPEvent event = request("GET", "/v2/jobs/nope").store(store).build();

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        JsonNode error = mapper.readTree(response.getBody()).path("errors").get(0);
        assertThat(error.path("status").asInt()).isEqualTo(404);
        assertThat(error.path("request_id").asText()).isEqualTo(event.getRequestContext().getRequestId());
        ResponseSchemas.assertErrorBody(mapper.readTree(response.getBody()));
    }

    @Test
    void errors_anInternalFailureIs500WithoutInternalsAndWithTheRequestId() throws IOException {
        JobsApiHandler broken = new JobsApiHandler(new JobService(new JobStore(stack.dynamo(), "no-such-table"),
                new LinkSigner(S3Presigner.create(), "b"), Duration.ofHours(1), Clock.systemUTC()), settings);
        APIGatewayV2HTTPEvent event = request("GET", "/v2/jobs").store(store).build();

        APIGatewayV2HTTPResponse response = broken.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        JsonNode error = mapper.readTree(response.getBody()).path("errors").get(0);
        assertThat(error.path("request_id").asText()).isEqualTo(event.getRequestContext().getRequestId());
        assertThat(response.getBody()).doesNotContain("no-such-table").doesNotContain("Exception");
        ResponseSchemas.assertErrorBody(mapper.readTree(response.getBody()));
    }

    @Test
    void errors_anUnreachableDatabaseIs503WithRetryAfter_soonEnoughForAClientToRetry() throws IOException {
        int nothingListens = com.orderexport.stack.AwsEmulator.freePort();
        DynamoDbClient unreachable = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + nothingListens))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofMillis(500)))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(6))).build();
        JobsApiHandler cutOff = new JobsApiHandler(new JobService(new JobStore(unreachable, settings.jobsTable()),
                new LinkSigner(S3Presigner.create(), "b"), Duration.ofHours(1), Clock.systemUTC()), settings);
        APIGatewayV2HTTPEvent event = request("POST", "/v2/jobs").store(store).body(SEED_BODY).build();
        long started = System.nanoTime();

        APIGatewayV2HTTPResponse response = cutOff.handleRequest(event, null);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "5");
        JsonNode error = mapper.readTree(response.getBody()).path("errors").get(0);
        assertThat(error.path("title").asText()).isEqualTo("Service Unavailable");
        assertThat(error.path("request_id").asText()).isEqualTo(event.getRequestContext().getRequestId());
        ResponseSchemas.assertErrorBody(mapper.readTree(response.getBody()));
        assertThat(jobStore.listNewestFirst(store)).isEmpty();
    }

    @Test
    void links_usePublicBaseUrlWhenSet() throws IOException {
        Settings withBase = Settings.from(Map.of(Settings.JOBS_TABLE, settings.jobsTable(),
                Settings.EXPORT_BUCKET, settings.exportBucket(), Settings.PUBLIC_BASE_URL, "https://api.example.com/"));
        JobsApiHandler withPublicUrl = new JobsApiHandler(withBase);

        APIGatewayV2HTTPResponse response = withPublicUrl.handleRequest(
                request("POST", "/v2/jobs").store(store).body(SEED_BODY).build(), null);

        JsonNode job = mapper.readTree(response.getBody()).path("data");
        assertThat(job.path("links").path("self").asText()).isEqualTo("https://api.example.com/v2/jobs/" + job.path("id").asText());
    }

    // ---- helpers

    private JsonNode call(int expectedStatus, HttpEvents event) throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event.build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(expectedStatus);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        JsonNode body = mapper.readTree(response.getBody());
        if (expectedStatus >= 400) {
            ResponseSchemas.assertErrorBody(body);
            assertThat(body.path("errors").get(0).path("status").asInt()).isEqualTo(expectedStatus);
        }
        return body;
    }

    private String createJob(StoreId storeId) throws IOException {
        return call(202, request("POST", "/v2/jobs").store(storeId).body(SEED_BODY)).path("data").path("id").asText();
    }

    private static String detailOf(JsonNode error) {
        return error.path("errors").get(0).path("detail").asText();
    }

    private Job expiredJob(StoreId storeId) {
        Instant created = Instant.now().minus(Job.LIFETIME).minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
        return JobBuilder.pending(storeId, SEED_FILTER).createdAt(created).createIn(jobStore);
    }

    /** Puts a file where the export would and marks the job complete, as the export function will. */
    private void completeWithFile(StoreId storeId, String id) {
        String key = ExportFiles.objectKey(storeId, id);
        stack.s3().putObject(r -> r.bucket(settings.exportBucket()).key(key).contentType(ExportFiles.CONTENT_TYPE),
                RequestBody.fromString("id\r\nord-1\r\n"));
        Job job = jobStore.find(storeId, id).orElseThrow();
        jobStore.replace(JobBuilder.from(job).status(JobStatus.COMPLETE).updatedAt(Instant.now()).fileKey(key)
                .rowCount(1).rowsExported(1).fileSize(12).crc64nvme("ab").build());
    }

    private static String download(String href) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(href)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration duration) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(duration.toSeconds(), ChronoUnit.SECONDS);
    }

}
