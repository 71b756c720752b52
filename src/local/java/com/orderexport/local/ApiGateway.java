package com.orderexport.local;

import com.orderexport.stack.Template;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for API Gateway's HTTP API in front of the Jobs API function: the template's routes, the JWT
 * authorizer (tokens from {@link Tokens}), payload format 2.0 events, and the client-credentials token
 * endpoint Elastic Path clients call first.
 */
final class ApiGateway {

    static final String TOKEN_PATH = "/oauth/access_token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function;
    private final String functionId;
    private final Duration timeout;
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

    ApiGateway(HttpServer server, Template template, String functionId,
               RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function,
               Tokens tokens, DemoClients clients, Clock clock) {
        this.server = server;
        this.function = function;
        this.functionId = functionId;
        this.timeout = Duration.ofSeconds(template.globalOrOwn(functionId, "Timeout").asLong(29));
        for (String route : template.httpRoutesOf(functionId)) {
            if (!"$default".equals(route)) {
                routes.add(RoutePattern.of(route));
            }
        }
        this.hasDefaultRoute = template.httpRoutesOf(functionId).contains("$default");
        this.tokens = tokens;
        this.clients = clients;
        this.clock = clock;
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(4));
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (TOKEN_PATH.equals(exchange.getRequestURI().getPath())) {
                issueToken(exchange);
            } else {
                invokeFunction(exchange);
            }
        } catch (RuntimeException e) {
            System.err.println("api: " + e);
            send(exchange, 500, "application/json", "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    /** Elastic Path's client-credentials grant: form fields in, a bearer token and its expiry out. */
    private void issueToken(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            sendJson(exchange, 405, error(405, "Method Not Allowed", "Use POST to get an access token"));
            return;
        }
        Map<String, String> form = formOf(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            sendJson(exchange, 422, error(422, "Unprocessable Entity", "grant_type must be client_credentials"));
            return;
        }
        Optional<DemoClients.Client> client = clients.authenticate(form.get("client_id"), form.get("client_secret"));
        if (client.isEmpty()) {
            sendJson(exchange, 401, error(401, "Unauthorized", "Invalid client_id or client_secret"));
            return;
        }
        Instant now = clock.instant();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("access_token", tokens.issue(client.get().id(), client.get().store(), now));
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.lifetime().toSeconds());
        body.put("expires", now.plus(tokens.lifetime()).getEpochSecond());
        body.put("identifier", "client_credentials");
        sendJson(exchange, 200, body);
    }

    private void invokeFunction(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        String routeKey = "$default";
        Map<String, String> pathParameters = null;
        for (RoutePattern route : routes) {
            Matcher m = route.path().matcher(path);
            if (route.method().equals(method) && m.matches()) {
                routeKey = route.routeKey();
                pathParameters = new LinkedHashMap<>();
                for (int i = 0; i < route.parameters().size(); i++) {
                    pathParameters.put(route.parameters().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                }
                break;
            }
        }
        if ("$default".equals(routeKey) && !hasDefaultRoute) {
            send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8), Map.of());
            return;
        }
        // The JWT authorizer answers before the function is ever invoked.
        Optional<Map<String, String>> claims = bearerToken(exchange).flatMap(tokens::verify);
        if (claims.isEmpty()) {
            send(exchange, 401, "application/json", "{\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8),
                    Map.of("www-authenticate", "Bearer"));
            return;
        }
        APIGatewayV2HTTPResponse response = function.handleRequest(
                event(exchange, method, path, routeKey, pathParameters, claims.get()),
                new LocalContext(functionId, timeout, 1024));
        byte[] body = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
        send(exchange, response.getStatusCode(), headers.getOrDefault("Content-Type", "application/json"), body, headers);
    }

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, String method, String path, String routeKey,
                                        Map<String, String> pathParameters, Map<String, String> claims) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-for", exchange.getRemoteAddress().getAddress().getHostAddress());
        String rawQuery = exchange.getRequestURI().getRawQuery();
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        Optional<String> text = utf8(bytes);
        Instant now = clock.instant();
        String host = headers.getOrDefault("host", "127.0.0.1");
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                .withProtocol(exchange.getProtocol()).withSourceIp(headers.get("x-forwarded-for"))
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
    private static Map<String, String> queryOf(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
            String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            query.merge(name, value, (a, b) -> a + "," + b);
        }
        return query;
    }

    private static Map<String, String> formOf(String body) {
        return queryOf(body);
    }

    private static Optional<String> bearerToken(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
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

    private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        send(exchange, status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body,
                             Map<String, String> headers) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("apigw-requestid", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

}
