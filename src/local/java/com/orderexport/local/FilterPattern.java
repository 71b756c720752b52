package com.orderexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The part of Lambda's event filtering (EventBridge pattern syntax) that template.yaml's FilterCriteria uses:
 * nested objects, and arrays of allowed literal values. Anything else in a pattern is refused loudly, so a
 * template change the stand-in cannot honour fails a test instead of being ignored.
 */
public final class FilterPattern {

    private final JsonNode pattern;

    public FilterPattern(JsonNode pattern) {
        this.pattern = pattern;
    }

    public boolean matches(JsonNode event) {
        return matches(pattern, event);
    }

    private static boolean matches(JsonNode pattern, JsonNode value) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            JsonNode expected = field.getValue();
            JsonNode actual = value == null ? null : value.get(field.getKey());
            if (expected.isObject()) {
                if (actual == null || !actual.isObject() || !matches(expected, actual)) {
                    return false;
                }
            } else if (expected.isArray()) {
                if (actual == null || !anyEquals(expected, actual)) {
                    return false;
                }
            } else {
                throw new IllegalArgumentException("unsupported filter pattern element: " + expected);
            }
        }
        return true;
    }

    private static boolean anyEquals(JsonNode allowed, JsonNode actual) {
        for (JsonNode candidate : allowed) {
            if (!candidate.isValueNode()) {
                throw new IllegalArgumentException("unsupported filter pattern rule: " + candidate);
            }
            if (candidate.equals(actual)) {
                return true;
            }
        }
        return false;
    }
}
