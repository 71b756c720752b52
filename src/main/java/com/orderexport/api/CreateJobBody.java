package com.orderexport.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.ExportOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v2/jobs} ({@code {"data": {"type": "job", "job_type": ..., "filter": ..., "format": ...,
 * "compression": ..., "columns": [...], "timezone": ..., "rows": ...}}}, the options optional), checked
 * for shape only; what the values mean is {@link JobService}'s to judge. Read with Jackson's streaming parser,
 * which a cold start loads far faster than its object mapper; a key given twice counts the last time.
 */
record CreateJobBody(String jobType, String filter, ExportOptions.Requested options) {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * A member of {@code data} as given: absent, JSON null, a string, a list of strings ({@code list}; null when the
     * value is no array or holds anything but strings), or any other value.
     */
    private record Member(boolean present, boolean isNull, String text, List<String> list) {
        static final Member ABSENT = new Member(false, false, null, null);
    }

    static CreateJobBody parse(String body) throws ApiError {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("The request body is empty; expected {\"data\": {\"job_type\": ..., \"filter\": ...}}");
        }
        Member[] data;
        try (JsonParser json = JSON.createParser(body)) {
            data = dataOf(json);
        } catch (IOException e) {
            throw ApiError.badRequest("The request body is not valid JSON");
        }
        Member type = data[0];
        if (type.present() && !"job".equals(type.text())) {
            throw ApiError.badRequest("data.type must be 'job' when given");
        }
        String jobType = requiredText(data[1], "job_type", "; supported job types: "
                + String.join(", ", JobService.SUPPORTED_JOB_TYPES));
        return new CreateJobBody(jobType, requiredText(data[2], "filter", ""), new ExportOptions.Requested(
                optionalText(data[3], "format"), optionalText(data[4], "compression"), optionalList(data[5], "columns"),
                optionalText(data[6], "timezone"), optionalText(data[7], "rows")));
    }

    /** {@code data}'s type, job_type and filter; reads the whole root value, so any malformed JSON is found. */
    private static Member[] dataOf(JsonParser json) throws IOException, ApiError {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            throw ApiError.badRequest("The request body must be a JSON object");
        }
        Member[] data = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (!name.equals("data")) {
                json.skipChildren();
            } else if (value != JsonToken.START_OBJECT) {
                json.skipChildren();
                data = null;
            } else {
                data = members(json);
            }
        }
        if (data == null) {
            throw ApiError.badRequest("The request body must have a data object");
        }
        return data;
    }

    private static Member[] members(JsonParser json) throws IOException {
        Member[] members = new Member[8];
        java.util.Arrays.fill(members, Member.ABSENT);
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            int index = switch (name) {
                case "type" -> 0;
                case "job_type" -> 1;
                case "filter" -> 2;
                case "format" -> 3;
                case "compression" -> 4;
                case "columns" -> 5;
                case "timezone" -> 6;
                case "rows" -> 7;
                default -> -1;
            };
            if (index >= 0 && value == JsonToken.START_ARRAY) {
                members[index] = new Member(true, false, null, strings(json));
                continue;
            }
            if (index >= 0) {
                members[index] = new Member(true, value == JsonToken.VALUE_NULL,
                        value == JsonToken.VALUE_STRING ? json.getText() : null, null);
            }
            json.skipChildren();
        }
        return members;
    }

    /** The strings of the array at the parser, read to its end; null when it holds anything else. */
    private static List<String> strings(JsonParser json) throws IOException {
        List<String> strings = new ArrayList<>();
        boolean onlyStrings = true;
        for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY; token = json.nextToken()) {
            if (token == JsonToken.VALUE_STRING) {
                strings.add(json.getText());
            } else {
                onlyStrings = false;
                json.skipChildren();
            }
        }
        return onlyStrings ? strings : null;
    }

    /** A list option: absent (or JSON null) takes its default; given, it must be a list of strings. */
    private static Optional<List<String>> optionalList(Member value, String field) throws ApiError {
        if (!value.present() || value.isNull()) {
            return Optional.empty();
        }
        if (value.list() == null) {
            throw ApiError.badRequest("data." + field + " must be a list of strings when given");
        }
        return Optional.of(value.list());
    }

    /** An option: absent (or JSON null) takes its default; given, it must be a string. */
    private static Optional<String> optionalText(Member value, String field) throws ApiError {
        if (!value.present() || value.isNull()) {
            return Optional.empty();
        }
        if (value.text() == null) {
            throw ApiError.badRequest("data." + field + " must be a string when given");
        }
        return Optional.of(value.text());
    }

    private static String requiredText(Member value, String field, String hint) throws ApiError {
        if (!value.present() || value.isNull()) {
            throw ApiError.badRequest("data." + field + " is required" + hint);
        }
        if (value.text() == null) {
            throw ApiError.badRequest("data." + field + " must be a string" + hint);
        }
        if (value.text().isBlank()) {
            throw ApiError.badRequest("data." + field + " must not be blank" + hint);
        }
        return value.text();
    }
}
