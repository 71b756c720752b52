package com.orderexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * EventBridge's event-pattern matching, the part of it the stack's rules use: a pattern is an object whose fields
 * the event must have, an object field matches the event's object field by field, and an array lists the values
 * one of which the event's value must be (exact match of strings, numbers, booleans and null; an array value in
 * the event matches when any of its elements does). Content filters ({@code prefix}, {@code anything-but},
 * {@code numeric}, {@code exists}, ...) are not matched: a pattern with one is refused, never guessed at.
 */
final class EventPatterns {

    private EventPatterns() {}

    /** @throws IllegalArgumentException for a pattern with a content filter, which this does not reproduce */
    static boolean matches(JsonNode pattern, JsonNode event) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            JsonNode value = event.path(field.getKey());
            JsonNode wanted = field.getValue();
            if (wanted.isObject()) {
                if (!value.isObject() || !matches(wanted, value)) {
                    return false;
                }
            } else if (wanted.isArray()) {
                if (!anyOf(wanted, value)) {
                    return false;
                }
            } else {
                throw new IllegalArgumentException("a pattern's values are arrays or objects, not " + wanted);
            }
        }
        return true;
    }

    private static boolean anyOf(JsonNode values, JsonNode value) {
        if (value.isMissingNode()) {
            for (JsonNode wanted : values) {
                checkExact(wanted);
            }
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (anyOf(values, element)) {
                    return true;
                }
            }
            return false;
        }
        for (JsonNode wanted : values) {
            checkExact(wanted);
            if (wanted.isNumber() && value.isNumber() ? wanted.decimalValue().compareTo(value.decimalValue()) == 0
                    : wanted.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void checkExact(JsonNode wanted) {
        if (wanted.isContainerNode()) {
            throw new IllegalArgumentException("content filters are not reproduced locally: " + wanted);
        }
    }
}
