package com.orderexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.jobs.JobService;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The create body is judged exactly as it was when it was read into a Jackson tree (the reference below): the
 * same body gives the same job type and filter, or the same 400 detail.
 */
class CreateJobBodyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> VALUES = List.of("\"job\"", "\"order_export\"", "\"eq(status,paid)\"", "\"\"",
            "\"  \"", "null", "1", "true", "{}", "[]", "{\"a\": [1, {\"b\": null}]}", "\"Jöb\"");
    private static final List<String> DATA_KEYS = List.of("type", "job_type", "filter", "other");

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "null", "[]", "[1, 2", "{", "{}", "1", "\"x\"", "{\"data\": 1}",
        "{\"data\": null}", "{\"data\": []}", "{\"data\": {}}", "{\"data\": {}, \"data\": 2}",
        "{\"data\": 2, \"data\": {\"job_type\": \"order_export\", \"filter\": \"eq(status,paid)\"}}",
        "{\"data\": {\"job_type\": \"order_export\", \"filter\": \"eq(status,paid)\"}}",
        "{\"data\": {\"type\": \"job\", \"job_type\": \"order_export\", \"filter\": \"eq(status,paid)\"}} trailing",
        "{\"data\": {\"type\": null, \"job_type\": \"order_export\", \"filter\": \"x\"}}",
        "{\"data\": {\"job_type\": \"order_export\", \"filter\": \"x\"}, \"other\": [1, }",
        "{\"data\": {\"job_type\": 5, \"filter\": {}}}", "{\"data\": {\"job_type\": \"a\", \"job_type\": \" \"}}"})
    void parse_judgesEachBodyAsTheTreeDid(String body) {
        assertThat(outcome(body)).isEqualTo(reference(body));
    }

    @Property(tries = 2000)
    void parse_judgesGeneratedBodiesAsTheTreeDid(@ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder data = new StringBuilder("{");
        int members = random.nextInt(5);
        for (int i = 0; i < members; i++) {
            data.append(i == 0 ? "" : ", ").append('"').append(DATA_KEYS.get(random.nextInt(DATA_KEYS.size())))
                    .append("\": ").append(VALUES.get(random.nextInt(VALUES.size())));
        }
        data.append('}');
        String body = switch (random.nextInt(5)) {
            case 0 -> "{\"data\": " + VALUES.get(random.nextInt(VALUES.size())) + ", \"data\": " + data + "}";
            case 1 -> "{\"data\": " + data + ", \"data\": " + VALUES.get(random.nextInt(VALUES.size())) + "}";
            case 2 -> "{\"meta\": " + data + ", \"data\": " + data + (random.nextBoolean() ? "" : ", ") + "}";
            default -> "{\"data\": " + data + "}";
        };

        assertThat(outcome(body)).as(body).isEqualTo(reference(body));
    }

    private static String outcome(String body) {
        try {
            CreateJobBody parsed = CreateJobBody.parse(body);
            return parsed.jobType() + " / " + parsed.filter();
        } catch (ApiError e) {
            return e.status() + " " + e.detail();
        }
    }

    /** How the body was read before: into a tree, then checked member by member. */
    private static String reference(String body) {
        if (body == null || body.isBlank()) {
            return "400 The request body is empty; expected {\"data\": {\"job_type\": ..., \"filter\": ...}}";
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return "400 The request body is not valid JSON";
        }
        if (root == null || !root.isObject()) {
            return "400 The request body must be a JSON object";
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            return "400 The request body must have a data object";
        }
        JsonNode type = data.get("type");
        if (type != null && !"job".equals(type.textValue())) {
            return "400 data.type must be 'job' when given";
        }
        String hint = "; supported job types: " + String.join(", ", JobService.SUPPORTED_JOB_TYPES);
        String jobType = requiredText(data, "job_type", hint);
        if (jobType.startsWith("400 ")) {
            return jobType;
        }
        String filter = requiredText(data, "filter", "");
        return filter.startsWith("400 ") ? filter : jobType + " / " + filter;
    }

    private static String requiredText(JsonNode data, String field, String hint) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return "400 data." + field + " is required" + hint;
        }
        if (!value.isTextual()) {
            return "400 data." + field + " must be a string" + hint;
        }
        if (value.textValue().isBlank()) {
            return "400 data." + field + " must not be blank" + hint;
        }
        return value.textValue();
    }
}
