package com.orderexport.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.http.GatewayRequests;
import java.util.HashMap;
import java.util.Map;

/** What both issuer adapters read from an HTTP API event and how they answer: JSON, never cached unless said. */
final class Answers {

    private Answers() {}

    static String method(APIGatewayV2HTTPEvent event) {
        return GatewayRequests.method(event);
    }

    /** The body as text ("" when there is none): HTTP APIs hand form posts over base64-encoded. */
    static String body(APIGatewayV2HTTPEvent event) {
        String body = GatewayRequests.body(event);
        return body == null ? "" : body;
    }

    /** A header by name, whatever its case. */
    static String header(APIGatewayV2HTTPEvent event, String name) {
        return GatewayRequests.header(event, name);
    }

    /** Elastic Path's error body: {@code {"errors":[{"status":..,"title":..,"detail":..}]}}. */
    static ObjectNode error(int status, String title, String detail) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("errors").addObject().put("status", status).put("title", title).put("detail", detail);
        return body;
    }

    static APIGatewayV2HTTPResponse json(int status, JsonNode body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(extraHeaders);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers)
                .withBody(body.toString()).withIsBase64Encoded(false).build();
    }
}
