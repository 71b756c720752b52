package com.orderexport.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.config.Settings;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.local.ApiDestinations;
import com.orderexport.local.StreamFeeder;
import com.orderexport.observe.Log;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.testing.HttpEvents;
import com.orderexport.testing.HttpReceiver;
import com.orderexport.testing.Orders;
import com.orderexport.testing.TestStack;
import com.orderexport.tools.StoreAdmin;
import com.orderexport.webhooks.WebhookSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import com.orderexport.config.AwsClients;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Schedules on the emulator, through the classes template.yaml names (the API for schedules and cancels, the
 * webhook route for order changes, the export through the stream) and the runner on a clock the test moves: a due
 * time makes one job however often the runner looks, and an incremental series exports each change once, across a
 * cancelled run.
 */
@ExtendWith(EmulatorExtension.class)
class ScheduleRunsIT {

    static TestStack stack;
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> webhook;
    static RequestHandler<DynamodbEvent, StreamsEventResponse> export;
    static WebhookSecrets secrets;
    static JobStore jobs;
    static ExportedFiles files;
    static Duration settle;
    final ObjectMapper mapper = new ObjectMapper();
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    /** One follower of the jobs stream per test: each poll hands the export only what is new since the last. */
    final StreamFeeder feeder = new StreamFeeder(stack.resources(), stack.dynamo(), "OrderExportFunction");

    @BeforeAll
    static void buildTheTemplatesHandlers(TestStack testStack) {
        stack = testStack;
        api = stack.handler("JobsApiFunction", APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class);
        webhook = stack.handler("OrderSyncFunction", APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class);
        export = stack.handler("OrderExportFunction", DynamodbEvent.class, StreamsEventResponse.class);
        secrets = new WebhookSecrets(SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                stack.settingsOf("OrderSyncFunction").webhookSecretsPath(), Clock.systemUTC());
        Settings settings = stack.settingsOf("ScheduleRunnerFunction");
        jobs = new JobStore(stack.dynamo(), settings.jobsTable());
        files = new ExportedFiles(jobs, stack.s3(), settings.exportBucket());
        settle = settings.schedules().settle();
    }

