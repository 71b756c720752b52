package com.orderexport.exporter;

import static com.orderexport.testing.KitAssertions.assertThat;
import static com.orderexport.testing.Orders.typicalOrder;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.formats.ExportFormats;
import com.orderexport.api.JobsApiHandler;
import com.orderexport.config.Settings;
import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.ExportClaim;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.JobStore;
import com.orderexport.store.StoreId;
import com.orderexport.tools.OrderLoader;
import com.orderexport.orders.TimeRange;
import com.orderexport.orders.OrderStore;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.testing.HttpEvents;
import com.orderexport.testing.JobBuilder;
import com.orderexport.local.StreamFeeder;
import com.orderexport.testing.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** The export pipeline against the emulator: stream record → export run → CSV in S3 → job complete or failed. */
@ExtendWith(EmulatorExtension.class)
class ExportPipelineIT {

    static final Instant SEP_1 = Instant.parse("2018-09-01T00:00:00Z");

    static TestStack stack;
    static Settings settings;
    static JobStore jobs;
    static ExportLeases leases;
    static OrderStore orders;
    static S3Client s3;
    static StreamFeeder feeder;
    static ExportedFiles files;
    final ObjectMapper mapper = new ObjectMapper();

    /** Four orders of store A whose every filterable value is chosen so each filter's result is known. */
    static final StoreId FIXTURE_STORE = TestStack.newStore();
    static final StoreId OTHER_STORE = TestStack.newStore();

