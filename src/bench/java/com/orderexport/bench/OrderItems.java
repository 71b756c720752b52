package com.orderexport.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.store.StoreId;
import com.orderexport.local.DemoOrders;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderStore;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic orders table of any size: order {@code i} of one store, created {@code i} steps after the
 * first, its document one of the demo store's documents with a new id and timestamps. Orders are made on
 * demand, so a stub can serve a million of them without holding them in memory.
 */
final class OrderItems {

    static final String STORE = "bench-store";
    static final Instant FIRST = Instant.parse("2018-01-01T00:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<Template> DEMO_TEMPLATES = templates(0);

    private static final String ID = "@@ID@@";
    private static final String CREATED = "@@CREATED@@";
    private static final String UPDATED = "@@UPDATED@@";

    /** A demo document as JSON text with placeholders for its id and timestamps. */
    private record Template(String json, Duration updatedAfter) {}

    private final StoreId store;
    private final int count;
    private final Instant first;
    private final Duration step;
    private final List<Template> templates;

    OrderItems(int count, Instant first, Duration step) {
        this(new StoreId(STORE), count, first, step, DEMO_TEMPLATES);
    }

    private OrderItems(StoreId store, int count, Instant first, Duration step, List<Template> templates) {
        this.store = store;
        this.count = count;
        this.first = first;
        this.step = step;
        this.templates = templates;
    }

    /** Orders a few minutes apart from 2018 on: the shape every stub-backed measurement uses. */
    static OrderItems of(int count) {
        return new OrderItems(count, FIRST, Duration.ofMinutes(5));
    }

    /** The same orders for another store: several stores can be served at once. */
    static OrderItems of(String store, int count) {
        return new OrderItems(new StoreId(store), count, FIRST, Duration.ofMinutes(5), DEMO_TEMPLATES);
    }

    /** Orders of exactly {@code itemsPerOrder} items each (the demo's first item repeated under new ids). */
    static OrderItems withItems(int count, int itemsPerOrder) {
        return new OrderItems(new StoreId(STORE), count, FIRST, Duration.ofMinutes(5), templates(itemsPerOrder));
    }

    StoreId store() {
        return store;
    }

    int count() {
        return count;
    }

    Instant createdAt(int i) {
        return first.plus(step.multipliedBy(i));
    }

    String id(int i) {
        String n = Integer.toString(i);
        return STORE + "-order-" + "00000000".substring(Math.min(8, n.length())) + n;
    }

    /** The sort key exactly as the exporter's table has it; strictly increasing in {@code i}. */
    String orderKey(int i) {
        return OrderStore.orderKey(createdAt(i), id(i));
    }

    /** The order document as the table's {@code document} attribute holds it (compact JSON). */
    String document(int i) {
        Template t = templates.get(i % templates.size());
        Instant created = createdAt(i);
        return t.json().replace(UPDATED, created.plus(t.updatedAfter()).toString())
                .replace(CREATED, created.toString())
                .replace(ID, id(i));
    }

    JsonNode documentNode(int i) {
        try {
            return MAPPER.readTree(document(i));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Order order(int i) {
        return Order.fromDocument(documentNode(i));
    }

    /** The first index whose key is {@code >= key} (count when none). */
    int firstAtLeast(String key) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (orderKey(mid).compareTo(key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index whose key is {@code > key} (count when none). */
    int firstAbove(String key) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (orderKey(mid).compareTo(key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** A filter of only created_at bounds that selects every order: both bounds, so the query uses BETWEEN. */
    String filterSelectingAll() {
        LocalDate from = LocalDate.ofInstant(createdAt(0), ZoneOffset.UTC);
        LocalDate to = LocalDate.ofInstant(createdAt(count - 1), ZoneOffset.UTC).plusDays(1);
        return "ge(created_at," + from + "):lt(created_at," + to + ")";
    }

    /** The demo store's documents as templates; with {@code itemsPerOrder} above 0, each with that many items. */
    private static List<Template> templates(int itemsPerOrder) {
        List<Template> templates = new ArrayList<>();
        for (JsonNode document : DemoOrders.forStore(STORE)) {
            ObjectNode data = (ObjectNode) document.path("data");
            ObjectNode timestamps = (ObjectNode) data.path("meta").path("timestamps");
            Duration updatedAfter = Duration.between(Instant.parse(timestamps.path("created_at").asText()),
                    Instant.parse(timestamps.path("updated_at").asText()));
            // Placeholders, not the demo values, are replaced per order: a demo timestamp could equal a new one.
            String id = data.path("id").asText();
            data.put("id", ID);
            timestamps.put("created_at", CREATED).put("updated_at", UPDATED);
            if (itemsPerOrder > 0) {
                com.fasterxml.jackson.databind.node.ArrayNode items = (com.fasterxml.jackson.databind.node.ArrayNode)
                        document.path("included").path("items");
                JsonNode model = items.get(0);
                items.removeAll();
                for (int n = 0; n < itemsPerOrder; n++) {
                    items.add(((ObjectNode) model.deepCopy()).put("id", id + "-item-" + n));
                }
            }
            for (JsonNode item : document.path("included").path("items")) {
                ((ObjectNode) item).put("id", item.path("id").asText().replace(id, ID));
            }
            templates.add(new Template(document.toString(), updatedAfter));
        }
        return List.copyOf(templates);
    }
}
