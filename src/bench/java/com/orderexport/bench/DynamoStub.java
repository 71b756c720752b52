package com.orderexport.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process DynamoDB (JSON 1.0 protocol) on a loopback port, just enough for the exporter and the jobs
 * API: Query serves the canned orders of {@link OrderItems} in ~1 MB pages, and PutItem, UpdateItem, GetItem
 * and TransactWriteItems (of puts and updates) keep jobs in a map. Conditions are not evaluated: every
 * benchmark job is fresh, so each write the real code makes would pass them anyway (P7 creates thousands of
 * one store's jobs: the admission count goes past any limit unchecked, as it should for a latency figure).
 * One file, long, because it is one protocol server: the request dispatch, the Query pages and the job items all
 * read and write DynamoDB's JSON.
 */
final class DynamoStub implements AutoCloseable {

    /** DynamoDB stops a Query page once it has read 1 MB. */
    static final int PAGE_BYTES = 1024 * 1024;
    private static final Pattern SET_OPERATION = Pattern.compile("(ADD|DELETE)\\s+(\\S+)\\s+(:\\w+)");
    private static final Pattern IF_NOT_EXISTS_PLUS =
            Pattern.compile("if_not_exists\\(\\s*(\\S+?)\\s*,\\s*(:\\w+)\\s*\\)\\s*\\+\\s*(:\\w+)");

    static {
        // Without TCP_NODELAY the server's response body waits for the client's delayed ACK of its headers:
        // 40 ms on every small request. Read once, when the JDK's server first starts.
        noDelay();
    }

    static void noDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory json = mapper.getFactory();
    private final Map<String, ObjectNode> jobs = new ConcurrentHashMap<>();
    /** String sets of the job items (admission's unfinished job ids), by item key and attribute. */
    private final Map<String, Map<String, Set<String>>> stringSets = new ConcurrentHashMap<>();
    // Pages are made once and replayed, so serving costs the benchmark as little CPU as a real table would.
    private final Map<String, byte[]> pageCache = new ConcurrentHashMap<>();
    private final AtomicLong cachedBytes = new AtomicLong();
    private final long cacheBudget;
    private final AtomicLong queries = new AtomicLong();
    /** The orders served, by store. */
    private final Map<String, OrderItems> stores = new ConcurrentHashMap<>();
    private volatile long queryDelayMillis;
    private volatile boolean documentsAsMaps;

    private DynamoStub(long cacheBudget) throws IOException {
        this.cacheBudget = cacheBudget;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // One thread per connection: slices query concurrently and each may sleep out its latency.
        executor = Executors.newCachedThreadPool(daemonThreads("dynamo-stub"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the stub; pages are cached up to {@code cacheBudget} bytes (0 makes every page on demand). */
    static DynamoStub start(long cacheBudget) throws IOException {
        return new DynamoStub(cacheBudget);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves these orders from now on (any table name, the store of {@code orders} only). */
    void serve(OrderItems items) {
        serve(List.of(items));
    }

    /** Serves the orders of several stores at once from now on (any table name). */
    void serve(List<OrderItems> items) {
        stores.clear();
        items.forEach(i -> stores.put(i.store().value(), i));
        pageCache.clear();
        cachedBytes.set(0);
    }

    /**
     * Serves each order's document as a DynamoDB map (every JSON object an {@code M}, array an {@code L}, number
     * an {@code N}) instead of JSON text: the other way the orders table could keep them (P2m).
     */
    void documentsAsMaps(boolean asMaps) {
        documentsAsMaps = asMaps;
        pageCache.clear();
        cachedBytes.set(0);
    }

    /** Latency added to every Query page. */
    void queryDelay(Duration delay) {
        queryDelayMillis = delay.toMillis();
    }

    /** Query requests answered so far. */
    long queries() {
        return queries.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            byte[] response;
            int status = 200;
            try {
                JsonNode body = mapper.readTree(request);
                response = switch (operation) {
                    case "Query" -> query(body);
                    case "PutItem" -> putItem(body);
                    case "UpdateItem" -> updateItem(body);
                    case "GetItem" -> getItem(body);
                    case "TransactWriteItems" -> transactWriteItems(body);
                    default -> throw new IllegalArgumentException("UnknownOperationException:" + operation);
                };
            } catch (RuntimeException e) {
                status = 400;
                response = mapper.writeValueAsBytes(Map.of(
                        "__type", "com.amazonaws.dynamodb.v20120810#ValidationException",
                        "message", "stub: " + e.getMessage()));
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "stub");
            exchange.sendResponseHeaders(status, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        }
    }

    private byte[] query(JsonNode request) {
        sleep(queryDelayMillis);
        queries.incrementAndGet();
        String condition = request.path("KeyConditionExpression").asText();
        JsonNode values = request.path("ExpressionAttributeValues");
        OrderItems items = stores.get(values.path(":store").path("S").asText());
        if (items == null) {
            return page(OrderItems.of(0), 0, 0, true, 0);
        }
        String from = values.path(":from").path("S").asText(null);
        String to = values.path(":to").path("S").asText(null);
        int lo = 0;
        int hi = items.count();
        // Exactly the key conditions OrderStore.query writes.
        if (condition.endsWith(" BETWEEN :from AND :to")) {
            lo = items.firstAtLeast(from);
            hi = items.firstAbove(to);
        } else if (condition.endsWith(" >= :from")) {
            lo = items.firstAtLeast(from);
        } else if (condition.endsWith(" < :to")) {
            hi = items.firstAtLeast(to);
        } else if (!condition.equals("store_id = :store")) {
            throw new IllegalArgumentException("unsupported key condition: " + condition);
        }
        boolean forward = request.path("ScanIndexForward").asBoolean(true);
        JsonNode start = request.path("ExclusiveStartKey").path("order_key").path("S");
        if (start.isTextual()) {
            if (forward) {
                lo = Math.max(lo, items.firstAbove(start.asText()));
            } else {
                hi = Math.min(hi, items.firstAtLeast(start.asText()));
            }
        }
        int limit = request.path("Limit").asInt(Integer.MAX_VALUE);
        if (cacheBudget == 0) {
            return page(items, lo, hi, forward, limit);
        }
        String key = items.store().value() + ":" + lo + ":" + hi + ":" + forward + ":" + limit;
        byte[] cached = pageCache.get(key);
        if (cached == null) {
            cached = page(items, lo, hi, forward, limit);
            if (cachedBytes.addAndGet(cached.length) <= cacheBudget) {
                pageCache.put(key, cached);
            }
        }
        return cached;
    }

    /** One page of the orders with indexes in [lo, hi): up to 1 MB of items or {@code limit} of them. */
    private byte[] page(OrderItems items, int lo, int hi, boolean forward, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(PAGE_BYTES + 64 * 1024, 64 + (hi - lo) * 2048));
        String store = items.store().value();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("Items");
            int count = 0;
            long bytes = 0;
            String lastKey = null;
            int i = forward ? lo : hi - 1;
            while ((forward ? i < hi : i >= lo) && count < limit) {
                String key = items.orderKey(i);
                String document = items.document(i);
                // DynamoDB's item size: attribute names plus values.
                long size = "store_id".length() + store.length() + "order_key".length() + key.length()
                        + "document".length() + document.length();
                if (count > 0 && bytes + size > PAGE_BYTES) {
                    break;
                }
                g.writeStartObject();
                writeString(g, "store_id", store);
                writeString(g, "order_key", key);
                if (documentsAsMaps) {
                    g.writeFieldName("document");
                    writeTyped(g, mapper.readTree(document));
                } else {
                    writeString(g, "document", document);
                }
                g.writeEndObject();
                bytes += size;
                count++;
                lastKey = key;
                i += forward ? 1 : -1;
            }
            g.writeEndArray();
            g.writeNumberField("Count", count);
            g.writeNumberField("ScannedCount", count);
            if (forward ? i < hi : i >= lo) {
                g.writeObjectFieldStart("LastEvaluatedKey");
                writeString(g, "store_id", store);
                writeString(g, "order_key", lastKey);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private byte[] putItem(JsonNode request) {
        JsonNode item = request.path("Item");
        jobs.put(jobKey(item), (ObjectNode) item);
        return emptyObject();
    }

    private byte[] transactWriteItems(JsonNode request) {
        for (JsonNode write : request.path("TransactItems")) {
            if (write.path("Put").isObject()) {
                putItem(write.path("Put"));
            } else if (write.path("Update").isObject()) {
                updateItem(write.path("Update"));
            } else {
                throw new IllegalArgumentException("only Put and Update are supported in TransactWriteItems");
            }
        }
        return emptyObject();
    }

    private byte[] getItem(JsonNode request) {
        String key = jobKey(request.path("Key"));
        ObjectNode item = jobs.get(key);
        ObjectNode response = mapper.createObjectNode();
        if (item != null) {
            ObjectNode copy;
            synchronized (item) {
                copy = item.deepCopy();
            }
            stringSets.getOrDefault(key, Map.of()).forEach((name, members) -> {
                if (!members.isEmpty()) { // DynamoDB has no empty sets
                    members.forEach(copy.putObject(name).putArray("SS")::add);
                }
            });
            response.set("Item", copy);
        }
        return bytes(response);
    }

    /**
     * Applies {@code SET a = :v, n = if_not_exists(n, :zero) + :one ... REMOVE x, y}, and {@code ADD s :set} or
     * {@code DELETE s :set} on a string set: the forms the job store, leases and admission write.
     */
    private byte[] updateItem(JsonNode request) {
        JsonNode key = request.path("Key");
        ObjectNode item = jobs.computeIfAbsent(jobKey(key), k -> ((ObjectNode) key).deepCopy());
        JsonNode names = request.path("ExpressionAttributeNames");
        JsonNode values = request.path("ExpressionAttributeValues");
        String expression = request.path("UpdateExpression").asText();
        Matcher setOperation = SET_OPERATION.matcher(expression.trim());
        if (setOperation.matches()) {
            // Kept beside the item, so adding to a set that P7 grows to thousands stays O(1).
            Set<String> members = stringSets.computeIfAbsent(jobKey(key), k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(resolve(names, setOperation.group(2)), n -> ConcurrentHashMap.newKeySet());
            values.path(setOperation.group(3)).path("SS").forEach(m -> {
                if (setOperation.group(1).equals("ADD")) {
                    members.add(m.asText());
                } else {
                    members.remove(m.asText());
                }
            });
            return emptyObject();
        }
        int removeAt = expression.indexOf("REMOVE ");
        String set = (removeAt < 0 ? expression : expression.substring(0, removeAt)).trim();
        String remove = removeAt < 0 ? "" : expression.substring(removeAt + "REMOVE ".length()).trim();
        ObjectNode response = mapper.createObjectNode();
        synchronized (item) {
            if (set.startsWith("SET ")) {
                for (String assignment : splitTopLevel(set.substring(4))) {
                    int eq = assignment.indexOf('=');
                    String name = resolve(names, assignment.substring(0, eq).trim());
                    String value = assignment.substring(eq + 1).trim();
                    Matcher counter = IF_NOT_EXISTS_PLUS.matcher(value);
                    if (counter.matches()) {
                        JsonNode current = item.path(resolve(names, counter.group(1))).path("N");
                        long base = current.isMissingNode() ? values.path(counter.group(2)).path("N").asLong()
                                : current.asLong();
                        long sum = base + values.path(counter.group(3)).path("N").asLong();
                        item.putObject(name).put("N", Long.toString(sum));
                    } else if (values.has(value)) {
                        item.set(name, values.get(value).deepCopy());
                    } else {
                        throw new IllegalArgumentException("unsupported update: " + assignment);
                    }
                }
            }
            if (!remove.isEmpty()) {
                for (String name : remove.split(",")) {
                    item.remove(resolve(names, name.trim()));
                }
            }
            if ("ALL_NEW".equals(request.path("ReturnValues").asText())) {
                response.set("Attributes", item.deepCopy());
            }
        }
        return bytes(response);
    }

    /** The jobs table's key (store_id, job_id): the only table these operations are used on. */
    private static String jobKey(JsonNode item) {
        return item.path("store_id").path("S").asText() + '\u0000' + item.path("job_id").path("S").asText();
    }

    private static String resolve(JsonNode names, String name) {
        return name.startsWith("#") ? names.path(name).asText(name) : name;
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(from, i).trim());
                from = i + 1;
            }
        }
        parts.add(text.substring(from).trim());
        return parts;
    }

    private byte[] emptyObject() {
        return new byte[] {'{', '}'};
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicLong n = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A JSON value as a DynamoDB attribute value in DynamoDB's JSON, e.g. {@code {"M": {"id": {"S": "a"}}}}. */
    private static void writeTyped(JsonGenerator g, JsonNode value) throws IOException {
        g.writeStartObject();
        if (value.isObject()) {
            g.writeObjectFieldStart("M");
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                g.writeFieldName(field.getKey());
                writeTyped(g, field.getValue());
            }
            g.writeEndObject();
        } else if (value.isArray()) {
            g.writeArrayFieldStart("L");
            for (JsonNode element : value) {
                writeTyped(g, element);
            }
            g.writeEndArray();
        } else if (value.isNumber()) {
            g.writeStringField("N", value.asText());
        } else if (value.isBoolean()) {
            g.writeBooleanField("BOOL", value.booleanValue());
        } else if (value.isNull()) {
            g.writeBooleanField("NULL", true);
        } else {
            g.writeStringField("S", value.asText());
        }
        g.writeEndObject();
    }

    /** One string attribute in DynamoDB's JSON: {@code "name": {"S": value}}. */
    private static void writeString(com.fasterxml.jackson.core.JsonGenerator g, String name, String value)
            throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("S", value);
        g.writeEndObject();
    }
}
