package com.orderexport.csv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.databind.MappingIterator;
import com.orderexport.orders.Order;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** Builds order documents for the tests and reads the writer's output back with Jackson. */
final class TestOrders {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private final ObjectNode document = JSON.createObjectNode();

    private TestOrders(String id, String createdAt) {
        set("data.id", id);
        set("data.meta.timestamps.created_at", createdAt);
        document.putObject("included").putArray("items");
    }

    static TestOrders order(String id) {
        return new TestOrders(id, "2024-03-01T12:00:00Z");
    }

    /** Sets a field by dotted path under the document, e.g. {@code data.customer.name}. */
    TestOrders set(String path, Object value) {
        String[] keys = path.split("\\.");
        ObjectNode node = document;
        for (int i = 0; i < keys.length - 1; i++) {
            node = node.has(keys[i]) ? (ObjectNode) node.get(keys[i]) : node.putObject(keys[i]);
        }
        node.set(keys[keys.length - 1], JSON.valueToTree(value));
        return this;
    }

    TestOrders item(String sku, long quantity) {
        ObjectNode item = ((ArrayNode) document.get("included").get("items")).addObject();
        if (sku != null) {
            item.put("sku", sku);
        }
        item.put("quantity", quantity);
        return this;
    }

    Order build() {
        return Order.fromDocument(document);
    }

    static byte[] export(Order... orders) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OrderCsvWriter writer = new OrderCsvWriter(out)) {
            for (Order order : orders) {
                writer.write(order);
            }
        }
        return out.toByteArray();
    }

    /** Every record of {@code csv}, header first. */
    static List<String[]> parse(byte[] csv) throws IOException {
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(csv)) {
            return rows.readAll();
        }
    }
}
