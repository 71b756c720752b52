package com.orderexport.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code data} object of a JSON:API request body, its named members read for shape: absent, null, a string, a
 * boolean, a list of strings, or some other value. Read with Jackson's streaming parser, which a cold start loads far
 * faster than its object mapper; the whole body is read, so any malformed JSON is found; a key given twice counts the
 * last time.
 */
final class DataObject {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * A member as given: JSON null, a string, a boolean, a list of strings ({@code list}; null when the value is no
     * array or holds anything but strings), or any other value (all of them null).
     */
    private record Member(boolean isNull, String text, Boolean bool, List<String> list) {}

    private final Map<String, Member> members;

    private DataObject(Map<String, Member> members) {
        this.members = members;
    }

    /**
     * Reads the body's {@code data} members named in {@code names}.
     *
     * @param shape what a body should look like, for the message of an empty one
     */
    static DataObject parse(String body, Set<String> names, String shape) throws ApiError {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("The request body is empty; expected " + shape);
        }
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                json.skipChildren();
                throw ApiError.badRequest("The request body must be a JSON object");
            }
            Map<String, Member> data = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (!name.equals("data")) {
                    json.skipChildren();
                } else if (value != JsonToken.START_OBJECT) {
                    json.skipChildren();
                    data = null;
                } else {
                    data = members(json, names);
                }
            }
            if (data == null) {
                throw ApiError.badRequest("The request body must have a data object");
            }
            return new DataObject(data);
        } catch (IOException e) {
            throw ApiError.badRequest("The request body is not valid JSON");
        }
    }

    private static Map<String, Member> members(JsonParser json, Set<String> names) throws IOException {
        Map<String, Member> members = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (!names.contains(name)) {
                json.skipChildren();
            } else if (value == JsonToken.START_ARRAY) {
                members.put(name, new Member(false, null, null, strings(json)));
            } else {
                members.put(name, new Member(value == JsonToken.VALUE_NULL,
                        value == JsonToken.VALUE_STRING ? json.getText() : null,
                        value == JsonToken.VALUE_TRUE ? Boolean.TRUE : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null,
                        null));
                json.skipChildren();
            }
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

    private Optional<Member> given(String field) {
        return Optional.ofNullable(members.get(field)).filter(m -> !m.isNull());
    }

    /** {@code data.type}, when given, must be this type. */
    void requireType(String type) throws ApiError {
        Member given = members.get("type");
        if (given != null && !type.equals(given.text())) {
            throw ApiError.badRequest("data.type must be '" + type + "' when given");
        }
    }

    /** A required string; {@code hint} ends each refusal (what values are accepted). */
    String requiredText(String field, String hint) throws ApiError {
        Member value = given(field).orElseThrow(() -> ApiError.badRequest("data." + field + " is required" + hint));
        if (value.text() == null) {
            throw ApiError.badRequest("data." + field + " must be a string" + hint);
        }
        if (value.text().isBlank()) {
            throw ApiError.badRequest("data." + field + " must not be blank" + hint);
        }
        return value.text();
    }

    /** An option: absent (or JSON null) takes its default; given, it must be a string. */
    Optional<String> optionalText(String field) throws ApiError {
        Optional<Member> value = given(field);
        if (value.isPresent() && value.get().text() == null) {
            throw ApiError.badRequest("data." + field + " must be a string when given");
        }
        return value.map(Member::text);
    }

    /** A list option: absent (or JSON null) takes its default; given, it must be a list of strings. */
    Optional<List<String>> optionalList(String field) throws ApiError {
        Optional<Member> value = given(field);
        if (value.isPresent() && value.get().list() == null) {
            throw ApiError.badRequest("data." + field + " must be a list of strings when given");
        }
        return value.map(Member::list);
    }

    /** A flag: absent (or JSON null) is false; given, it must be true or false. */
    boolean optionalFlag(String field) throws ApiError {
        Optional<Member> value = given(field);
        if (value.isPresent() && value.get().bool() == null) {
            throw ApiError.badRequest("data." + field + " must be true or false when given");
        }
        return value.map(Member::bool).orElse(false);
    }
}