    @Test
    void aDueTime_makesOneJob_howeverOftenAndHoweverManyRunnersLook() throws Exception {
        StoreId store = TestStack.newStore();
        JsonNode schedule = created(store, Map.of("every", "hour", "filter", "eq(status,complete)"));
        Instant due = Instant.parse(schedule.at("/meta/next_due_at").asText());
        now.set(due.plus(settle).plusSeconds(1));

        List<ScheduleRunner.Tick> ticks = List.of(runner().tick(), runner().tick(), runner().tick());

        assertThat(ticks.get(0).created()).isEqualTo(1);
        List<JsonNode> runs = runsOf(store, schedule.path("id").asText());
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).at("/meta/schedule_id").asText()).isEqualTo(schedule.path("id").asText());
        assertThat(runs.get(0).at("/meta/due_at").asText()).isEqualTo(due.toString());
        assertThat(runs.get(0).at("/meta/filter").asText()).isEqualTo("eq(status,complete)");
        assertThat(runs.get(0).at("/meta/window").isMissingNode()).isTrue();
        JsonNode after = get(store, "/v2/job-schedules/" + schedule.path("id").asText());
        assertThat(after.at("/meta/current_run/job_id").asText()).isEqualTo(runs.get(0).path("id").asText());
        assertThat(after.at("/meta/next_due_at").asText()).isEqualTo(due.plus(Duration.ofHours(1)).toString());
    }

    @Test
    void aRunnerThatWokeLate_makesOneRunForTheLatestDueTime() throws Exception {
        StoreId store = TestStack.newStore();
        JsonNode schedule = created(store, Map.of("every", "hour", "incremental", true));
        Instant first = Instant.parse(schedule.at("/meta/next_due_at").asText());
        now.set(first.plus(Duration.ofHours(3)).plus(settle).plusSeconds(1));

        runner().tick();

        List<JsonNode> runs = runsOf(store, schedule.path("id").asText());
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).at("/meta/due_at").asText()).isEqualTo(first.plus(Duration.ofHours(3)).toString());
        assertThat(runs.get(0).at("/meta/window/from").isMissingNode()).isTrue();
        assertThat(runs.get(0).at("/meta/window/to").asText()).isEqualTo(first.plus(Duration.ofHours(3)).toString());
    }

    @Test
    void anIncrementalSeries_exportsEachChangeOnce_acrossACancelledRun() throws Exception {
        StoreId store = TestStack.newStore();
        HourlySeries series = hourlyIncrementalSeries(store);
        String id = series.id();
        Instant d1 = series.firstDue();
        Instant d2 = d1.plus(Duration.ofHours(1));
        Instant d3 = d2.plus(Duration.ofHours(1));
        Instant created = d1.minus(Duration.ofDays(30));

        change(store, "o1", created, d1.minus(Duration.ofMinutes(30)), "unfulfilled");
        change(store, "o-late-for-d1", created, d1.minus(Duration.ofSeconds(5)), "unfulfilled");
        Job run1 = tickAt(d1, store, id);
        exportAll(store);
        assertThat(files.of(jobs.find(store, run1.id()).orElseThrow()).ids())
                .containsExactlyInAnyOrder("o1", "o-late-for-d1");

        change(store, "o1", created, d1.plus(Duration.ofMinutes(20)), "fulfilled");
        change(store, "o2", d1.plus(Duration.ofMinutes(10)), d1.plus(Duration.ofMinutes(10)), "unfulfilled");
        Job run2 = tickAt(d2, store, id);
        APIGatewayV2HTTPResponse cancelled = api.handleRequest(HttpEvents.request("POST",
                "/v2/jobs/" + run2.id() + "/cancel").store(store).build(), null);
        assertThat(cancelled.getStatusCode()).as(cancelled.getBody()).isEqualTo(200);
        exportAll(store);
        assertThat(jobs.find(store, run2.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);

        change(store, "o3", d2.plus(Duration.ofMinutes(10)), d2.plus(Duration.ofMinutes(10)), "unfulfilled");
        change(store, "o-after-d3", d3.plus(Duration.ofSeconds(1)), d3.plus(Duration.ofSeconds(1)), "unfulfilled");
        Job run3 = tickAt(d3, store, id);
        exportAll(store);

        ExportedFile third = files.of(jobs.find(store, run3.id()).orElseThrow());
        // The cancelled run's window stayed open: the third covers it and its own, from d1 to d3.
        assertThat(third.ids()).containsExactly("o2", "o1", "o3");
        assertThat(third.column("shipping")).containsExactly("unfulfilled", "fulfilled", "unfulfilled");
        List<JsonNode> runs = runsOf(store, id);
        assertThat(runs).extracting(run -> run.path("id").asText())
                .containsExactlyInAnyOrder(run1.id(), run2.id(), run3.id());
        JsonNode third3 = runs.stream().filter(run -> run.path("id").asText().equals(run3.id())).findFirst().orElseThrow();
        assertThat(third3.at("/meta/window/from").asText()).isEqualTo(d1.toString());
        assertThat(third3.at("/meta/window/to").asText()).isEqualTo(d3.toString());
        now.set(d3.plus(settle).plusSeconds(30));
        runner().tick();
        assertThat(get(store, "/v2/job-schedules/" + id).at("/meta/exported_up_to").asText()).isEqualTo(d3.toString());
    }

    @Test
    void anIncrementalSeries_acrossAFailedRun_coversTheFailedRunsWindowInTheNext() throws Exception {
        StoreId store = TestStack.newStore();
        HourlySeries series = hourlyIncrementalSeries(store);
        String id = series.id();
        Instant d1 = series.firstDue();
        Instant d2 = d1.plus(Duration.ofHours(1));

        // Nothing changed before the first due time: its run fails, as a job whose filter matches nothing does.
        Job run1 = tickAt(d1, store, id);
        exportAll(store);
        assertThat(jobs.find(store, run1.id()).orElseThrow().status()).isEqualTo(JobStatus.FAILED);

        change(store, "o1", d1.minus(Duration.ofDays(2)), d1.minus(Duration.ofMinutes(1)), "unfulfilled");
        change(store, "o2", d1.plus(Duration.ofMinutes(5)), d1.plus(Duration.ofMinutes(5)), "unfulfilled");
        Job run2 = tickAt(d2, store, id);
        exportAll(store);

        // o1 changed in the failed run's window, which stayed open: the next run covers it with its own.
        assertThat(files.of(jobs.find(store, run2.id()).orElseThrow()).ids()).containsExactly("o1", "o2");
        assertThat(run2.scheduled().windowFrom()).as("the failed run moved no watermark").isNull();
    }

    @Test
    void aScheduleWithANotifyUrl_hasEachRunsEventPostedThere_withItsSecretHeaderAndAFreshLink() throws Exception {
        StoreId store = TestStack.newStore();
        StoreAdmin.setWebhookSecret(secrets, store, "s3cret");
        try (HttpReceiver receiver = HttpReceiver.start(); ApiDestinations destinations = apiDestinations()) {
            JsonNode schedule = created(store, Map.of("every", "hour", "incremental", true,
                    "notify_url", receiver.url("/hooks/orders")));
            String id = schedule.path("id").asText();
            assertThat(schedule.at("/notify_header/name").asText()).isEqualTo("X-Order-Export-Secret");
            String secret = schedule.at("/notify_header/value").asText();
            assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
            assertThat(get(store, "/v2/job-schedules/" + id).has("notify_header")).as("the secret is told once").isFalse();
            Instant d1 = Instant.parse(schedule.at("/meta/next_due_at").asText());
            change(store, "o1", d1.minus(Duration.ofDays(3)), d1.minus(Duration.ofMinutes(30)), "unfulfilled");
            Job run = tickAt(d1, store, id);
            // The receiver's first answer is a 503: EventBridge retries it, and so does the stand-in.
            receiver.answer(503);

            exportAll(store);
            destinations.deliver();

            List<HttpReceiver.Received> posts = receiver.received();
            assertThat(posts).hasSize(2);
            HttpReceiver.Received post = posts.get(1);
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.path()).isEqualTo("/hooks/orders");
            assertThat(post.header("X-Order-Export-Secret")).isEqualTo(secret);
            assertThat(post.header("Content-Type")).startsWith("application/json");
            JsonNode event = mapper.readTree(post.body());
            assertThat(event.path("source").asText()).isEqualTo("order-export");
            assertThat(event.path("detail-type").asText()).isEqualTo("Export Job Completed");
            JsonNode detail = event.path("detail");
            assertThat(detail.path("job_id").asText()).isEqualTo(run.id());
            assertThat(detail.path("schedule_id").asText()).isEqualTo(id);
            assertThat(detail.path("due_at").asText()).isEqualTo(d1.toString());
            assertThat(detail.path("window_to").asText()).isEqualTo(d1.toString());
            assertThat(detail.path("row_count").asLong()).isEqualTo(1);
            assertThat(Instant.parse(detail.path("link_expires_at").asText())).isAfter(Instant.now());
            assertThat(ExportedFile.of(download(detail.path("link").asText())).ids()).containsExactly("o1");

            APIGatewayV2HTTPResponse deleted = api.handleRequest(HttpEvents.request("DELETE",
                    "/v2/job-schedules/" + id).store(store).build(), null);
            assertThat(deleted.getStatusCode()).isEqualTo(204);
            assertThat(eventBridge().listRules(r -> r.namePrefix("order-export-" + id)).rules())
                    .as("the schedule's delivery went with it").isEmpty();
        }
    }

    @Test
    void anEventItsReceiverKeepsRefusing_goesToTheDeadLetterQueue() throws Exception {
        StoreId store = TestStack.newStore();
        try (HttpReceiver receiver = HttpReceiver.start(); ApiDestinations destinations = apiDestinations()) {
            JsonNode schedule = created(store, Map.of("every", "hour", "filter", "eq(status,complete)",
                    "notify_url", receiver.url("/hooks/orders")));
            String id = schedule.path("id").asText();
            Instant d1 = Instant.parse(schedule.at("/meta/next_due_at").asText());
            Job run = tickAt(d1, store, id);
            // A 4xx other than 401, 407, 409 and 429 is final: EventBridge does not retry it.
            receiver.answer(410);

            exportAll(store);
            destinations.deliver();

            assertThat(receiver.received()).hasSize(1);
            String queue = stack.resources().queueUrlOf("DeliveryDeadLetterQueue").orElseThrow();
            var letters = stack.resources().sqs().receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            assertThat(letters).hasSize(1);
            assertThat(mapper.readTree(letters.get(0).body()).at("/detail/job_id").asText()).isEqualTo(run.id());
            assertThat(letters.get(0).messageAttributes().get("ERROR_MESSAGE").stringValue()).isEqualTo("HTTP 410");
            assertThat(letters.get(0).messageAttributes().get("RULE_ARN").stringValue()).endsWith("order-export-" + id);
        }
    }

    @Test
    void badInput_is400NamingTheField_andTheStoreLimitIs429() throws Exception {
        StoreId store = TestStack.newStore();
        Map<String, Map<String, Object>> bad = Map.of(
                "data.every", Map.of("every", "fortnight", "filter", "eq(status,complete)"),
                "data.at", Map.of("every", "day", "at", "25:00", "filter", "eq(status,complete)"),
                "data.timezone", Map.of("every", "day", "timezone", "Mars/Olympus", "filter", "eq(status,complete)"),
                "data.filter", Map.of("every", "day", "incremental", true, "filter", "ge(updated_at,2024-01-01)"),
                "data.notify_url", Map.of("every", "day", "filter", "eq(status,complete)",
                        "notify_url", "http://example.com/hook"),
                "data.incremental", Map.of("every", "day", "filter", "eq(status,complete)", "incremental", "yes"));
        for (Map.Entry<String, Map<String, Object>> entry : bad.entrySet()) {
            APIGatewayV2HTTPResponse response = create(store, entry.getValue());

            assertThat(response.getStatusCode()).as(entry.getKey()).isEqualTo(400);
            assertThat(mapper.readTree(response.getBody()).at("/errors/0/detail").asText()).as(entry.getKey())
                    .contains(entry.getKey());
        }
        APIGatewayV2HTTPResponse tooOften = create(store, Map.of("every", "*/5 * * * *", "filter", "eq(status,complete)"));
        assertThat(tooOften.getStatusCode()).isEqualTo(400);
        assertThat(mapper.readTree(tooOften.getBody()).at("/errors/0/detail").asText())
                .startsWith("data.every: runs would be due 5 minutes apart");
        assertThat(get(store, "/v2/job-schedules").at("/meta/results/total").asInt()).isZero();

        int limit = stack.settingsOf("JobsApiFunction").schedules().maxPerStore();
        for (int i = 0; i < limit; i++) {
            created(store, Map.of("every", "day", "filter", "eq(status,complete)"));
        }
        APIGatewayV2HTTPResponse over = create(store, Map.of("every", "day", "filter", "eq(status,complete)"));
        assertThat(over.getStatusCode()).isEqualTo(429);
        String oneOfThem = get(store, "/v2/job-schedules").at("/data/0/id").asText();
        APIGatewayV2HTTPResponse deleted = api.handleRequest(HttpEvents.request("DELETE",
                "/v2/job-schedules/" + oneOfThem).store(store).build(), null);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
        assertThat(create(store, Map.of("every", "day", "filter", "eq(status,complete)")).getStatusCode()).isEqualTo(201);
        assertThat(api.handleRequest(HttpEvents.request("GET", "/v2/job-schedules/" + oneOfThem).store(store).build(),
                null).getStatusCode()).isEqualTo(404);
    }

    // ---- helpers

    /** An hourly incremental schedule of a store whose webhook deliveries are signed "s3cret". */
    private record HourlySeries(String id, Instant firstDue) {}

    private HourlySeries hourlyIncrementalSeries(StoreId store) throws Exception {
        StoreAdmin.setWebhookSecret(secrets, store, "s3cret");
        JsonNode schedule = created(store, Map.of("every", "hour", "incremental", true));
        return new HourlySeries(schedule.path("id").asText(), Instant.parse(schedule.at("/meta/next_due_at").asText()));
    }

    private static EventBridgeClient eventBridge() {
        return AwsClients.eventBridge(AwsClients.Budget.REQUEST);
    }

    /** The local stand-in for EventBridge's API destinations, on the bus the export function publishes to. */
    private static ApiDestinations apiDestinations() {
        return new ApiDestinations(eventBridge(), stack.resources().sqs(),
                SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                stack.settingsOf("OrderExportFunction").eventBusName(), 3, Duration.ofMillis(100), line -> { }).tap();
    }

    private static byte[] download(String link) throws Exception {
        java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(link)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private ScheduleRunner runner() {
        Settings settings = stack.settingsOf("ScheduleRunnerFunction");
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return ScheduleRunner.of(settings, stack.dynamo(), clock, Log.toRuntime(Log.Level.INFO));
    }

    /** Moves the clock past a due time's settling and runs the runner; the run it made. */
    private Job tickAt(Instant due, StoreId store, String scheduleId) throws Exception {
        now.set(due.plus(settle).plusSeconds(1));
        runner().tick();
        JsonNode schedule = get(store, "/v2/job-schedules/" + scheduleId);
        String jobId = schedule.at("/meta/current_run/job_id").asText();
        assertThat(schedule.at("/meta/current_run/due_at").asText()).isEqualTo(due.toString());
        return jobs.find(store, jobId).orElseThrow();
    }

    private void exportAll(StoreId store) {
        for (DynamodbEvent batch : feeder.poll(store.value())) {
            assertThat(export.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        }
    }

    private void change(StoreId store, String orderId, Instant created, Instant updated, String shipping) {
        ObjectNode envelope = mapper.createObjectNode().put("id", UUID.randomUUID().toString())
                .put("triggered_by", "order.updated").put("attempt", 1);
        envelope.putObject("integration").put("id", "integration-1").put("integration_type", "webhook");
        envelope.set("payload", Orders.typicalOrder(orderId, created).shipping(shipping).updatedAt(updated.toString())
                .item("p-1", "sku-1", 1).document());
        APIGatewayV2HTTPResponse response = webhook.handleRequest(HttpEvents.request("POST",
                "/integrations/elastic-path/orders/" + store.value()).pathParameter("store_id", store.value())
                .header("X-MOLTIN-SECRET-KEY", "s3cret").body(envelope.toString()).build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    }

    private APIGatewayV2HTTPResponse create(StoreId store, Map<String, Object> fields) {
        ObjectNode data = mapper.createObjectNode().put("type", "job_schedule").put("job_type", "order_export");
        fields.forEach((name, value) -> data.set(name, mapper.valueToTree(value)));
        return api.handleRequest(HttpEvents.request("POST", "/v2/job-schedules").store(store)
                .body(mapper.createObjectNode().set("data", data).toString()).build(), null);
    }

    private JsonNode created(StoreId store, Map<String, Object> fields) throws Exception {
        APIGatewayV2HTTPResponse response = create(store, fields);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        return mapper.readTree(response.getBody()).path("data");
    }

    private JsonNode get(StoreId store, String path) throws Exception {
        APIGatewayV2HTTPResponse response = api.handleRequest(HttpEvents.request("GET", path).store(store).build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        JsonNode body = mapper.readTree(response.getBody());
        return path.equals("/v2/job-schedules") ? body : body.path("data");
    }

    private List<JsonNode> runsOf(StoreId store, String scheduleId) throws Exception {
        APIGatewayV2HTTPResponse response = api.handleRequest(HttpEvents.request("GET", "/v2/jobs").store(store)
                .query("filter", "eq(schedule_id," + scheduleId + ")").build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        List<JsonNode> runs = new ArrayList<>();
        mapper.readTree(response.getBody()).path("data").forEach(runs::add);
        return runs;
    }
}
