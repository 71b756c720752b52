package com.orderexport.elasticpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Calls Elastic Path with a client-credentials token it fetches from {@code POST /oauth/access_token} and fetches
 * again shortly before it expires, or once when a call is refused with 401.
 */
public final class ElasticPathClient {

    /** Elastic Path's largest page. */
    public static final int PAGE_LIMIT = 100;
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(1);
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private String token;
    private Instant refreshAt = Instant.MIN;

    /** @param base the API's base URL, e.g. {@code https://useast.api.elasticpath.com} */
    public ElasticPathClient(URI base, String clientId, String clientSecret, HttpClient http, Clock clock) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.http = http;
        this.clock = clock;
    }

    /**
     * One page of {@code GET /v2/orders?include=items}, oldest first: orders created at or after {@code from}
     * (all when null), skipping the first {@code offset} of them.
     */
    public JsonNode ordersPage(Instant from, int offset) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("v2/orders?include=items&sort=created_at&page%5Blimit%5D=")
                .append(PAGE_LIMIT).append("&page%5Boffset%5D=").append(offset);
        if (from != null) {
            // Elastic Path's filters take a date as milliseconds since the epoch.
            query.append("&filter=").append(URLEncoder.encode("ge(created_at," + from.toEpochMilli() + ")",
                    StandardCharsets.UTF_8));
        }
        URI uri = base.resolve(query.toString());
        HttpResponse<String> response = get(uri, token());
        if (response.statusCode() == 401) {
            refreshAt = Instant.MIN;
            response = get(uri, token());
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri.getPath() + " answered " + response.statusCode() + ": " + brief(response.body()));
        }
        return mapper.readTree(response.body());
    }

    private HttpResponse<String> get(URI uri, String bearer) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token() throws IOException, InterruptedException {
        Instant now = clock.instant();
        if (token != null && now.isBefore(refreshAt)) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("oauth/access_token")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the token endpoint answered " + response.statusCode() + ": " + brief(response.body()));
        }
        JsonNode body = mapper.readTree(response.body());
        token = body.path("access_token").asText();
        refreshAt = now.plusSeconds(body.path("expires_in").asLong(3600)).minus(REFRESH_BEFORE_EXPIRY);
        return token;
    }

    private static String brief(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
