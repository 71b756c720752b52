package com.orderexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobProgress;
import com.orderexport.jobs.JobPage;
import com.orderexport.jobs.JobStatus;
import com.orderexport.store.StoreId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bodies are the very text Jackson's tree model wrote for them before they were streamed (the tree is
 * built here as the API used to build it): same members, same order, same escaping.
 */
class JsonApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2024-03-01T12:00:00.123Z");
    private static final Job PENDING = Job.pending(new StoreId("s"), "01HQ0000000000000000000000", "eq(status,paid)",
            CREATED);
    private static final Job DONE = new Job(new StoreId("s"), "01HQ0000000000000000000001", "order_export",
            "like(email,*@ex\"ample.com):eq(name,Zoë \\ </script>)", ExportOptions.DEFAULT, JobStatus.COMPLETE, CREATED,
            CREATED.plusSeconds(9), CREATED.plusSeconds(604800), null, "exports/a.csv", 12L, 12L, 3456L, "AbCd+/=", null, null);
    private static final Job FAILED = new Job(new StoreId("s"), "01HQ0000000000000000000002", "order_export",
            "eq(status,paid)", ExportOptions.DEFAULT, JobStatus.FAILED, CREATED, CREATED.plusSeconds(1), CREATED.plusSeconds(604800),
            "the export stopped: \u0001\n\t", null, null, 0L, null, null, null, null);

    private final JsonApi json = new JsonApi();

    @Test
    void job_writesEveryMemberAsTheTreeDid() {
        for (Job job : List.of(PENDING, DONE, FAILED)) {
            String self = "https://api.example.com/v2/jobs/" + job.id();
            String href = job.hasFile() ? "https://bucket.s3.amazonaws.com/exports/a.csv?X-Amz-Signature=ab&x=1" : "";

            assertThat(json.job(job, self, href)).isEqualTo(tree(job, self, href).toString());
            assertThat(json.single(json.job(job, self, href))).isEqualTo(
                    MAPPER.createObjectNode().set("data", tree(job, self, href)).toString());
        }
    }

    @Test
    void job_whileProcessing_saysHowFarItGotAndWhenItShouldBeDone_andOnceCompleteThatItIsAllRead() throws Exception {
        Instant eta = CREATED.plusSeconds(90);
        Job running = new Job(new StoreId("s"), "01HQ0000000000000000000003", "order_export", "eq(status,paid)",
                ExportOptions.DEFAULT, JobStatus.PROCESSING, CREATED, CREATED.plusSeconds(1), CREATED.plusSeconds(604800),
                null, null, null, 500L, null, null, new JobProgress(0.4213, eta), null);
        Job complete = new Job(DONE.storeId(), DONE.id(), DONE.jobType(), DONE.filter(), DONE.options(), DONE.status(),
                DONE.createdAt(), DONE.updatedAt(), DONE.expiresAt(), null, DONE.fileKey(), DONE.rowCount(),
                DONE.rowsExported(), DONE.fileSize(), DONE.crc64nvme(), new JobProgress(1, null), null);
        Job failed = new Job(FAILED.storeId(), FAILED.id(), FAILED.jobType(), FAILED.filter(), FAILED.options(),
                FAILED.status(), FAILED.createdAt(), FAILED.updatedAt(), FAILED.expiresAt(), FAILED.error(), null, null,
                0L, null, null, new JobProgress(0.3, eta), null);

        JsonNode runningMeta = MAPPER.readTree(json.job(running, "https://x/v2/jobs/1", "")).path("meta");
        JsonNode completeMeta = MAPPER.readTree(json.job(complete, "https://x/v2/jobs/2", "https://f")).path("meta");
        JsonNode failedMeta = MAPPER.readTree(json.job(failed, "https://x/v2/jobs/3", "")).path("meta");

        assertThat(runningMeta.path("progress").asDouble()).isEqualTo(0.4213);
        assertThat(runningMeta.path("estimated_completion_at").asText()).isEqualTo(eta.toString());
        assertThat(completeMeta.path("progress").asDouble()).isEqualTo(1.0);
        assertThat(completeMeta.has("estimated_completion_at")).isFalse();
        assertThat(failedMeta.has("progress")).isFalse();
        assertThat(failedMeta.has("estimated_completion_at")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"0,10,0", "0,10,3", "10,10,25", "20,10,25", "5,2,6", "0,1,1"})
    void page_writesLinksAndMetaAsTheTreeDid(int offset, int limit, int total) {
        List<Job> jobs = total == 0 ? List.of() : List.of(PENDING, DONE, FAILED).subList(0, Math.min(3, total));
        JobPage page = new JobPage(jobs, limit, offset, total);
        String url = "https://api.example.com/v2/jobs";

        assertThat(json.page(page, job -> json.job(job, url + "/" + job.id(), ""), url))
                .isEqualTo(treePage(page, url).toString());
    }

    @Test
    void fileLinkAndError_writeAsTheTreeDid() {
        String href = "https://b.s3.amazonaws.com/k?a=1&b=\"2\"";
        ObjectNode link = MAPPER.createObjectNode();
        link.putObject("data").put("href", href);
        assertThat(json.fileLink(href)).isEqualTo(link.toString());

        for (int status : new int[] {400, 401, 404, 405, 409, 500, 503}) {
            ObjectNode error = MAPPER.createObjectNode();
            ObjectNode entry = error.putArray("errors").addObject();
            entry.put("status", status);
            entry.put("title", ApiError.title(status));
            entry.put("detail", "No route \"x\" \u2028");
            entry.put("request_id", status == 500 ? null : "req-1");
            assertThat(json.error(status, "No route \"x\" \u2028", status == 500 ? null : "req-1"))
                    .isEqualTo(error.toString());
        }
    }

    private static ObjectNode tree(Job job, String selfUrl, String fileHref) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "job");
        node.put("id", job.id());
        node.put("job_type", job.jobType());
        node.put("status", job.status().wire());
        if (job.error() != null) {
            node.put("error", job.error());
        }
        node.putObject("link").put("href", fileHref);
        node.putObject("links").put("self", selfUrl);
        ObjectNode timestamps = node.putObject("timestamps");
        timestamps.put("created_at", job.createdAt().toString());
        timestamps.put("updated_at", job.updatedAt() == null ? JsonApi.NEVER : job.updatedAt().toString());
        ObjectNode meta = node.putObject("meta");
        meta.put("filter", job.filter());
        meta.put("format", job.options().format());
        meta.put("compression", job.options().compression());
        if (!job.options().columns().isEmpty()) {
            job.options().columns().forEach(meta.putArray("columns")::add);
        }
        meta.put("timezone", job.options().timezone());
        meta.put("rows", job.options().rows());
        meta.put("expires_at", job.expiresAt().toString());
        putIfPresent(meta, "rows_exported", job.rowsExported());
        putIfPresent(meta, "row_count", job.rowCount());
        putIfPresent(meta, "file_size", job.fileSize());
        if (job.crc64nvme() != null) {
            meta.put("crc64nvme", job.crc64nvme());
        }
        return node;
    }

    private static ObjectNode treePage(JobPage page, String url) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        page.jobs().forEach(job -> data.add(tree(job, url + "/" + job.id(), "")));
        int limit = page.limit();
        int pages = Math.max(1, (page.total() + limit - 1) / limit);
        ObjectNode links = body.putObject("links");
        links.put("current", pageUrl(url, page.offset(), limit));
        links.put("first", pageUrl(url, 0, limit));
        links.put("last", pageUrl(url, (pages - 1) * limit, limit));
        links.put("next", page.offset() + limit < page.total() ? pageUrl(url, page.offset() + limit, limit) : null);
        links.put("prev", page.offset() > 0 ? pageUrl(url, Math.max(0, page.offset() - limit), limit) : null);
        ObjectNode meta = body.putObject("meta");
        ObjectNode pageMeta = meta.putObject("page");
        pageMeta.put("limit", limit);
        pageMeta.put("offset", page.offset());
        pageMeta.put("current", page.offset() / limit + 1);
        pageMeta.put("total", pages);
        meta.putObject("results").put("total", page.total());
        return body;
    }

    private static String pageUrl(String url, int offset, int limit) {
        return url + "?page[offset]=" + offset + "&page[limit]=" + limit;
    }

    private static void putIfPresent(ObjectNode node, String name, Long value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
