package com.orderexport.local;

import com.orderexport.stack.Template;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.local.LocalHttpServer.BadRequest;
import com.orderexport.local.LocalHttpServer.Request;
import com.orderexport.local.LocalHttpServer.Response;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for one of the template's HTTP APIs: the routes of every function serving it (an {@code ANY} route
 * takes every method), the JWT authorizer on the routes that have it ({@link JwtAuthorizer}, which reads the
 * issuer's JWKS as API Gateway does), and payload format 2.0 events. Its own errors are JSON, as API Gateway's
 * are: 400 for a request it cannot parse (a malformed URI or escape), 401, 404 without a default route, 413
 * past 10 MB, 500.
 */
final class ApiGateway {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final LocalHttpServer server;
    private final Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions;
    private final Template template;
    private final List<RoutePattern> routes = new ArrayList<>();
    private final Template.HttpRoute defaultRoute;
    private final JwtAuthorizer authorizer;
    private final Clock clock;

    /** A template route ("GET /v2/jobs/{id}") as a matcher that also yields its path parameters. */
    private record RoutePattern(Template.HttpRoute route, String method, Pattern path, List<String> parameters) {

        static RoutePattern of(Template.HttpRoute route) {
            String routeKey = route.routeKey();
            String[] parts = routeKey.split(" ", 2);
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(parts[1]);
            StringBuilder regex = new StringBuilder();
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(parts[1].substring(last, m.start()))).append("([^/]+)");
                names.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(parts[1].substring(last)));
            return new RoutePattern(route, parts[0], Pattern.compile(regex.toString()), names);
        }

        boolean matches(String requestMethod) {
            return method.equals("ANY") || method.equals(requestMethod);
        }
    }

    /**
     * @param functions  the handler of each function serving this API, by logical id
     * @param authorizer the API's JWT authorizer, or null for an API without one
     */
    ApiGateway(LocalHttpServer server, Template template, String apiId,
               Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
               JwtAuthorizer authorizer, Clock clock) {
        this.server = server;
        this.template = template;
        this.functions = Map.copyOf(functions);
        Template.HttpRoute fallback = null;
        for (Template.HttpRoute route : template.httpRoutesOfApi(apiId)) {
            if ("$default".equals(route.routeKey())) {
                fallback = route;
            } else {
                routes.add(RoutePattern.of(route));
            }
        }
        this.defaultRoute = fallback;
        this.authorizer = authorizer;
        this.clock = clock;
    }

    void start() {
        server.start(this::serve, ApiGateway::gatewayError);
    }

    void stop() {
        server.close();
    }

    private Response serve(Request request) {
        try {
            return invokeFunction(request);
        } catch (BadRequest e) {
            return gatewayError(e.status, e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("api: " + e);
            return gatewayError(500, "Internal Server Error");
        }
    }

    /** API Gateway's own errors: JSON with a message, never a page. */
    static Response gatewayError(int status, String message) {
        return gatewayError(status, message, Map.of());
    }

    private static Response gatewayError(int status, String message, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        all.put("apigw-requestid", UUID.randomUUID().toString());
        ObjectNode body = MAPPER.createObjectNode().put("message", message);
        return new Response(status, all, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Response invokeFunction(Request request) throws BadRequest {
        String method = request.method().toUpperCase(Locale.ROOT);
        String path = request.target().getRawPath();
        Template.HttpRoute matched = defaultRoute;
        Map<String, String> pathParameters = null;
        for (RoutePattern route : routes) {
            Matcher m = route.path().matcher(path);
            if (route.matches(method) && m.matches()) {
                matched = route.route();
                pathParameters = new LinkedHashMap<>();
                for (int i = 0; i < route.parameters().size(); i++) {
                    pathParameters.put(route.parameters().get(i), decode(m.group(i + 1)));
                }
                break;
            }
        }
        if (matched == null) {
            return gatewayError(404, "Not Found");
        }
        // The JWT authorizer answers before the function is ever invoked.
        Map<String, String> claims = null;
        if (matched.authorized()) {
            JwtAuthorizer.Verdict verdict = bearerToken(request).map(authorizer::check)
                    .orElse(JwtAuthorizer.Verdict.refused("no bearer token in the Authorization header"));
            if (verdict.claims().isEmpty()) {
                System.err.println("authorizer: 401 for " + method + " " + path + ": " + verdict.refusal());
                return gatewayError(401, "Unauthorized", Map.of("www-authenticate", "Bearer"));
            }
            claims = verdict.claims().get();
        }
        String functionId = matched.functionId();
        APIGatewayV2HTTPResponse response = functions.get(functionId).handleRequest(
                event(request, method, path, matched.routeKey(), pathParameters, claims),
                new LocalContext(functionId, Duration.ofSeconds(template.globalOrOwn(functionId, "Timeout").asLong(29)),
                        template.globalOrOwn(functionId, "MemorySize").asInt(128)));
        byte[] body = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>(response.getHeaders() == null ? Map.of() : response.getHeaders());
        if (headers.keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
            headers.put("Content-Type", "application/json");
        }
        headers.put("apigw-requestid", UUID.randomUUID().toString());
        return new Response(response.getStatusCode(), headers, body);
    }

    private APIGatewayV2HTTPEvent event(Request request, String method, String path, String routeKey,
                                        Map<String, String> pathParameters, Map<String, String> claims) throws BadRequest {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-for", request.remote().getHostAddress());
        String rawQuery = request.target().getRawQuery();
        byte[] bytes = request.body();
        Optional<String> text = utf8(bytes);
        Instant now = clock.instant();
        String host = headers.getOrDefault("host", "127.0.0.1");
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                .withProtocol(request.protocol()).withSourceIp(headers.get("x-forwarded-for"))
                .withUserAgent(headers.get("user-agent")).build();
        // A route without an authorizer gets no authorizer context, as in API Gateway.
        var authorizer = claims == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("000000000000").withApiId("local").withDomainName(host)
                .withDomainPrefix(host.split("[.:]")[0]).withRequestId(UUID.randomUUID().toString())
                .withRouteKey(routeKey).withStage("$default").withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli()).withHttp(http).withAuthorizer(authorizer).build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withQueryStringParameters(rawQuery == null ? null : queryOf(rawQuery))
                .withPathParameters(pathParameters)
                .withHeaders(headers)
                .withBody(bytes.length == 0 ? null : text.orElseGet(() -> Base64.getEncoder().encodeToString(bytes)))
                .withIsBase64Encoded(bytes.length > 0 && text.isEmpty())
                .withRequestContext(context)
                .build();
    }

    /** Repeated parameters are joined with commas, as API Gateway does. */
    private static Map<String, String> queryOf(String rawQuery) throws BadRequest {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            String name = decode(kv[0]);
            String value = kv.length > 1 ? decode(kv[1]) : "";
            query.merge(name, value, (a, b) -> a + "," + b);
        }
        return query;
    }

    /** Percent-decoding as API Gateway does it; a malformed escape is the client's error, in JSON. */
    private static String decode(String text) throws BadRequest {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(400, "Bad Request");
        }
    }

    private static Optional<String> bearerToken(Request request) {
        String header = request.header("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException binary) {
            return Optional.empty();
        }
    }
}
