package com.orderexport.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobPage;
import java.util.function.Function;

/** Renders jobs, pages, file links and errors as the Elastic Path Jobs API's JSON bodies. */
final class JsonApi {

    /** What Elastic Path shows for a job that was never updated (Go's zero time). */
    static final String NEVER = "0001-01-01T00:00:00Z";

    private final ObjectMapper mapper;

    JsonApi(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode job(Job job, String selfUrl, String fileHref) {
        ObjectNode node = mapper.createObjectNode();
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
        timestamps.put("updated_at", job.updatedAt() == null ? NEVER : job.updatedAt().toString());
        ObjectNode meta = node.putObject("meta");
        meta.put("filter", job.filter());
        meta.put("expires_at", job.expiresAt().toString());
        putIfPresent(meta, "rows_exported", job.rowsExported());
        putIfPresent(meta, "row_count", job.rowCount());
        putIfPresent(meta, "file_size", job.fileSize());
        if (job.crc64nvme() != null) {
            // S3's whole-object checksum, base64: `aws s3api head-object --checksum-mode ENABLED` shows the same.
            meta.put("crc64nvme", job.crc64nvme());
        }
        return node;
    }

    String single(ObjectNode data) {
        ObjectNode body = mapper.createObjectNode();
        body.set("data", data);
        return body.toString();
    }

    String fileLink(String href) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("data").put("href", href);
        return body.toString();
    }

    /**
     * A page as Elastic Path paginates: {@code links} to the current, first, last, next and previous pages
     * (null where there is none) and {@code meta.page} / {@code meta.results}.
     */
    String page(JobPage page, Function<Job, ObjectNode> render, String collectionUrl) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode data = body.putArray("data");
        page.jobs().forEach(job -> data.add(render.apply(job)));
        int limit = page.limit();
        int pages = Math.max(1, (page.total() + limit - 1) / limit);
        ObjectNode links = body.putObject("links");
        links.put("current", pageUrl(collectionUrl, page.offset(), limit));
        links.put("first", pageUrl(collectionUrl, 0, limit));
        links.put("last", pageUrl(collectionUrl, (pages - 1) * limit, limit));
        links.put("next", page.offset() + limit < page.total()
                ? pageUrl(collectionUrl, page.offset() + limit, limit) : null);
        links.put("prev", page.offset() > 0 ? pageUrl(collectionUrl, Math.max(0, page.offset() - limit), limit) : null);
        ObjectNode meta = body.putObject("meta");
        ObjectNode pageMeta = meta.putObject("page");
        pageMeta.put("limit", limit);
        pageMeta.put("offset", page.offset());
        pageMeta.put("current", page.offset() / limit + 1);
        pageMeta.put("total", pages);
        meta.putObject("results").put("total", page.total());
        return body.toString();
    }

    String error(int status, String detail, String requestId) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("status", status);
        error.put("title", ApiError.title(status));
        error.put("detail", detail);
        error.put("request_id", requestId);
        return body.toString();
    }

    private static String pageUrl(String collectionUrl, int offset, int limit) {
        return collectionUrl + "?page[offset]=" + offset + "&page[limit]=" + limit;
    }

    private static void putIfPresent(ObjectNode node, String name, Long value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
