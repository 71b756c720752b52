package com.orderexport.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobPage;
import com.orderexport.schedules.Deliveries;
import com.orderexport.schedules.Schedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * Renders jobs, pages, file links and errors as the Elastic Path Jobs API's JSON bodies. Written with Jackson's
 * streaming generator, not its object mapper: a cold start then loads a few dozen classes instead of several
 * hundred, and the bodies are the same compact JSON.
 */
final class JsonApi {

    /** What Elastic Path shows for a job that was never updated (Go's zero time). */
    static final String NEVER = "0001-01-01T00:00:00Z";

    // Thread-safe once built.
    private static final JsonFactory JSON = new JsonFactory();

    /** Writes one JSON value. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** A job as the {@code data} of a response: an object, as JSON text. */
    String job(Job job, String selfUrl, String fileHref) {
        return render(json -> {
            json.writeStartObject();
            json.writeStringField("type", "job");
            json.writeStringField("id", job.id());
            json.writeStringField("job_type", job.jobType());
            json.writeStringField("status", job.status().wire());
            if (job.error() != null) {
                json.writeStringField("error", job.error());
            }
            json.writeObjectFieldStart("link");
            json.writeStringField("href", fileHref);
            json.writeEndObject();
            json.writeObjectFieldStart("links");
            json.writeStringField("self", selfUrl);
            json.writeEndObject();
            json.writeObjectFieldStart("timestamps");
            json.writeStringField("created_at", job.createdAt().toString());
            json.writeStringField("updated_at", job.updatedAt() == null ? NEVER : job.updatedAt().toString());
            json.writeEndObject();
            json.writeObjectFieldStart("meta");
            json.writeStringField("filter", job.filter());
            json.writeStringField("format", job.options().format());
            json.writeStringField("compression", job.options().compression());
            if (!job.options().columns().isEmpty()) {
                json.writeArrayFieldStart("columns");
                for (String column : job.options().columns()) {
                    json.writeString(column);
                }
                json.writeEndArray();
            }
            json.writeStringField("timezone", job.options().timezone());
            json.writeStringField("rows", job.options().rows());
            json.writeStringField("expires_at", job.expiresAt().toString());
            if (job.scheduled() != null) {
                json.writeStringField("schedule_id", job.scheduled().scheduleId());
                json.writeStringField("due_at", job.scheduled().dueAt().toString());
                if (job.scheduled().incremental()) {
                    // The updated_at window the run covers: from inclusive (absent on a first run), to exclusive.
                    json.writeObjectFieldStart("window");
                    if (job.scheduled().windowFrom() != null) {
                        json.writeStringField("from", job.scheduled().windowFrom().toString());
                    }
                    json.writeStringField("to", job.scheduled().windowTo().toString());
                    json.writeEndObject();
                }
            }
            writeIfPresent(json, "rows_exported", job.rowsExported());
            // How far it got is news while it runs, and 1 once complete; a failed or cancelled job's is not.
            if (job.progress() != null && job.status() != JobStatus.FAILED && job.status() != JobStatus.CANCELLED) {
                json.writeNumberField("progress", job.progress().share());
                if (!job.status().isFinal() && job.progress().estimatedCompletionAt() != null) {
                    json.writeStringField("estimated_completion_at", job.progress().estimatedCompletionAt().toString());
                }
            }
            writeIfPresent(json, "row_count", job.rowCount());
            writeIfPresent(json, "file_size", job.fileSize());
            if (job.crc64nvme() != null) {
                // S3's whole-object checksum, base64: `aws s3api head-object --checksum-mode ENABLED` shows the same.
                json.writeStringField("crc64nvme", job.crc64nvme());
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * A job schedule as the {@code data} of a response: what each run exports, when runs are due, and in
     * {@code meta} where the series stands (the next due time, the watermark an incremental series has reached, the
     * run under way and the last decided one).
     */
    /** @param notifySecret the secret header of the schedule's deliveries, given once, when it is created */
    String schedule(Schedule schedule, String selfUrl, String runsUrl, String notifySecret) {
        return render(json -> {
            json.writeStartObject();
            json.writeStringField("type", "job_schedule");
            json.writeStringField("id", schedule.id());
            json.writeStringField("job_type", schedule.jobType());
            if (!schedule.filter().isEmpty()) {
                json.writeStringField("filter", schedule.filter());
            }
            json.writeStringField("format", schedule.options().format());
            json.writeStringField("compression", schedule.options().compression());
            if (!schedule.options().columns().isEmpty()) {
                json.writeArrayFieldStart("columns");
                for (String column : schedule.options().columns()) {
                    json.writeString(column);
                }
                json.writeEndArray();
            }
            json.writeStringField("timezone", schedule.options().timezone());
            json.writeStringField("rows", schedule.options().rows());
            json.writeStringField("every", schedule.every());
            if (!schedule.at().isEmpty()) {
                json.writeStringField("at", schedule.at());
            }
            json.writeStringField("at_timezone", schedule.atTimezone());
            json.writeBooleanField("incremental", schedule.incremental());
            if (schedule.notifyUrl() != null) {
                json.writeStringField("notify_url", schedule.notifyUrl());
                if (notifySecret != null) {
                    json.writeObjectFieldStart("notify_header");
                    json.writeStringField("name", Deliveries.SECRET_HEADER);
                    json.writeStringField("value", notifySecret);
                    json.writeEndObject();
                }
            }
            json.writeObjectFieldStart("links");
            json.writeStringField("self", selfUrl);
            json.writeStringField("runs", runsUrl);
            json.writeEndObject();
            json.writeObjectFieldStart("timestamps");
            json.writeStringField("created_at", schedule.createdAt().toString());
            json.writeEndObject();
            Schedule.Progress progress = schedule.progress();
            json.writeObjectFieldStart("meta");
            json.writeStringField("next_due_at", progress.nextDue().toString());
            if (progress.watermark() != null) {
                json.writeStringField("exported_up_to", progress.watermark().toString());
            }
            if (progress.open() != null) {
                json.writeObjectFieldStart("current_run");
                json.writeStringField("due_at", progress.open().dueAt().toString());
                if (progress.open().jobId() != null) {
                    json.writeStringField("job_id", progress.open().jobId());
                }
                json.writeEndObject();
            }
            if (progress.lastJobId() != null) {
                json.writeObjectFieldStart("last_run");
                json.writeStringField("due_at", progress.lastDue().toString());
                json.writeStringField("job_id", progress.lastJobId());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** A store's schedules, all of them (a store has few): {@code data} and {@code meta.results.total}. */
    String schedules(List<String> rendered) {
        return render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("data");
            for (String schedule : rendered) {
                json.writeRawValue(schedule);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("meta");
            json.writeObjectFieldStart("results");
            json.writeNumberField("total", rendered.size());
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** {@code {"data": <data>}} for a rendered job. */
    String single(String data) {
        return render(json -> {
            json.writeStartObject();
            json.writeFieldName("data");
            json.writeRawValue(data);
            json.writeEndObject();
        });
    }

    String fileLink(String href) {
        return render(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("data");
            json.writeStringField("href", href);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * A page as Elastic Path paginates: {@code links} to the current, first, last, next and previous pages
     * (null where there is none) and {@code meta.page} / {@code meta.results}.
     */
    String page(JobPage page, Function<Job, String> render, String collectionUrl) {
        return page(page, render, collectionUrl, "");
    }

    /** {@link #page(JobPage, Function, String)} of a filtered list: every link keeps the filter. */
    String page(JobPage page, Function<Job, String> render, String collectionUrl, String filter) {
        int limit = page.limit();
        int pages = Math.max(1, (page.total() + limit - 1) / limit);
        return render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("data");
            for (Job job : page.jobs()) {
                json.writeRawValue(render.apply(job));
            }
            json.writeEndArray();
            json.writeObjectFieldStart("links");
            json.writeStringField("current", pageUrl(collectionUrl, page.offset(), limit, filter));
            json.writeStringField("first", pageUrl(collectionUrl, 0, limit, filter));
            json.writeStringField("last", pageUrl(collectionUrl, (pages - 1) * limit, limit, filter));
            json.writeStringField("next", page.offset() + limit < page.total()
                    ? pageUrl(collectionUrl, page.offset() + limit, limit, filter) : null);
            json.writeStringField("prev", page.offset() > 0
                    ? pageUrl(collectionUrl, Math.max(0, page.offset() - limit), limit, filter) : null);
            json.writeEndObject();
            json.writeObjectFieldStart("meta");
            json.writeObjectFieldStart("page");
            json.writeNumberField("limit", limit);
            json.writeNumberField("offset", page.offset());
            json.writeNumberField("current", page.offset() / limit + 1);
            json.writeNumberField("total", pages);
            json.writeEndObject();
            json.writeObjectFieldStart("results");
            json.writeNumberField("total", page.total());
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    String error(int status, String detail, String requestId) {
        return render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("errors");
            json.writeStartObject();
            json.writeNumberField("status", status);
            json.writeStringField("title", ApiError.title(status));
            json.writeStringField("detail", detail);
            json.writeStringField("request_id", requestId);
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static String render(Body body) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a string cannot fail to be written", e);
        }
        return text.toString();
    }

    private static String pageUrl(String collectionUrl, int offset, int limit, String filter) {
        String url = collectionUrl + "?page[offset]=" + offset + "&page[limit]=" + limit;
        return filter.isEmpty() ? url : url + "&filter=" + java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    private static void writeIfPresent(JsonGenerator json, String name, Long value) throws IOException {
        if (value != null) {
            json.writeNumberField(name, value);
        }
    }
}
