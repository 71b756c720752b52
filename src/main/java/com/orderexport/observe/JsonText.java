package com.orderexport.observe;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A JSON object written field by field into a string: all the logger, the metric records and the event detail
 * need, without a JSON library on the cold path of a function that may not otherwise load one.
 */
final class JsonText {

    private final StringBuilder out = new StringBuilder(256).append('{');
    private boolean empty = true;

    JsonText field(String name, Object value) {
        key(name);
        value(out, value);
        return this;
    }

    /** A member whose value is already JSON text. */
    JsonText raw(String name, String json) {
        key(name);
        out.append(json);
        return this;
    }

    String close() {
        return out.append('}').toString();
    }

    private void key(String name) {
        if (!empty) {
            out.append(',');
        }
        empty = false;
        string(out, name);
        out.append(':');
    }

    /** Numbers and booleans as themselves, instants in ISO-8601 UTC to the millisecond, anything else as text. */
    static void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Instant instant) {
            string(out, instant.truncatedTo(ChronoUnit.MILLIS).toString());
        } else {
            string(out, value.toString());
        }
    }

    static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Other control characters, and the two line separators some log viewers split on.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
