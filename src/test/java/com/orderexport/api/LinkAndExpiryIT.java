package com.orderexport.api;

import static com.orderexport.testing.HttpEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.AwsClients;
import com.orderexport.config.Settings;
import com.orderexport.exporter.ExportFiles;
import com.orderexport.formats.ExportFormats;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.TestStack;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What S3 and DynamoDB enforce on a job's file link and on the job itself once it expires: a link whose
 * signature was changed or whose time is up is refused, and a job past its TTL is deleted. moto checks none of
 * it, so those tests run on LocalStack (started with the checks on) and are skipped on moto, saying why; the
 * link that was not tampered with downloads the file on either emulator, so the rest have something to refuse.
 */
@ExtendWith(EmulatorExtension.class)
class LinkAndExpiryIT {

    static final String FILTER = "eq(status,complete)";
    static final String CSV = "id\r\nord-1\r\n";

    static TestStack stack;
    static Settings settings;
    static JobStore jobStore;
    static JobsApiHandler handler;
    final ObjectMapper mapper = new ObjectMapper();
    final StoreId store = TestStack.newStore();

    @BeforeAll
    static void startStack(TestStack testStack) {
        stack = testStack;
        settings = stack.settingsOf("JobsApiFunction");
        jobStore = new JobStore(stack.dynamo(), settings.jobsTable());
        handler = new JobsApiHandler(settings);
    }

    @Test
    void presignedLink_asTheApiGivesIt_downloadsTheFile() throws IOException {
        Job job = completeJobWithFile();

        HttpResponse<byte[]> download = ExportedFiles.download(fileLinkOf(job));

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo(CSV);
    }

    @Test
    void presignedLink_tamperedSignature_isRefused() throws IOException {
        assumeTrue(stack.emulator().isLocalStack(), onlyLocalStack(
                "moto does not check presigned-URL signatures (LocalStack with S3_SKIP_SIGNATURE_VALIDATION=0 does)"));
        Job job = completeJobWithFile();
        String href = fileLinkOf(job);

        HttpResponse<byte[]> download = ExportedFiles.download(withSignatureChanged(href));

        assertThat(download.statusCode()).isEqualTo(403);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).contains("SignatureDoesNotMatch")
                .doesNotContain(CSV);
        assertThat(ExportedFiles.download(href).statusCode()).as("the link as signed").isEqualTo(200);
    }

    @Test
    void presignedLink_pastItsExpiry_isRefused() throws Exception {
        assumeTrue(stack.emulator().isLocalStack(), onlyLocalStack(
                "moto does not check presigned-URL expiry (LocalStack with S3_SKIP_SIGNATURE_VALIDATION=0 does)"));
        Job job = completeJobWithFile();
        // Signed as the API signs its links, for one second instead of the configured hour.
        String href = new LinkSigner(AwsClients.presigner(settings), settings.exportBucket())
                .sign(job.fileKey(), Duration.ofSeconds(1));
        assertThat(href).containsPattern("[?&]X-Amz-Expires=1(&|$)").contains("X-Amz-Signature=");

        // X-Amz-Date is to the second, so two seconds from now is past the expiry whatever the signing instant.
        Thread.sleep(Duration.ofSeconds(2).plusMillis(500).toMillis());
        HttpResponse<byte[]> download = ExportedFiles.download(href);

        assertThat(download.statusCode()).isEqualTo(403);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).contains("Request has expired")
                .doesNotContain(CSV);
    }

    @Test
    void expiredJob_isDeletedByTtl_andALiveJobIsKept() throws Exception {
        assumeTrue(stack.emulator().isLocalStack(), onlyLocalStack(
                "moto does not delete expired TTL items (LocalStack with DYNAMODB_REMOVE_EXPIRED_ITEMS=1 does)"));
        Instant weekAndAMinuteAgo = Instant.now().minus(Job.LIFETIME).minus(Duration.ofMinutes(1));
        Job expired = JobBuilder.pending(store, FILTER).createdAt(weekAndAMinuteAgo).createIn(jobStore);
        Job live = JobBuilder.pending(store, FILTER).createIn(jobStore);
        assertThat(expired.expiresAt()).isBefore(Instant.now());

        // LocalStack's TTL sweep runs hourly; its developer endpoint runs the same sweep now.
        HttpResponse<String> sweep = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(stack.emulator().endpoint().resolve("/_aws/dynamodb/expired")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(sweep.statusCode()).as(sweep.body()).isEqualTo(200);
        assertThat(mapper.readTree(sweep.body()).path("ExpiredItems").asInt()).as(sweep.body()).isPositive();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobStore.find(store, expired.id()).isEmpty());
        assertThat(jobStore.find(store, live.id())).isPresent();
    }

    // ---- helpers

    /** The skip message: what moto lacks, and which emulator this run is on. */
    private static String onlyLocalStack(String why) {
        return why + "; this run is on " + stack.emulator().description();
    }

    /** A complete job of this test's store whose CSV is in the export bucket, as the export function leaves it. */
    private Job completeJobWithFile() {
        Job pending = JobBuilder.pending(store, FILTER).build();
        String key = ExportFiles.objectKey(store, pending.id(), ExportFormats.CSV);
        stack.s3().putObject(r -> r.bucket(settings.exportBucket()).key(key).contentType(ExportFormats.CSV.contentType()),
                RequestBody.fromString(CSV));
        return JobBuilder.from(pending).status(JobStatus.COMPLETE).updatedAt(Instant.now()).fileKey(key)
                .rowCount(1).rowsExported(1).fileSize(CSV.length()).crc64nvme("ab").createIn(jobStore);
    }

    /** The link GET /v2/jobs/{id}/file answers for the job. */
    private String fileLinkOf(Job job) throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(
                request("GET", "/v2/jobs/" + job.id() + "/file").store(store).build(), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        JsonNode body = mapper.readTree(response.getBody());
        return body.path("data").path("href").asText();
    }

    /** The link with one character of its X-Amz-Signature changed, everything else as signed. */
    private static String withSignatureChanged(String href) {
        Matcher signature = Pattern.compile("X-Amz-Signature=([0-9a-f]+)").matcher(href);
        assertThat(signature.find()).as(href).isTrue();
        int last = signature.end(1) - 1;
        char changed = href.charAt(last) == '0' ? '1' : '0';
        String tampered = href.substring(0, last) + changed + href.substring(last + 1);
        assertThat(tampered).isNotEqualTo(href).hasSameSizeAs(href);
        return tampered;
    }
}
