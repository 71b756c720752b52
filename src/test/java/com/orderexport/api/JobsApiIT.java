package com.orderexport.api;

import static com.orderexport.testing.HttpEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.Settings;
import com.orderexport.exporter.ExportFiles;
import com.orderexport.formats.ExportFormats;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.LeaseLostException;
import com.orderexport.local.StreamFeeder;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
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
    void create_answersTheExpiryThatEveryReadAnswers() throws IOException {
        JsonNode created = call(202, request("POST", "/v2/jobs").store(store).body(SEED_BODY)).path("data");

        JsonNode read = call(200, request("GET", "/v2/jobs/" + created.path("id").asText()).store(store)).path("data");

        assertThat(created.path("meta").path("expires_at").asText())
                .isEqualTo(read.path("meta").path("expires_at").asText())
                .doesNotContain(".");
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
                Arguments.of("unknown format", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"format\":\"xml\"}}", "Unsupported format 'xml'; supported formats: csv, jsonl"),
                Arguments.of("format not a string", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"format\":[\"csv\"]}}", "data.format must be a string when given"),
                Arguments.of("unknown compression", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"compression\":\"zip\"}}", "Unsupported compression 'zip'; supported compressions: none, gzip"),
                Arguments.of("unknown column", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"columns\":[\"id\",\"colour\"]}}", "Unknown column 'colour' in data.columns"),
                Arguments.of("columns not a list", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"columns\":\"id,status\"}}", "data.columns must be a list of strings when given"),
                Arguments.of("columns holding a number", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"columns\":[\"id\",7]}}", "data.columns must be a list of strings when given"),
                Arguments.of("columns of a JSON Lines job", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"format\":\"jsonl\",\"columns\":[\"id\"]}}", "data.columns applies to the csv format only"),
                Arguments.of("unknown timezone", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"timezone\":\"Europe/Atlantis\"}}", "Unknown timezone 'Europe/Atlantis'"),
                Arguments.of("unknown rows", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"rows\":\"line\"}}", "Unsupported rows 'line'"),
                Arguments.of("item rows of a JSON Lines job", "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,complete)\","
                        + "\"format\":\"jsonl\",\"rows\":\"item\"}}", "data.rows applies to the csv format only"),
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
    void create_refusesAFilterThatIsNotValidUnicodeWith400AndWritesNothing() throws IOException {
        // A JSON escape is the one way a lone surrogate reaches the handler; it has no UTF-8 form to store.
        String body = "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"eq(status,paid):eq(name,\\ud800x)\"}}";

        JsonNode error = call(400, request("POST", "/v2/jobs").store(store).body(body));

        assertThat(detailOf(error)).isEqualTo("Could not parse the supplied filter: term 2 'eq(name,\ufffdx)' is not "
                + "valid Unicode: character 9 is an unpaired surrogate (U+D800)");
        assertThat(jobStore.listNewestFirst(store)).isEmpty();
    }

    @Test
    void create_refusesABadIdempotencyKey() throws IOException {
        JsonNode error = call(400, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "has space")
                .body(SEED_BODY));

        assertThat(detailOf(error)).contains("Idempotency-Key");
        assertThat(jobStore.listNewestFirst(store)).isEmpty();
    }

    @Test
    void create_withoutAFormat_isTheCsvJob_andSaysSoInMeta() throws IOException {
        JsonNode job = call(202, request("POST", "/v2/jobs").store(store).body(SEED_BODY)).path("data");

        assertThat(job.path("meta").path("format").asText()).isEqualTo("csv");
        assertThat(job.path("meta").path("compression").asText()).isEqualTo("none");
        assertThat(job.path("meta").path("timezone").asText()).isEqualTo("UTC");
        assertThat(job.path("meta").has("columns")).isFalse();
    }

    @Test
    void create_withColumnsAndATimezone_keepsThemAndEchoesThem() throws IOException {
        String body = "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"" + SEED_FILTER
                + "\",\"columns\":[\"created_at\",\"id\"],\"timezone\":\"America/New_York\"}}";
        JsonNode created = call(202, request("POST", "/v2/jobs").store(store).body(body)).path("data");

        JsonNode read = call(200, request("GET", "/v2/jobs/" + created.path("id").asText()).store(store)).path("data");

        assertThat(read.path("meta").path("columns").toString()).isEqualTo("[\"created_at\",\"id\"]");
        assertThat(read.path("meta").path("timezone").asText()).isEqualTo("America/New_York");
    }

    @Test
    void create_withAFormat_keepsItAndEchoesItOnEveryRead() throws IOException {
        String body = "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"" + SEED_FILTER + "\",\"format\":\"jsonl\"}}";
        JsonNode created = call(202, request("POST", "/v2/jobs").store(store).body(body)).path("data");

        JsonNode read = call(200, request("GET", "/v2/jobs/" + created.path("id").asText()).store(store)).path("data");

        assertThat(created.path("meta").path("format").asText()).isEqualTo("jsonl");
        assertThat(read.path("meta").path("format").asText()).isEqualTo("jsonl");
        assertThat(jobStore.find(store, created.path("id").asText()).orElseThrow().options().format()).isEqualTo("jsonl");
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
    void create_withTheSameIdempotencyKeyAndAnotherFormatIsAConflict() throws IOException {
        call(202, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "k2").body(SEED_BODY));

        call(409, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "k2").body(
                "{\"data\":{\"job_type\":\"order_export\",\"filter\":\"" + SEED_FILTER + "\",\"format\":\"jsonl\"}}"));

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

    // ---- admission: at most N unfinished jobs per store

    @Test
    void create_beyondTheStoresLimitIs429WithRetryAfterAndWritesNothing() throws IOException {
        int limit = settings.maxUnfinishedJobsPerStore();
        for (int i = 0; i < limit; i++) {
            createJob(store);
        }

        APIGatewayV2HTTPResponse refused = handler.handleRequest(request("POST", "/v2/jobs").store(store)
                .header("Idempotency-Key", "one-too-many").body(SEED_BODY).build(), null);

        assertThat(refused.getStatusCode()).isEqualTo(429);
        assertThat(refused.getHeaders()).containsEntry("Retry-After", "30")
                .containsEntry("Content-Type", "application/json");
        JsonNode error = mapper.readTree(refused.getBody());
        ResponseSchemas.assertErrorBody(error);
        assertThat(error.path("errors").get(0).path("status").asInt()).isEqualTo(429);
        assertThat(error.path("errors").get(0).path("title").asText()).isEqualTo("Too Many Requests");
        assertThat(detailOf(error)).isEqualTo("This store already has " + limit + " unfinished (pending or"
                + " processing) jobs, the most it may have at once; retry once one of them has completed");
        assertThat(jobStore.listNewestFirst(store)).hasSize(limit);
        assertThat(jobStore.findIdempotencyRecord(store, "one-too-many")).isEmpty();
        assertThat(jobStore.unfinishedJobs(store)).hasSize(limit);
        JsonNode list = call(200, request("GET", "/v2/jobs").store(store).query("page[limit]", "100"));
        assertThat(list.path("meta").path("results").path("total").asInt()).as("the count is no job").isEqualTo(limit);
    }

    @Test
    void create_limitIsPerStore() throws IOException {
        for (int i = 0; i < settings.maxUnfinishedJobsPerStore(); i++) {
            createJob(store);
        }

        call(202, request("POST", "/v2/jobs").store(TestStack.newStore()).body(SEED_BODY));
        call(429, request("POST", "/v2/jobs").store(store).body(SEED_BODY));
    }

    @RepeatedTest(3)
    void create_thirtyAtOnceForOneStoreAcceptExactlyTheLimit() throws Exception {
        // Every fourth transaction meets a conflict, as creates racing for one store's admission item do.
        JobsApiHandler contended = handlerOn(InjectedConflicts.client(4));

        List<APIGatewayV2HTTPResponse> responses = all(30, i -> contended.handleRequest(
                request("POST", "/v2/jobs").store(store).body(SEED_BODY).build(), null));

        assertThat(responses).extracting(APIGatewayV2HTTPResponse::getStatusCode).containsOnly(202, 429);
        List<String> accepted = responses.stream().filter(r -> r.getStatusCode() == 202).map(this::idOf).toList();
        assertThat(accepted).hasSize(10);
        assertThat(jobStore.listNewestFirst(store)).extracting(Job::id).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(jobStore.unfinishedJobs(store)).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void create_replayOfAnAcceptedRequestIsNeverRefusedByTheLimit() throws IOException {
        String id = call(202, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "first")
                .body(SEED_BODY)).path("data").path("id").asText();
        for (int i = 1; i < settings.maxUnfinishedJobsPerStore(); i++) {
            createJob(store);
        }

        JsonNode replay = call(202, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "first")
                .body(SEED_BODY));
        call(429, request("POST", "/v2/jobs").store(store).header("Idempotency-Key", "second").body(SEED_BODY));

        assertThat(replay.path("data").path("id").asText()).isEqualTo(id);
        assertThat(jobStore.unfinishedJobs(store)).hasSize(settings.maxUnfinishedJobsPerStore());
    }

    @Test
    void create_isAdmittedAgainOnceAJobCompletesOrFails() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < settings.maxUnfinishedJobsPerStore(); i++) {
            ids.add(createJob(store));
        }
        call(429, request("POST", "/v2/jobs").store(store).body(SEED_BODY));
        ExportLeases leases = new ExportLeases(stack.dynamo(), settings.jobsTable());

        ExportClaim completed = leases.claim(store, ids.get(0), Instant.now(), Duration.ofMinutes(1)).claim().orElseThrow();
        leases.complete(completed, ExportFiles.objectKey(store, ids.get(0), ExportFormats.CSV), 1, 10, "AAAAAAAAAAA=", Instant.now());
        String admitted = createJob(store);
        ExportClaim failed = leases.claim(store, ids.get(1), Instant.now(), Duration.ofMinutes(1)).claim().orElseThrow();
        leases.fail(failed, "No results matched the supplied filter", Instant.now());
        createJob(store);

        assertThat(jobStore.unfinishedJobs(store)).hasSize(settings.maxUnfinishedJobsPerStore()).contains(admitted)
                .doesNotContain(ids.get(0), ids.get(1));
        call(429, request("POST", "/v2/jobs").store(store).body(SEED_BODY));
    }

    @Test
    void decision_byARunThatLostItsLeaseGivesNoPlaceBack() throws IOException {
        String id = createJob(store);
        ExportLeases leases = new ExportLeases(stack.dynamo(), settings.jobsTable());
        ExportClaim stale = leases.claim(store, id, Instant.now(), Duration.ofMillis(1)).claim().orElseThrow();
        ExportClaim current = leases.claim(store, id, Instant.now().plusSeconds(1), Duration.ofSeconds(59))
                .claim().orElseThrow();

        assertThatThrownBy(() -> leases.fail(stale, "late", Instant.now())).isInstanceOf(LeaseLostException.class);
        assertThat(jobStore.unfinishedJobs(store)).containsExactly(id);
        leases.complete(current, ExportFiles.objectKey(store, id, ExportFormats.CSV), 1, 10, "AAAAAAAAAAA=", Instant.now());
        assertThat(jobStore.unfinishedJobs(store)).isEmpty();
        assertThatThrownBy(() -> leases.fail(current, "twice", Instant.now())).isInstanceOf(LeaseLostException.class);
        assertThat(jobStore.unfinishedJobs(store)).isEmpty();
    }

    @Test
    void decision_ofAJobCreatedOutsideAdmissionLeavesTheCountAlone() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job job = Job.pending(store, com.orderexport.jobs.JobIds.next(now.toEpochMilli()).toString(), SEED_FILTER, now);
        jobStore.create(job);
        ExportLeases leases = new ExportLeases(stack.dynamo(), settings.jobsTable());

        leases.fail(leases.claim(store, job.id(), now, Duration.ofSeconds(60)).claim().orElseThrow(), "no", Instant.now());

        assertThat(jobStore.unfinishedJobs(store)).isEmpty();
    }

    @Test
    void admissionCount_neverReachesTheExportsStreamFilter() throws IOException {
        StreamFeeder feeder = new StreamFeeder(stack.resources(), stack.dynamo(), "OrderExportFunction");
        feeder.poll();
        String id = createJob(store);

        List<String> passed = feeder.poll().stream().flatMap(b -> b.getRecords().stream())
                .map(r -> r.getDynamodb().getKeys().get("store_id").getS() + "/" + r.getDynamodb().getKeys().get("job_id").getS())
                .toList();

        assertThat(passed).contains(store.value() + "/" + id).noneMatch(key -> key.contains("#"));
        assertThat(jobStore.unfinishedJobs(store)).hasSize(1);
    }

    @Test
    void create_sameKeyAndBodyFromTwentyAtOnceAlwaysGiveOneJob() throws Exception {
        // Every third transaction is cancelled as if another were in flight on its items, as DynamoDB does.
        JobsApiHandler contended = handlerOn(InjectedConflicts.client(3));
        for (int round = 0; round < 10; round++) {
            StoreId roundStore = TestStack.newStore();
            String key = "same-" + round;

            List<APIGatewayV2HTTPResponse> responses = all(20, i -> contended.handleRequest(
                    request("POST", "/v2/jobs").store(roundStore).header("Idempotency-Key", key).body(SEED_BODY)
                            .build(), null));

            assertThat(responses).extracting(APIGatewayV2HTTPResponse::getStatusCode).as("round %d", round)
                    .containsOnly(202);
            assertThat(responses.stream().map(r -> idOf(r)).distinct()).as("round %d", round).hasSize(1);
            assertThat(jobStore.listNewestFirst(roundStore)).extracting(Job::id).containsExactly(idOf(responses.get(0)));
            assertThat(jobStore.unfinishedJobs(roundStore)).containsExactly(idOf(responses.get(0)));
        }
    }

    @Test
    void create_cancelledByAConflictingTransactionIsRetriedNotRefused() throws IOException {
        JobsApiHandler contended = handlerOn(InjectedConflicts.client(1, 3));

        APIGatewayV2HTTPResponse response = contended.handleRequest(
                request("POST", "/v2/jobs").store(store).body(SEED_BODY).build(), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
        assertThat(jobStore.listNewestFirst(store)).hasSize(1);
        assertThat(jobStore.unfinishedJobs(store)).hasSize(1);
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
    void list_filteredByStatus_listsOnlyThoseJobs_andEveryLinkKeepsTheFilter() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(call(202, request("POST", "/v2/jobs").store(store).body(SEED_BODY)).path("data").path("id").asText());
        }
        Job done = jobStore.find(store, ids.get(1)).orElseThrow();
        jobStore.replace(JobBuilder.from(done).status(JobStatus.COMPLETE).updatedAt(Instant.now()).build());

        JsonNode complete = call(200, request("GET", "/v2/jobs").store(store).query("filter", "eq(status,complete)"));
        JsonNode pending = call(200, request("GET", "/v2/jobs").store(store)
                .query("filter", "in(status,pending,processing):eq(job_type,order_export)").query("page[limit]", "1"));
        JsonNode none = call(200, request("GET", "/v2/jobs").store(store).query("filter", "eq(status,failed)"));

        assertThat(complete.path("data").findValuesAsText("id")).containsExactly(ids.get(1));
        assertThat(complete.path("meta").path("results").path("total").asInt()).isEqualTo(1);
        assertThat(pending.path("meta").path("results").path("total").asInt()).isEqualTo(2);
        assertThat(pending.path("data").findValuesAsText("id")).containsExactly(ids.get(2));
        assertThat(pending.path("links").path("next").asText())
                .endsWith("&filter=in%28status%2Cpending%2Cprocessing%29%3Aeq%28job_type%2Corder_export%29");
        assertThat(none.path("data")).isEmpty();
    }

    static Stream<Arguments> badListFilters() {
        return Stream.of(
                Arguments.of("eq(colour,red)", "Could not parse the supplied filter: jobs can be filtered on status, job_type and schedule_id, not 'colour' (term 1)"),
                Arguments.of("like(status,pend*)", "Could not parse the supplied filter: operator 'like' is not allowed for 'status' (allowed: eq, in) in term 1"),
                Arguments.of("eq(status)", "Could not parse the supplied filter: term 1 'eq(status)' needs one value"),
                Arguments.of("eq(status,pending):status", "Could not parse the supplied filter: term 2 'status' is not op(attribute,value)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badListFilters")
    void list_refusesAnyOtherFilterWithTheParseError(String filter, String detail) throws IOException {
        JsonNode error = call(400, request("GET", "/v2/jobs").store(store).query("filter", filter));

        assertThat(detailOf(error)).isEqualTo(detail);
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

    // ---- cancel

    @Test
    void cancel_ofAPendingJobCancelsItAtOnceAndGivesItsPlaceBack() throws IOException {
        String id = createJob(store);

        JsonNode cancelled = call(200, request("POST", "/v2/jobs/" + id + "/cancel").store(store));

        assertThat(cancelled.path("data").path("id").asText()).isEqualTo(id);
        assertThat(cancelled.path("data").path("status").asText()).isEqualTo("cancelled");
        assertThat(call(200, request("GET", "/v2/jobs/" + id).store(store)).path("data").path("status").asText())
                .isEqualTo("cancelled");
        assertThat(jobStore.unfinishedJobs(store)).doesNotContain(id);
        assertThat(detailOf(call(404, request("GET", "/v2/jobs/" + id + "/file").store(store))))
                .isEqualTo("Job " + id + " was cancelled and has no file");
    }

    @Test
    void cancel_ofAProcessingJobMarksItCancellingAndKeepsItsPlaceUntilItsRunHasStopped() throws IOException {
        String id = createJob(store);
        claim(id);

        JsonNode cancelling = call(200, request("POST", "/v2/jobs/" + id + "/cancel").store(store));

        assertThat(cancelling.path("data").path("status").asText()).isEqualTo("cancelling");
        assertThat(jobStore.unfinishedJobs(store)).contains(id);
        assertThat(detailOf(call(404, request("GET", "/v2/jobs/" + id + "/file").store(store))))
                .isEqualTo("Job " + id + " is being cancelled and will have no file");
    }

    @Test
    void cancel_isIdempotent_aSecondCancelAnswersTheSameJob() throws IOException {
        String id = createJob(store);
        JsonNode first = call(200, request("POST", "/v2/jobs/" + id + "/cancel").store(store));

        JsonNode second = call(200, request("POST", "/v2/jobs/" + id + "/cancel").store(store));

        assertThat(second.path("data")).isEqualTo(first.path("data"));
    }

    @Test
    void cancel_ofACompleteJobIs409SayingWhy_andChangesNothing() throws IOException {
        String id = createJob(store);
        ExportClaim claim = claim(id);
        new ExportLeases(stack.dynamo(), settings.jobsTable()).complete(claim, ExportFiles.objectKey(store, id, ExportFormats.CSV), 1, 10, "AAAAAAAAAAA=", Instant.now());

        JsonNode error = call(409, request("POST", "/v2/jobs/" + id + "/cancel").store(store));

        Job job = jobStore.find(store, id).orElseThrow();
        assertThat(detailOf(error)).isEqualTo("Job " + id + " is complete and cannot be cancelled; it expires on its own at "
                + job.expiresAt());
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETE);
    }

    /** Claims the job as an export run does: it is processing from now on. */
    private ExportClaim claim(String id) {
        return new ExportLeases(stack.dynamo(), settings.jobsTable()).claim(store, id, Instant.now(), Duration.ofMinutes(1))
                .claim().orElseThrow();
    }

    @Test
    void cancel_ofAnUnknownOrAnotherStoresJobIs404() throws IOException {
        String id = createJob(store);

        call(404, request("POST", "/v2/jobs/" + id + "/cancel").store(TestStack.newStore()));
        call(404, request("POST", "/v2/jobs/0190f6b4-6d4e-7c1a-9c2e-000000000000/cancel").store(store));
        call(404, request("POST", "/v2/jobs/not-a-job-id/cancel").store(store));
        assertThat(jobStore.find(store, id).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void list_filteredByCancelledStatus_listsTheCancelledJobs() throws IOException {
        String kept = createJob(store);
        String cancelled = createJob(store);
        call(200, request("POST", "/v2/jobs/" + cancelled + "/cancel").store(store));

        JsonNode page = call(200, request("GET", "/v2/jobs").store(store).query("filter", "eq(status,cancelled)"));

        assertThat(page.path("data")).hasSize(1);
        assertThat(page.path("data").get(0).path("id").asText()).isEqualTo(cancelled).isNotEqualTo(kept);
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
                Duration.ofHours(1), Clock.systemUTC(), settings.maxUnfinishedJobsPerStore());

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
                new LinkSigner(S3Presigner.create(), "b"), Duration.ofHours(1), Clock.systemUTC(),
                settings.maxUnfinishedJobsPerStore()), settings);
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
                new LinkSigner(S3Presigner.create(), "b"), Duration.ofHours(1), Clock.systemUTC(), 10), settings);
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

    /** The API as deployed, on a DynamoDB client of the test's choosing. */
    private static JobsApiHandler handlerOn(DynamoDbClient dynamo) {
        S3Presigner presigner = S3Presigner.builder().serviceConfiguration(
                software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        return new JobsApiHandler(new JobService(new JobStore(dynamo, settings.jobsTable()),
                new LinkSigner(presigner, settings.exportBucket()), settings.linkTtl(), Clock.systemUTC(),
                settings.maxUnfinishedJobsPerStore()), settings);
    }

    /** Runs {@code n} calls at once (released together) and returns their answers. */
    private static <T> List<T> all(int n, java.util.function.IntFunction<T> call) throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (java.util.concurrent.Future<T> future : futures) {
                results.add(future.get(2, java.util.concurrent.TimeUnit.MINUTES));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private String idOf(APIGatewayV2HTTPResponse response) {
        try {
            return mapper.readTree(response.getBody()).path("data").path("id").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

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
        String key = ExportFiles.objectKey(storeId, id, ExportFormats.CSV);
        stack.s3().putObject(r -> r.bucket(settings.exportBucket()).key(key).contentType(ExportFormats.CSV.contentType()),
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

    /**
     * Cancels transactions the way DynamoDB does when another transaction is in flight on one of their items
     * (TransactionConflict, here on the store's admission item, the last item), which moto never does: every
     * n-th transaction of the client is cancelled so, without reaching moto.
     */
    static final class InjectedConflicts implements ExecutionInterceptor {

        /** A retry must get through in the end: no thread sees more conflicts in a row than this. */
        private static final int MOST_IN_A_ROW = 3;

        private final AtomicInteger transactions = new AtomicInteger();
        private final AtomicInteger conflictsLeft;
        private final int everyNth;
        private final ThreadLocal<Integer> inARow = ThreadLocal.withInitial(() -> 0);

        private InjectedConflicts(int everyNth, int atMost) {
            this.everyNth = everyNth;
            this.conflictsLeft = new AtomicInteger(atMost);
        }

        /** A client whose every {@code everyNth} transaction is cancelled by a conflict. */
        static DynamoDbClient client(int everyNth) {
            return client(everyNth, Integer.MAX_VALUE);
        }

        /** A client whose every {@code everyNth} transaction is cancelled by a conflict, {@code atMost} times. */
        static DynamoDbClient client(int everyNth, int atMost) {
            return DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(new InjectedConflicts(everyNth, atMost)))
                    .build();
        }

        /** Within the call, so every interceptor's failure hook runs (locks taken before are given back). */
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof TransactWriteItemsRequest transaction && conflictNow()) {
                List<CancellationReason> reasons = new ArrayList<>();
                for (int i = 0; i < transaction.transactItems().size(); i++) {
                    boolean admissionItem = i == transaction.transactItems().size() - 1;
                    reasons.add(CancellationReason.builder().code(admissionItem ? "TransactionConflict" : "None").build());
                }
                // As DynamoDB answers: HTTP 400, error code TransactionCanceledException, a reason per item.
                throw TransactionCanceledException.builder().message("Transaction cancelled (injected conflict)")
                        .statusCode(400).awsErrorDetails(AwsErrorDetails.builder().serviceName("DynamoDb")
                                .errorCode("TransactionCanceledException").errorMessage("injected conflict").build())
                        .cancellationReasons(reasons).build();
            }
        }

        private boolean conflictNow() {
            boolean conflict = inARow.get() < MOST_IN_A_ROW && transactions.incrementAndGet() % everyNth == 0
                    && conflictsLeft.getAndDecrement() > 0;
            inARow.set(conflict ? inARow.get() + 1 : 0);
            return conflict;
        }
    }
}
