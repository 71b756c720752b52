package com.orderexport.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * What every HTTP API (payload 2.0) adapter reads the same way from an event: the method, the body as text and a
 * header by name. Adapters may not import each other, so they share this instead.
 */
public final class GatewayRequests {

    private GatewayRequests() {}

    /** The method in upper case; GET when the event has none (a hand-written test event, say). */
    public static String method(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        String method = context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
        return method == null ? "GET" : method.toUpperCase(Locale.ROOT);
    }

    /**
     * The body as text, or null when there is none. HTTP APIs hand binary and form bodies over base64-encoded;
     * one marked base64 that does not decode is kept as sent, so it fails as whatever the body should have been.
     */
    public static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            try {
                return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return body;
            }
        }
        return body;
    }

    /** A header by name, whatever its case; null when absent. */
    public static String header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
