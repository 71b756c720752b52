package com.orderexport.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the two Elastic Path endpoints the backfill calls, on a loopback port: {@code POST
 * /oauth/access_token} (client credentials) and {@code GET /v2/orders?include=items} over generated orders, with
 * Elastic Path's limits: pages of at most 100, offsets of at most 10,000, {@code sort=created_at} and
 * {@code filter=ge(created_at,<epoch ms>)}. It can drop its tokens every few requests, as tokens lapse.
 */
public final class ElasticPathStandIn implements AutoCloseable {

    public static final int MAX_OFFSET = 10_000;
    public static final int MAX_LIMIT = 100;
    private static final Pattern GE_CREATED_AT = Pattern.compile("ge\\(created_at,(\\d+)\\)");

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final String clientId;
    private final String clientSecret;
    private final List<ObjectNode> orders;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger orderRequests = new AtomicInteger();
    private final AtomicInteger largestOffset = new AtomicInteger();
    private volatile int dropTokensEvery = Integer.MAX_VALUE;

    private ElasticPathStandIn(String clientId, String clientSecret, List<ObjectNode> orders) throws IOException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.orders = orders;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oauth/access_token", this::token);
        server.createContext("/v2/orders", this::orders);
        server.start();
    }

    /**
     * {@code count} orders from 2018 on, one a minute, but with runs that share a millisecond: every third
     * order has its predecessor's creation time, and the 150 orders from {@code count / 2} on share one (more
     * than a page). Sorted as Elastic Path sorts them: created_at, then id.
     */
    public static ElasticPathStandIn withGeneratedOrders(int count, String clientId, String clientSecret) {
        List<ObjectNode> orders = new ArrayList<>(count);
        ObjectMapper mapper = new ObjectMapper();
        Instant created = Instant.parse("2018-01-01T00:00:00.123Z");
        for (int i = 0; i < count; i++) {
            boolean tied = i % 3 == 2 || (i > count / 2 && i < count / 2 + 150);
            if (!tied) {
                created = created.plusSeconds(60);
            }
            orders.add(order(mapper, String.format("ep-order-%06d", i), created));
        }
        try {
            return new ElasticPathStandIn(clientId, clientSecret, orders);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode order(ObjectMapper mapper, String id, Instant created) {
        ObjectNode data = mapper.createObjectNode();
        data.put("type", "order").put("id", id).put("status", "complete").put("payment", "paid").put("shipping", "fulfilled");
        data.putObject("customer").put("name", "Ron Swanson").put("email", "ron@example.com");
        ObjectNode meta = data.putObject("meta");
        meta.putObject("display_price").putObject("with_tax").put("amount", 1000).put("currency", "USD").put("formatted", "$10.00");
        meta.putObject("timestamps").put("created_at", created.toString()).put("updated_at", created.plusSeconds(5).toString());
        data.putObject("relationships").putObject("items").putArray("data").addObject().put("type", "item").put("id", id + "-item");
        return data;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every order as a {@code GET /v2/orders/{id}?include=items} document, oldest first. */
    public List<ObjectNode> documents() {
        List<ObjectNode> documents = new ArrayList<>();
        for (ObjectNode order : orders) {
            ObjectNode document = mapper.createObjectNode();
            document.set("data", order.deepCopy());
            document.putObject("included").putArray("items").add(item(order));
            documents.add(document);
        }
        return documents;
    }

    /** From now on, every token stops working after this many order requests. */
    public ElasticPathStandIn droppingTokensEvery(int requests) {
        this.dropTokensEvery = requests;
        return this;
    }

    public int orderRequests() {
        return orderRequests.get();
    }

    public int largestOffset() {
        return largestOffset.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = parameters(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"POST".equals(exchange.getRequestMethod()) || !"client_credentials".equals(form.get("grant_type"))) {
            answer(exchange, 400, error(400, "Bad Request", "grant_type must be client_credentials"));
        } else if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            answer(exchange, 401, error(401, "Unauthorized", "The client credentials are not valid"));
        } else {
            String token = UUID.randomUUID().toString();
            tokens.add(token);
            ObjectNode body = mapper.createObjectNode().put("access_token", token).put("token_type", "Bearer")
                    .put("expires", Instant.now().getEpochSecond() + 3600).put("expires_in", 3600)
                    .put("identifier", "client_credentials");
            answer(exchange, 200, body);
        }
    }

    private void orders(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !tokens.contains(authorization.replaceFirst("^Bearer ", ""))) {
            answer(exchange, 401, error(401, "Unauthorized", "The access token is not valid"));
            return;
        }
        if (orderRequests.incrementAndGet() % dropTokensEvery == 0) {
            tokens.clear();
        }
        Map<String, String> query = parameters(exchange.getRequestURI().getRawQuery());
        int limit = Integer.parseInt(query.getOrDefault("page[limit]", "25"));
        int offset = Integer.parseInt(query.getOrDefault("page[offset]", "0"));
        largestOffset.accumulateAndGet(offset, Math::max);
        if (limit < 1 || limit > MAX_LIMIT) {
            answer(exchange, 400, error(400, "Bad Request", "page[limit] must be between 1 and " + MAX_LIMIT));
            return;
        }
        if (offset > MAX_OFFSET) {
            answer(exchange, 400, error(400, "Bad Request", "page[offset] must be at most " + MAX_OFFSET));
            return;
        }
        if (!"created_at".equals(query.get("sort")) || !"items".equals(query.get("include"))) {
            answer(exchange, 400, error(400, "Bad Request", "the stand-in serves sort=created_at&include=items only"));
            return;
        }
        int from = 0;
        String filter = query.get("filter");
        if (filter != null) {
            Matcher m = GE_CREATED_AT.matcher(filter);
            if (!m.matches()) {
                answer(exchange, 400, error(400, "Bad Request", "the stand-in filters with ge(created_at,<ms>) only"));
                return;
            }
            from = firstCreatedAtOrAfter(Long.parseLong(m.group(1)));
        }
        List<ObjectNode> page = orders.subList(Math.min(orders.size(), from + offset),
                Math.min(orders.size(), from + offset + limit));
        ObjectNode body = mapper.createObjectNode();
        ArrayNode data = body.putArray("data");
        ArrayNode items = body.putObject("included").putArray("items");
        page.forEach(order -> {
            data.add(order);
            items.add(item(order));
        });
        body.putObject("meta").putObject("results").put("total", orders.size() - from);
        answer(exchange, 200, body);
    }

    private int firstCreatedAtOrAfter(long epochMillis) {
        int low = 0;
        int high = orders.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            long created = Instant.parse(orders.get(mid).path("meta").path("timestamps").path("created_at").asText())
                    .toEpochMilli();
            if (created < epochMillis) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private ObjectNode item(ObjectNode order) {
        String id = order.path("id").asText();
        return mapper.createObjectNode().put("type", "order_item").put("id", id + "-item").put("product_id", "prod-1")
                .put("sku", "SKU-1").put("name", "Product 1").put("quantity", 1);
    }

    private ObjectNode error(int status, String title, String detail) {
        ObjectNode body = mapper.createObjectNode();
        body.putArray("errors").addObject().put("status", status).put("title", title).put("detail", detail);
        return body;
    }

    private static Map<String, String> parameters(String encoded) {
        Map<String, String> parameters = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return parameters;
        }
        for (String pair : encoded.split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }

    private void answer(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
