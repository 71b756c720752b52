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
 * Stands in for API Gateway's HTTP API in front of the Jobs API function: the template's routes, the JWT
 * authorizer (tokens from {@link Tokens}), payload format 2.0 events, and the client-credentials token
 * endpoint Elastic Path clients call first. Its own errors are JSON, as API Gateway's are: 400 for a request
 * it cannot parse (a malformed URI or escape), 401, 404 without a default route, 405 with {@code Allow} on
 * the token route, 413 past 10 MB, 500.
 */
final class ApiGateway {

    static final String TOKEN_PATH = "/oauth/access_token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final LocalHttpServer server;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function;
    private final String functionId;
    private final Duration timeout;
    private final int memoryMb;
    private final List<RoutePattern> routes = new ArrayList<>();
    private final boolean hasDefaultRoute;
    private final Tokens tokens;
    private final DemoClients clients;
    private final Clock clock;

    /** A template route ("GET /v2/jobs/{id}") as a matcher that also yields its path parameters. */
    private record RoutePattern(String routeKey, String method, Pattern path, List<String> parameters) {

        static RoutePattern of(String routeKey) {
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
            return new RoutePattern(routeKey, parts[0], Pattern.compile(regex.toString()), names);
        }
    }

    ApiGateway(LocalHttpServer server, Template template, String functionId,
               RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function,
               Tokens tokens, DemoClients clients, Clock clock) {
        this.server = server;
        this.function = function;
        this.functionId = functionId;
        this.timeout = Duration.ofSeconds(template.globalOrOwn(functionId, "Timeout").asLong(29));
        this.memoryMb = template.globalOrOwn(functionId, "MemorySize").asInt(128);
        for (String route : template.httpRoutesOf(functionId)) {
            if (!"$default".equals(route)) {
                routes.add(RoutePattern.of(route));
            }
        }
        this.hasDefaultRoute = template.httpRoutesOf(functionId).contains("$default");
        this.tokens = tokens;
        this.clients = clients;
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
            if (TOKEN_PATH.equals(request.target().getRawPath())) {
                return issueToken(request);
            }
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

    /** Elastic Path's client-credentials grant: form fields in, a bearer token and its expiry out. */
    private Response issueToken(Request request) throws BadRequest {
        if (!"POST".equals(request.method())) {
            return json(405, error(405, "Method Not Allowed", "Use POST to get an access token"), Map.of("Allow", "POST"));
        }
        Map<String, String> form = formOf(new String(request.body(), StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return json(422, error(422, "Unprocessable Entity", "grant_type must be client_credentials"), Map.of());
        }
        Optional<DemoClients.Client> client = clients.authenticate(form.get("client_id"), form.get("client_secret"));
        if (client.isEmpty()) {
            return json(401, error(401, "Unauthorized", "Invalid client_id or client_secret"), Map.of());
        }
        Instant now = clock.instant();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("access_token", tokens.issue(client.get().id(), client.get().store(), now));
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.lifetime().toSeconds());
        body.put("expires", now.plus(tokens.lifetime()).getEpochSecond());
        body.put("identifier", "client_credentials");
        return json(200, body, Map.of());
    }

    private Response invokeFunction(Request request) throws BadRequest {
        String method = request.method().toUpperCase(Locale.ROOT);
        String path = request.target().getRawPath();
        String routeKey = "$default";
        Map<String, String> pathParameters = null;
        for (RoutePattern route : routes) {
            Matcher m = route.path().matcher(path);
            if (route.method().equals(method) && m.matches()) {
                routeKey = route.routeKey();
                pathParameters = new LinkedHashMap<>();
                for (int i = 0; i < route.parameters().size(); i++) {
                    pathParameters.put(route.parameters().get(i), decode(m.group(i + 1)));
                }
                break;
            }
        }
        if ("$default".equals(routeKey) && !hasDefaultRoute) {
            return gatewayError(404, "Not Found");
        }
        // The JWT authorizer answers before the function is ever invoked.
        Optional<Map<String, String>> claims = bearerToken(request).flatMap(tokens::verify);
        if (claims.isEmpty()) {
            return gatewayError(401, "Unauthorized", Map.of("www-authenticate", "Bearer"));
        }
        APIGatewayV2HTTPResponse response = function.handleRequest(
                event(request, method, path, routeKey, pathParameters, claims.get()),
                new LocalContext(functionId, timeout, memoryMb));
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
        var authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
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

    private static Map<String, String> formOf(String body) throws BadRequest {
        return queryOf(body);
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

    private static ObjectNode error(int status, String title, String detail) {
        ObjectNode body = MAPPER.createObjectNode();
        body.putArray("errors").addObject().put("status", status).put("title", title).put("detail", detail);
        return body;
    }

    private static Response json(int status, ObjectNode body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        all.put("apigw-requestid", UUID.randomUUID().toString());
        return new Response(status, all, body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
