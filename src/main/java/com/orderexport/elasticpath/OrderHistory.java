package com.orderexport.elasticpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A store's whole order history from Elastic Path, oldest first, as order documents
 * ({@code {"data": order, "included": {"items": [...]}}}, what {@code GET /v2/orders/{id}?include=items} returns).
 *
 * <p>Elastic Path refuses offsets past 10,000, so the pages are keyed on created_at instead: each request asks for
 * orders created at or after the last one seen ({@code ge}, to the millisecond), and skips those already seen at
 * that millisecond. The offset only grows while a whole page shares one millisecond, so it stays small.
 */
public final class OrderHistory {

    /** Elastic Path's cap on page offsets. */
    public static final int MAX_OFFSET = 10_000;

    /** Receives each page's documents, in order. */
    public interface Sink {
        void accept(List<JsonNode> documents) throws IOException;
    }

    /** How much came back: orders handed on, orders left out (no id or created_at), requests made. */
    public record Summary(long orders, long skipped, int requests) {}

    private final ElasticPathClient client;

    public OrderHistory(ElasticPathClient client) {
        this.client = client;
    }

    /** Reads every order created at or after {@code since} (null: all) and hands them on page by page. */
    public Summary readAll(Instant since, Sink sink) throws IOException, InterruptedException {
        Instant boundary = since == null ? null : since.truncatedTo(ChronoUnit.MILLIS);
        Set<String> seenAtBoundary = new HashSet<>();
        int offset = 0;
        long orders = 0;
        long skipped = 0;
        int requests = 0;
        while (true) {
            if (offset > MAX_OFFSET) {
                throw new IOException("more than " + MAX_OFFSET + " orders share the creation time " + boundary
                        + "; Elastic Path cannot page past them");
            }
            JsonNode page = client.ordersPage(boundary, offset);
            requests++;
            List<JsonNode> documents = documentsOf(page);
            if (documents.isEmpty()) {
                return new Summary(orders, skipped, requests);
            }
            List<JsonNode> fresh = new ArrayList<>();
            Instant last = boundary;
            for (JsonNode document : documents) {
                Instant created = createdAt(document);
                String id = document.path("data").path("id").asText(null);
                if (created == null || id == null) {
                    skipped++;
                    continue;
                }
                boolean before = boundary != null && created.isBefore(boundary);
                boolean seen = created.equals(boundary) && seenAtBoundary.contains(id);
                if (!before && !seen) {
                    fresh.add(document);
                }
                last = last == null || created.isAfter(last) ? created : last;
            }
            sink.accept(fresh);
            orders += fresh.size();
            if (last != null && !last.equals(boundary)) {
                boundary = last;
                seenAtBoundary.clear();
                offset = 0;
            } else {
                // A whole page at the boundary millisecond: only an offset gets past it.
                offset += documents.size();
            }
            for (JsonNode document : documents) {
                if (boundary != null && boundary.equals(createdAt(document))) {
                    seenAtBoundary.add(document.path("data").path("id").asText());
                }
            }
            if (documents.size() < ElasticPathClient.PAGE_LIMIT) {
                return new Summary(orders, skipped, requests);
            }
        }
    }

    /** Splits a list page into one document per order, each with the included items its relationships name. */
    static List<JsonNode> documentsOf(JsonNode page) {
        Map<String, JsonNode> items = new HashMap<>();
        for (JsonNode item : page.path("included").path("items")) {
            items.put(item.path("id").asText(), item);
        }
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode order : page.path("data")) {
            ObjectNode document = JsonNodeFactory.instance.objectNode();
            document.set("data", order);
            ArrayNode own = document.putObject("included").putArray("items");
            for (JsonNode link : order.path("relationships").path("items").path("data")) {
                JsonNode item = items.get(link.path("id").asText());
                if (item != null) {
                    own.add(item);
                }
            }
            documents.add(document);
        }
        return documents;
    }

    private static Instant createdAt(JsonNode document) {
        try {
            return Instant.parse(document.path("data").path("meta").path("timestamps").path("created_at").asText())
                    .truncatedTo(ChronoUnit.MILLIS);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
