package com.orderexport.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.orderexport.http.GatewayRequests;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The parts of an HTTP API (payload 2.0) event the handler uses, normalised once: upper-case method, path
 * without a named stage or trailing slash, lower-case header names, decoded body, absent parts as empty values.
 */
record ApiRequest(String method, String path, Map<String, String> headers, Map<String, String> query,
                       String body, Map<String, String> claims, String requestId, String host, String stage) {

static ApiRequest of(APIGatewayV2HTTPEvent event, Context context) {
        var ctx = event.getRequestContext();
        String method = ctx != null && ctx.getHttp() != null ? ctx.getHttp().getMethod() : null;
        String stage = ctx == null || ctx.getStage() == null ? "$default" : ctx.getStage();
        String requestId = ctx != null && ctx.getRequestId() != null ? ctx.getRequestId()
                : context != null ? context.getAwsRequestId() : "unknown";
        Map<String, String> claims = ctx != null && ctx.getAuthorizer() != null
                && ctx.getAuthorizer().getJwt() != null && ctx.getAuthorizer().getJwt().getClaims() != null
                ? ctx.getAuthorizer().getJwt().getClaims() : Map.of();
        Map<String, String> headers = event.getHeaders() == null ? Map.of()
                : event.getHeaders().entrySet().stream().collect(Collectors.toMap(
                        e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, (a, b) -> a + "," + b));
        String host = ctx != null && ctx.getDomainName() != null ? ctx.getDomainName() : headers.get("host");
        return new ApiRequest(
                method == null ? "GET" : method.toUpperCase(Locale.ROOT),
                pathWithoutStage(event.getRawPath(), stage),
                headers,
                event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters(),
                GatewayRequests.body(event),
                claims,
                requestId,
                host,
                stage);
    }

    String header(String name) {
        return headers.get(name);
    }

    /** The API's absolute base URL: the configured public one, else this request's host and stage. */
    String baseUrl(Optional<String> publicBaseUrl) {
        if (publicBaseUrl.isPresent()) {
            return publicBaseUrl.get();
        }
        String proto = headers.getOrDefault("x-forwarded-proto", "https");
        return proto + "://" + host + ("$default".equals(stage) ? "" : "/" + stage);
    }

    private static String pathWithoutStage(String rawPath, String stage) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        // HTTP APIs put a named stage in front of the path; the routes do not include it.
        if (!"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
            path = path.substring(stage.length() + 1);
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