    @BeforeAll
    static void loadFixture(TestStack testStack) {
        stack = testStack;
        settings = stack.settingsOf("OrderExportFunction");
        jobs = new JobStore(stack.dynamo(), settings.jobsTable());
        leases = new ExportLeases(stack.dynamo(), settings.jobsTable());
        orders = new OrderStore(stack.dynamo(), settings.ordersTable());
        s3 = stack.s3();
        feeder = new StreamFeeder(stack.resources(), stack.dynamo(), "OrderExportFunction");
        files = new ExportedFiles(jobs, s3, settings.exportBucket());
        orders.putAll(FIXTURE_STORE, fixture());
        // Another store whose orders would match every filter: none may ever appear in store A's files.
        orders.putAll(OTHER_STORE, fixture().stream().map(d -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) d.get("data")).put("id", "b-" + d.get("data").get("id").asText());
            return d;
        }).toList());
    }

    static List<JsonNode> fixture() {
        return List.of(
                typicalOrder("o1", SEP_1).status("complete").payment("paid").shipping("fulfilled")
                        .customer("c-1", "Ron Swanson", "ron@swanson.com").contact("Ron Contact", "ron.contact@x.com")
                        .relationship("account", "acc-1").relationship("account_member", "mem-1")
                        .shippingAddress("90210", "Ron", "1 Main St").billingAddress("10001")
                        .externalRef("ext-1").orderNumber("1001").amounts("USD", 1000, 900)
                        .item("p-1", "sku-1", 2).document(),
                typicalOrder("o2", Instant.parse("2018-09-05T12:00:00Z")).status("incomplete").payment("unpaid")
                        .shipping("unfulfilled").customer("c-2", "Leslie Knope", "leslie@pawnee.gov")
                        .shippingAddress("46001", "Leslie", "2 Elm St").billingAddress("46002")
                        .orderNumber("1002").amounts("EUR", 5000, 4500)
                        .item("p-2", "sku-2", 1).item("p-1", "sku-1", 1).document(),
                typicalOrder("o3", Instant.parse("2018-09-10T23:59:59.999Z")).status("processing").payment("refunded")
                        .shipping("fulfilled").customer("c-3", "April Ludgate", "april@pawnee.gov")
                        .relationship("account", "acc-2").relationship("account_member", "mem-2")
                        .shippingAddress("90211", "April", "3 Oak St").externalRef("ext-3")
                        .orderNumber("1003").amounts("USD", 20000, 18000).item("p-3", "sku-3", 5).document(),
                typicalOrder("o4", Instant.parse("2018-09-30T10:00:00Z")).status("cancelled").payment("refunded")
                        .shipping("unfulfilled").customer("c-1", "RON SWANSON", "RON@SWANSON.COM")
                        .contact("Tammy", "tammy@x.com").shippingAddress("90210", "Ron", "1 Main St")
                        .orderNumber("1004").amounts("GBP", 100, 80).document());
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("eq(status,complete)", "o1"),
                Arguments.of("in(status,complete,cancelled)", "o1 o4"),
                Arguments.of("eq(payment,refunded)", "o3 o4"),
                Arguments.of("in(payment,paid, unpaid)", "o1 o2"),
                Arguments.of("eq(shipping,unfulfilled)", "o2 o4"),
                Arguments.of("in(shipping,fulfilled)", "o1 o3"),
                Arguments.of("eq(currency,usd)", "o1 o3"),
                Arguments.of("in(currency,EUR,GBP)", "o2 o4"),
                Arguments.of("eq(name,ron swanson)", "o1 o4"),
                Arguments.of("like(name,*knope)", "o2"),
                Arguments.of("like(name,Apr*)", "o3"),
                Arguments.of("like(name,*SWAN*)", "o1 o4"),
                Arguments.of("in(name,Leslie Knope,April Ludgate)", "o2 o3"),
                Arguments.of("eq(email,ron@swanson.com)", "o1 o4"),
                Arguments.of("like(email,*@pawnee.gov)", "o2 o3"),
                Arguments.of("eq(customer_id,c-2)", "o2"),
                Arguments.of("like(customer_id,c-*)", "o1 o2 o3 o4"),
                Arguments.of("eq(account_id,acc-1)", "o1"),
                Arguments.of("like(account_id,acc*)", "o1 o3"),
                Arguments.of("eq(account_member_id,mem-2)", "o3"),
                Arguments.of("eq(contact.name,tammy)", "o4"),
                Arguments.of("like(contact.email,*@x.com)", "o1 o4"),
                Arguments.of("eq(contact.email,tammy@x.com)", "o4"),
                Arguments.of("eq(shipping_postcode,90210)", "o1 o4"),
                Arguments.of("like(shipping_postcode,9021*)", "o1 o3 o4"),
                Arguments.of("eq(billing_postcode,46002)", "o2"),
                Arguments.of("eq(external_ref,ext-3)", "o3"),
                Arguments.of("like(external_ref,ext*)", "o1 o3"),
                Arguments.of("eq(order_number,1002)", "o2"),
                Arguments.of("like(order_number,100*)", "o1 o2 o3 o4"),
                Arguments.of("gt(with_tax,1000)", "o2 o3"),
                Arguments.of("ge(with_tax,1000)", "o1 o2 o3"),
                Arguments.of("lt(with_tax,1000)", "o4"),
                Arguments.of("le(with_tax,1000)", "o1 o4"),
                Arguments.of("eq(with_tax,5000)", "o2"),
                Arguments.of("le(without_tax,900)", "o1 o4"),
                Arguments.of("gt(without_tax,4500)", "o3"),
                Arguments.of("eq(product_id,p-1)", "o1 o2"),
                Arguments.of("eq(product_sku,sku-3)", "o3"),
                Arguments.of("eq(created_at,2018-09-10)", "o3"),
                Arguments.of("eq(created_at," + Instant.parse("2018-09-05T08:00:00Z").toEpochMilli() + ")", "o2"),
                Arguments.of("gt(created_at,2018-09-01)", "o2 o3 o4"),
                Arguments.of("ge(created_at,2018-09-01)", "o1 o2 o3 o4"),
                Arguments.of("lt(created_at,2018-09-10)", "o1 o2"),
                Arguments.of("le(created_at,2018-09-30)", "o1 o2 o3"),
                Arguments.of("ge(created_at," + Instant.parse("2018-09-10T23:59:59.999Z").toEpochMilli() + ")", "o3 o4"),
                Arguments.of("gt(updated_at,2018-09-06)", "o3 o4"),
                Arguments.of("lt(updated_at,2018-09-06)", "o1 o2"),
                Arguments.of("eq(updated_at,2018-09-30)", "o4"),
                Arguments.of("gt(created_at,2018-09-01):lt(created_at,2018-10-01):eq(payment,refunded)", "o3 o4"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("filters")
    void export_writesExactlyTheStoresOrdersThatMatchTheFilter(String filter, String expectedIds) throws IOException {
        Job job = pendingJob(FIXTURE_STORE, filter);

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.COMPLETE);

        ExportedFile file = files.of(job);
        assertThat(file).hasIds(expectedIds.split(" "));
        Job done = jobs.find(FIXTURE_STORE, job.id()).orElseThrow();
        assertThat(done).isComplete().hasRows(file.rowCount());
    }

    @Test
    void endToEnd_aJobCreatedOverTheApiBecomesACompleteCsvBehindAPresignedLink(@TempDir Path dir) throws Exception {
        StoreId store = TestStack.newStore();
        StoreId other = TestStack.newStore();
        load(dir, store, fixture(), 0);
        load(dir, other, fixture(), 0);
        JobsApiHandler api = new JobsApiHandler(stack.settingsOf("JobsApiFunction"));
        APIGatewayV2HTTPResponse created = api.handleRequest(HttpEvents.request("POST", "/v2/jobs").store(store)
                .body("{\"data\":{\"filter\":\"gt(created_at,2018-09-01):lt(created_at,2018-10-01):eq(payment,refunded)\","
                        + "\"job_type\":\"order_export\"}}").build(), null);
        String id = mapper.readTree(created.getBody()).path("data").path("id").asText();

        List<DynamodbEvent> batches = feeder.poll(store.value());
        RequestHandler<DynamodbEvent, StreamsEventResponse> handler =
                stack.handler("OrderExportFunction", DynamodbEvent.class, StreamsEventResponse.class);
        for (DynamodbEvent batch : batches) {
            assertThat(handler.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        }

        assertThat(batches).hasSize(1);
        JsonNode job = mapper.readTree(api.handleRequest(HttpEvents.request("GET", "/v2/jobs/" + id).store(store).build(), null)
                .getBody()).path("data");
        assertThat(job.path("status").asText()).isEqualTo("complete");
        assertThat(job.path("meta").path("row_count").asLong()).isEqualTo(2);
        assertThat(job.path("timestamps").path("updated_at").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
        String href = mapper.readTree(api.handleRequest(HttpEvents.request("GET", "/v2/jobs/" + id + "/file").store(store)
                .build(), null).getBody()).path("data").path("href").asText();
        HttpResponse<byte[]> download = ExportedFiles.download(href);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue(ExportFormats.CSV.contentType());
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue(ExportFiles.contentDisposition(id, ExportFormats.CSV));
        ExportedFile file = ExportedFile.of(download.body());
        assertThat(file.rows().get(0).get(0)).isEqualTo("id");
        assertThat(file).hasIds("o3", "o4");
        assertThat(job.path("meta").path("file_size").asLong()).isEqualTo(download.body().length);
        assertThat(job.path("meta").path("crc64nvme").asText()).isEqualTo(file.crc64nvme());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("filters")
    void export_inJsonLines_writesTheStoredDocumentOfExactlyTheOrdersThatMatch(String filter, String expectedIds)
            throws IOException {
        Job job = JobBuilder.pending(FIXTURE_STORE, filter).format("jsonl").createIn(jobs);

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.COMPLETE);

        List<JsonNode> lines = files.of(job).documents();
        assertThat(lines).extracting(line -> line.path("data").path("id").asText())
                .containsExactly(expectedIds.split(" "));
        Map<String, JsonNode> stored = new HashMap<>();
        for (JsonNode document : fixture()) {
            // Read back from its text, as the table stores it: a tree built in code holds longs where text reads ints.
            stored.put(document.path("data").path("id").asText(), mapper.readTree(document.toString()));
        }
        assertThat(lines).allSatisfy(line -> assertThat(line).isEqualTo(stored.get(line.path("data").path("id").asText())));
        Job done = jobs.find(FIXTURE_STORE, job.id()).orElseThrow();
        assertThat(done).isComplete().hasRows(lines.size());
        assertThat(done.fileKey()).endsWith("/" + job.id() + ".jsonl");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("filters")
    void export_gzipped_decompressesToTheCsvOfExactlyTheOrdersThatMatch(String filter, String expectedIds) {
        Job job = JobBuilder.pending(FIXTURE_STORE, filter).compression("gzip").createIn(jobs);

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.COMPLETE);

        ExportedFile gzipped = files.of(job);
        assertThat(gzipped.gunzipped()).hasIds(expectedIds.split(" "));
        Job done = jobs.find(FIXTURE_STORE, job.id()).orElseThrow();
        assertThat(done).isComplete().hasRows(gzipped.gunzipped().rowCount()).hasChecksumAndSizeOf(gzipped);
        assertThat(done.fileKey()).endsWith("/" + job.id() + ".csv.gz");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("filters")
    void export_withChosenColumns_writesThemForExactlyTheOrdersThatMatch(String filter, String expectedIds) {
        Job job = JobBuilder.pending(FIXTURE_STORE, filter)
                .options(new ExportOptions("csv", "none", List.of("status", "id"), "UTC", "order")).createIn(jobs);

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.COMPLETE);

        ExportedFile file = files.of(job);
        assertThat(file.rows().get(0)).containsExactly("status", "id");
        assertThat(file.column("id")).containsExactly(expectedIds.split(" "));
        assertThat(file.rows()).allSatisfy(row -> assertThat(row).hasSize(2));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("filters")
    void export_inItemRows_writesARowPerItemOfExactlyTheOrdersThatMatch(String filter, String expectedIds) {
        Job job = JobBuilder.pending(FIXTURE_STORE, filter)
                .options(new ExportOptions("csv", "none", List.of(), "UTC", "item")).createIn(jobs);

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.COMPLETE);

        ExportedFile file = files.of(job);
        Map<String, Integer> itemsOf = new HashMap<>();
        fixture().forEach(document -> itemsOf.put(document.path("data").path("id").asText(),
                document.path("included").path("items").size()));
        List<String> expected = new ArrayList<>();
        for (String id : expectedIds.split(" ")) {
            // an order without items keeps one row, its item cells empty
            for (int i = 0; i < Math.max(1, itemsOf.get(id)); i++) {
                expected.add(id);
            }
        }
        assertThat(file.column("id")).containsExactlyElementsOf(expected);
        assertThat(file.rows().get(0)).endsWith("item_id", "item_product_id", "item_sku", "item_name", "item_quantity",
                "item_unit_amount", "item_line_amount");
        assertThat(jobs.find(FIXTURE_STORE, job.id()).orElseThrow()).isComplete().hasRows(expected.size());
    }

    @Test
    void export_inATimezone_writesTheTimestampsThere_andNamesItInTheHeader() {
        Job job = JobBuilder.pending(FIXTURE_STORE, "eq(status,complete)")
                .options(new ExportOptions("csv", "none", List.of("id", "created_at"), "Asia/Tokyo", "order")).createIn(jobs);

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.COMPLETE);

        ExportedFile file = files.of(job);
        assertThat(file.rows()).containsExactly(List.of("id", "created_at (Asia/Tokyo)"),
                List.of("o1", "2018-09-01T09:00:00.000+09:00"));
    }

    @Test
    void endToEnd_aGzipJobOverTheApi_isServedAsAGzipFileUnderItsOwnName() throws Exception {
        Downloaded export = exportOverTheApi("\"compression\":\"gzip\"");

        assertThat(export.job().path("meta").path("compression").asText()).isEqualTo("gzip");
        assertThat(export.file().statusCode()).isEqualTo(200);
        assertThat(export.file().headers().firstValue("Content-Type")).hasValue("application/gzip");
        assertThat(export.file().headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(export.file().headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"orders-" + export.id() + ".csv.gz\"");
        assertThat(ExportedFile.of(export.file().body()).gunzipped()).hasIds("o3", "o4");
    }

    @Test
    void endToEnd_aJsonLinesJobOverTheApi_isServedAsJsonLinesUnderItsOwnName() throws Exception {
        Downloaded export = exportOverTheApi("\"format\":\"jsonl\"");

        assertThat(export.job().path("meta").path("format").asText()).isEqualTo("jsonl");
        assertThat(export.file().statusCode()).isEqualTo(200);
        assertThat(export.file().headers().firstValue("Content-Type")).hasValue("application/jsonl; charset=utf-8");
        assertThat(export.file().headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"orders-" + export.id() + ".jsonl\"");
        assertThat(ExportedFile.of(export.file().body()).documents())
                .extracting(line -> line.path("data").path("id").asText()).containsExactly("o3", "o4");
    }

    /** A job as created over the API, and its file as a client downloads it through the link. */
    record Downloaded(String id, JsonNode job, HttpResponse<byte[]> file) {}

    /**
     * A store of the fixture's orders, a refunded-orders job created over the API with these extra members of
     * {@code data}, the stream records run through the template's export function, the file downloaded.
     */
    private Downloaded exportOverTheApi(String options) throws Exception {
        StoreId store = TestStack.newStore();
        orders.putAll(store, fixture());
        JobsApiHandler api = new JobsApiHandler(stack.settingsOf("JobsApiFunction"));
        APIGatewayV2HTTPResponse created = api.handleRequest(HttpEvents.request("POST", "/v2/jobs").store(store)
                .body("{\"data\":{\"filter\":\"eq(payment,refunded)\",\"job_type\":\"order_export\"," + options + "}}")
                .build(), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(202);
        JsonNode job = mapper.readTree(created.getBody()).path("data");
        String id = job.path("id").asText();
        RequestHandler<DynamodbEvent, StreamsEventResponse> handler =
                stack.handler("OrderExportFunction", DynamodbEvent.class, StreamsEventResponse.class);
        for (DynamodbEvent batch : feeder.poll(store.value())) {
            assertThat(handler.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        }
        String href = mapper.readTree(api.handleRequest(HttpEvents.request("GET", "/v2/jobs/" + id + "/file")
                .store(store).build(), null).getBody()).path("data").path("href").asText();
        return new Downloaded(id, job, ExportedFiles.download(href));
    }

    @Test
    void streamFilter_passesOnlyNewPendingExportJobs() {
        StoreId store = TestStack.newStore();
        Job job = pendingJob(store, "eq(status,complete)");
        jobs.replace(JobBuilder.from(job).status(JobStatus.FAILED).updatedAt(Instant.now()).error("x").build());

        List<DynamodbEvent> batches = feeder.poll(store.value());

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).getRecords()).hasSize(1);
        assertThat(batches.get(0).getRecords().get(0).getEventName()).isEqualTo("INSERT");
    }

    @Test
    void redelivery_ofTheSameRecordOrOfACompleteJobChangesNothing() throws IOException {
        StoreId store = TestStack.newStore();
        orders.putAll(store, fixture());
        pendingJob(store, "eq(payment,refunded)");
        DynamodbEvent batch = feeder.poll(store.value()).get(0);
        RequestHandler<DynamodbEvent, StreamsEventResponse> handler =
                stack.handler("OrderExportFunction", DynamodbEvent.class, StreamsEventResponse.class);

        handler.handleRequest(batch, null);
        Job first = jobs.listNewestFirst(store).get(0);
        handler.handleRequest(batch, null);
        handler.handleRequest(batch, null);
        Job after = jobs.listNewestFirst(store).get(0);

        assertThat(first).isComplete();
        assertThat(after).isEqualTo(first);
        assertThat(objectsUnder(store)).hasSize(1);
        assertThat(openUploads()).isEmpty();
    }

    @Test
    void takeover_aProcessingJobWhoseLeaseExpiredIsRedoneAndCompletesOnce() throws IOException {
        Job job = pendingJob(FIXTURE_STORE, "eq(payment,refunded)");
        // A run that claimed the job, started its upload and died: its lease ran out a second ago.
        Instant now = Instant.now();
        ExportClaim dead = leases.claim(FIXTURE_STORE, job.id(), now.minusSeconds(60), Duration.ofSeconds(59))
                .claim().orElseThrow();
        String key = ExportFiles.objectKey(FIXTURE_STORE, job.id(), ExportFormats.CSV);
        String deadUpload = s3.createMultipartUpload(r -> r.bucket(settings.exportBucket()).key(key)).uploadId();
        leases.recordUpload(dead, deadUpload);

        OrderExporter.Outcome outcome = exporter().export(FIXTURE_STORE, job.id(), inTenMinutes());
        OrderExporter.Outcome again = exporter().export(FIXTURE_STORE, job.id(), inTenMinutes());

        assertThat(outcome).isEqualTo(OrderExporter.Outcome.COMPLETE);
        assertThat(again).isEqualTo(OrderExporter.Outcome.SKIPPED);
        Job done = jobs.find(FIXTURE_STORE, job.id()).orElseThrow();
        assertThat(done).hasRows(2);
        assertThat(files.of(done)).hasRows(2);
        assertThat(openUploads()).noneMatch(u -> u.equals(deadUpload));
        assertThat(openUploadsFor(key)).isEmpty();
    }

    @Test
    void takeover_neverHappensWhileTheLeaseIsLive_andTheRecordIsToBeRetried() {
        Job job = pendingJob(FIXTURE_STORE, "eq(payment,refunded)");
        leases.claim(FIXTURE_STORE, job.id(), Instant.now(), Duration.ofMinutes(10)).claim().orElseThrow();

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.BUSY);
        assertThat(jobs.find(FIXTURE_STORE, job.id()).orElseThrow()).isProcessing();
    }

    @Test
    void failure_ofS3MidUploadFailsTheJobWithAReasonAndLeavesNoUpload() {
        Job job = pendingJob(FIXTURE_STORE, "eq(payment,refunded)");
        S3Client failingS3 = S3Client.builder().forcePathStyle(true)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new FailUploadParts())).build();
        OrderExporter exporter = new OrderExporter(leases, orders, failingS3, settings.exportBucket(),
                ExportTuning.DEFAULT, Clock.systemUTC());

        assertThat(exporter.export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.FAILED);

        Job failed = jobs.find(FIXTURE_STORE, job.id()).orElseThrow();
        assertThat(failed).isFailedWith(OrderExporter.UNEXPECTED);
        assertThat(failed.error()).doesNotContain("S3").doesNotContain("Exception");
        assertThat(openUploadsFor(ExportFiles.objectKey(FIXTURE_STORE, job.id(), ExportFormats.CSV))).isEmpty();
        assertThat(objectExists(ExportFiles.objectKey(FIXTURE_STORE, job.id(), ExportFormats.CSV))).isFalse();
    }

    @Test
    void emptyResult_failsWithElasticPathsTextAndLeavesNoFile() {
        Job job = pendingJob(FIXTURE_STORE, "eq(status,nothing-has-this)");

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.FAILED);

        Job failed = jobs.find(FIXTURE_STORE, job.id()).orElseThrow();
        assertThat(failed.error()).isEqualTo("No results matched the supplied filter");
        assertThat(objectExists(ExportFiles.objectKey(FIXTURE_STORE, job.id(), ExportFormats.CSV))).isFalse();
        assertThat(openUploadsFor(ExportFiles.objectKey(FIXTURE_STORE, job.id(), ExportFormats.CSV))).isEmpty();
    }

    @Test
    void emptyResult_ofContradictoryDatesNeverQueries() {
        Job job = pendingJob(FIXTURE_STORE, "gt(created_at,2018-09-10):lt(created_at,2018-09-01)");

        assertThat(exporter().export(FIXTURE_STORE, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.FAILED);
        assertThat(jobs.find(FIXTURE_STORE, job.id()).orElseThrow().error()).isEqualTo(OrderExporter.NO_RESULTS);
    }

    @Test
    void csv_keepsAwkwardTextIntactAndNeutralisesFormulas() throws IOException {
        StoreId store = TestStack.newStore();
        orders.putAll(store, List.of(
                typicalOrder("awkward", SEP_1).customer(null, "Smith, \"Bob\"\nJr", "=HYPERLINK(\"http://x\")")
                        .contact("Zoë 中文 🚀", "-2+3@x.com").externalRef("@SUM(A1)")
                        .amounts("USD", -150, -100).document(),
                typicalOrder("sparse", SEP_1.plusSeconds(1)).document()));
        Job job = pendingJob(store, "ge(created_at,2018-09-01)");

        exporter().export(store, job.id(), inTenMinutes());

        List<List<String>> rows = files.of(jobs.find(store, job.id()).orElseThrow()).rows();
        List<String> header = rows.get(0);
        List<String> awkward = rows.get(1);
        assertThat(awkward.get(header.indexOf("customer_name"))).isEqualTo("Smith, \"Bob\"\nJr");
        assertThat(awkward.get(header.indexOf("customer_email"))).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(awkward.get(header.indexOf("contact_name"))).isEqualTo("Zoë 中文 🚀");
        assertThat(awkward.get(header.indexOf("contact_email"))).isEqualTo("'-2+3@x.com");
        assertThat(awkward.get(header.indexOf("external_ref"))).isEqualTo("'@SUM(A1)");
        assertThat(awkward.get(header.indexOf("with_tax"))).isEqualTo("-150");
        List<String> sparse = rows.get(2);
        assertThat(sparse.get(header.indexOf("id"))).isEqualTo("sparse");
        assertThat(sparse.get(header.indexOf("external_ref"))).isEmpty();
        assertThat(sparse.get(header.indexOf("customer_name"))).isEmpty();
        assertThat(sparse).hasSameSizeAs(header);
    }

    @Test
    void csv_writesAnUnpairedSurrogateInAStoredOrderAsTheReplacementCharacterAndCompletes() throws IOException {
        StoreId store = TestStack.newStore();
        orders.putAll(store, List.of(typicalOrder("lone", SEP_1).customer("c-1", "Ann @@ Perkins", "ann@example.com")
                .contact("Zoë 🚀", "z@example.com").document()));
        // DynamoDB cannot take a lone surrogate itself, but a document may hold one as a JSON escape.
        Map<String, AttributeValue> item = new HashMap<>(
                stack.dynamo().query(orders.query(store, TimeRange.ALL)).items().get(0));
        item.replaceAll((name, value) -> value.s() != null && value.s().contains("@@")
                ? AttributeValue.fromS(value.s().replace("@@", "\\ud800")) : value);
        stack.dynamo().putItem(r -> r.tableName(settings.ordersTable()).item(item));
        Job job = pendingJob(store, "ge(created_at,2018-09-01)");

        assertThat(exporter().export(store, job.id(), inTenMinutes())).isEqualTo(OrderExporter.Outcome.COMPLETE);

        ExportedFile file = files.of(jobs.find(store, job.id()).orElseThrow());
        assertThat(file.column("customer_name")).containsExactly("Ann \uFFFD Perkins");
        assertThat(file.column("contact_name")).containsExactly("Zoë 🚀");
    }

    @Test
    void loader_reportsBadLinesByNumberLoadsTheRestAndFailsTheExitCode(@TempDir Path dir) throws IOException {
        StoreId store = TestStack.newStore();
        Path file = dir.resolve("orders.jsonl");
        List<String> lines = new ArrayList<>(fixture().stream().map(JsonNode::toString).toList());
        lines.add(1, "{not json");
        lines.add(3, "{\"data\":{\"type\":\"order\"}}");
        lines.add("{\"data\":{\"id\":\"no-date\"}}");
        Files.write(file, lines);
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = OrderLoader.run(new String[] {"--store", store.value(), "--table", settings.ordersTable(), file.toString()},
                new PrintStream(err, true, StandardCharsets.UTF_8), stack.dynamo());
        int again = OrderLoader.run(new String[] {"--store", store.value(), "--table", settings.ordersTable(), file.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), stack.dynamo());

        assertThat(exit).isEqualTo(1);
        assertThat(again).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("line 2: not JSON; skipped")
                .contains("line 4: no data.id; skipped")
                .contains("line 7: no valid data.meta.timestamps.created_at; skipped")
                .contains("loaded 4 orders").contains("rejected 3 lines");
        assertThat(countOrders(store)).isEqualTo(4);
    }

    @Test
    void loader_skipsLinesWhoseTextIsNotValidUnicodeByNumberAndLoadsTheRest(@TempDir Path dir) throws IOException {
        StoreId store = TestStack.newStore();
        List<JsonNode> fixture = fixture();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(line(fixture.get(0).toString()));
        // A JSON escape of a lone surrogate in a value; then an escaped pair (an emoji), which is fine.
        file.writeBytes(line(withName("lone", "Ann @@ Perkins").replace("@@", "\\ud800")));
        file.writeBytes(line(withName("rocket", "Ann @@").replace("@@", "\\ud83d\\ude80")));
        // A lone surrogate's own bytes (ED A0 80, as CESU-8 writes it), which no UTF-8 decoder accepts.
        String[] around = withName("raw", "Ann @@ Perkins").split("@@");
        file.writeBytes(around[0].getBytes(StandardCharsets.UTF_8));
        file.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        file.writeBytes(line(around[1]));
        // A lone surrogate in a field name, which Jackson's parser itself refuses.
        String third = fixture.get(2).toString();
        int data = third.indexOf("\"data\":{") + "\"data\":{".length();
        file.writeBytes(line(third.substring(0, data) + "\"x\\udc00\":1," + third.substring(data)));
        file.writeBytes(line(fixture.get(3).toString()));
        Path path = dir.resolve("orders.jsonl");
        Files.write(path, file.toByteArray());
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = OrderLoader.run(new String[] {"--store", store.value(), "--table", settings.ordersTable(), path.toString()},
                new PrintStream(err, true, StandardCharsets.UTF_8), stack.dynamo());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("line 2: data.customer.name is not valid Unicode (an unpaired surrogate); skipped")
                .contains("line 4: not UTF-8 text; skipped")
                .contains("line 5: not JSON; skipped")
                .contains("loaded 3 orders").contains("rejected 3 lines")
                .doesNotContain("Perkins");
        assertThat(countOrders(store)).isEqualTo(3);
        assertThat(StreamSupport.stream(orders.page(store, TimeRange.ALL, null).spliterator(), false)
                .filter(o -> o.id().equals("rocket")).map(o -> o.customerName()))
                .containsExactly("Ann \uD83D\uDE80");
    }

    private static String withName(String id, String customerName) {
        return typicalOrder(id, SEP_1).customer("c-9", customerName, "ann@example.com").document().toString();
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void loader_refusesUsageErrorsWithOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = OrderLoader.run(new String[] {"--store", "bad/store", "--table", "t", "x.jsonl"},
                new PrintStream(err, true, StandardCharsets.UTF_8), stack.dynamo());
        int missing = OrderLoader.run(new String[] {"--store", "s", "--table", "t", "/no/such/file.jsonl"},
                new PrintStream(err, true, StandardCharsets.UTF_8), stack.dynamo());

        assertThat(exit).isEqualTo(2);
        assertThat(missing).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'bad/store' is not a valid store id")
                .contains("no such file: /no/such/file.jsonl");
    }

    // ---- helpers

    static OrderExporter exporter() {
        return new OrderExporter(leases, orders, s3, settings.exportBucket(), ExportTuning.DEFAULT,
                Clock.systemUTC());
    }

    static Job pendingJob(StoreId store, String filter) {
        return JobBuilder.pending(store, filter).createIn(jobs);
    }

    static Instant inTenMinutes() {
        return Instant.now().plus(Duration.ofMinutes(10));
    }

    void load(Path dir, StoreId store, List<JsonNode> documents, int expectedExit) throws IOException {
        Path file = dir.resolve(store.value() + ".jsonl");
        Files.write(file, documents.stream().map(JsonNode::toString).toList());
        assertThat(OrderLoader.run(new String[] {"--store", store.value(), "--table", settings.ordersTable(), file.toString()},
                System.err, stack.dynamo())).isEqualTo(expectedExit);
    }

    static List<String> objectsUnder(StoreId store) {
        return s3.listObjectsV2(r -> r.bucket(settings.exportBucket()).prefix(ExportFiles.PREFIX + store.value() + "/"))
                .contents().stream().map(o -> o.key()).toList();
    }

    static boolean objectExists(String key) {
        return s3.listObjectsV2(r -> r.bucket(settings.exportBucket()).prefix(key)).keyCount() > 0;
    }

    static List<String> openUploads() {
        return s3.listMultipartUploads(r -> r.bucket(settings.exportBucket())).uploads().stream()
                .map(u -> u.uploadId()).toList();
    }

    static List<String> openUploadsFor(String key) {
        return s3.listMultipartUploads(r -> r.bucket(settings.exportBucket()).prefix(key)).uploads().stream()
                .map(u -> u.uploadId()).toList();
    }

    static long countOrders(StoreId store) {
        return stack.dynamo().queryPaginator(orders.query(store, com.orderexport.orders.TimeRange.ALL)).stream()
                .mapToLong(p -> p.count()).sum();
    }

    /** S3 refusing every part: the network or the service failing in the middle of an upload. */
    static final class FailUploadParts implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UploadPartRequest) {
                throw new IllegalStateException("S3 is unavailable (injected)");
            }
        }
    }
}
