package com.orderexport.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.jobs.JobService;

/**
 * The body of {@code POST /v2/jobs} ({@code {"data": {"type": "job", "job_type": ..., "filter": ...}}}), checked
 * for shape only; what the values mean is {@link JobService}'s to judge.
 */
record CreateJobBody(String jobType, String filter) {

    static CreateJobBody parse(ObjectMapper mapper, String body) throws ApiError {
        JsonNode data = dataOf(mapper, body);
        JsonNode type = data.get("type");
        if (type != null && !"job".equals(type.textValue())) {
            throw ApiError.badRequest("data.type must be 'job' when given");
        }
        String jobType = requiredText(data, "job_type", "; supported job types: "
                + String.join(", ", JobService.SUPPORTED_JOB_TYPES));
        return new CreateJobBody(jobType, requiredText(data, "filter", ""));
    }

    private static JsonNode dataOf(ObjectMapper mapper, String body) throws ApiError {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("The request body is empty; expected {\"data\": {\"job_type\": ..., \"filter\": ...}}");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw ApiError.badRequest("The request body must have a data object");
        }
        return data;
    }

    private static String requiredText(JsonNode data, String field, String hint) throws ApiError {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.badRequest("data." + field + " is required" + hint);
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("data." + field + " must be a string" + hint);
        }
        if (value.textValue().isBlank()) {
            throw ApiError.badRequest("data." + field + " must not be blank" + hint);
        }
        return value.textValue();
    }
}
