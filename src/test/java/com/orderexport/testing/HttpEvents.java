package com.orderexport.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.orderexport.store.StoreId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Builds HTTP API (payload 2.0) events as API Gateway sends them after its JWT authorizer let them in. */
public final class HttpEvents {

    public static final String DOMAIN = "abc123.execute-api.us-east-1.amazonaws.com";

    private final String method;
    private final String path;
    private final Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> claims = new HashMap<>();
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private String body;

    private HttpEvents(String method, String path) {
        this.method = method;
        this.path = path;
    }

    public static HttpEvents request(String method, String path) {
        return new HttpEvents(method, path);
    }

    public HttpEvents store(StoreId store) {
        return claim("store_id", store.value());
    }

    public HttpEvents claim(String name, String value) {
        claims.put(name, value);
        return this;
    }

    public HttpEvents header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    public HttpEvents query(String name, String value) {
        query.put(name, value);
        return this;
    }

    /** A path parameter of the route, as API Gateway names it ({@code store_id} of {@code .../{store_id}}). */
    public HttpEvents pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public HttpEvents body(String json) {
        this.body = json;
        return this;
    }

    public APIGatewayV2HTTPEvent build() {
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                .withClaims(claims).build();
        var authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build();
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath(path).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId(UUID.randomUUID().toString())
                .withDomainName(DOMAIN)
                .withStage("$default")
                .withRouteKey("$default")
                .withHttp(http)
                .withAuthorizer(authorizer)
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("&")))
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(headers)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(context)
                .build();
    }
}
