package com.orderexport.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Builds Elastic Path order documents ({@code {"data": order, "included": {"items": [...]}}}) for tests. */
public final class OrderDocuments {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode document = MAPPER.createObjectNode();
    private final ObjectNode data;

    private OrderDocuments(String id, Instant createdAt) {
        data = document.putObject("data");
        data.put("type", "order");
        data.put("id", id);
        data.put("status", "complete");
        data.put("payment", "paid");
        data.put("shipping", "fulfilled");
        ObjectNode timestamps = data.putObject("meta").putObject("timestamps");
        timestamps.put("created_at", createdAt.toString());
        timestamps.put("updated_at", createdAt.toString());
        document.putObject("included").putArray("items");
        amounts("USD", 1000, 900);
    }

    public static OrderDocuments order(String id, Instant createdAt) {
        return new OrderDocuments(id, createdAt);
    }

    public OrderDocuments set(String field, String value) {
        data.put(field, value);
        return this;
    }

    public OrderDocuments customer(String id, String name, String email) {
        data.putObject("customer").put("name", name).put("email", email);
        if (id != null) {
            relationship("customer", id);
        }
        return this;
    }

    public OrderDocuments contact(String name, String email) {
        data.putObject("contact").put("name", name).put("email", email);
        return this;
    }

    public OrderDocuments relationship(String name, String id) {
        ObjectNode relationships = data.has("relationships") ? (ObjectNode) data.get("relationships")
                : data.putObject("relationships");
        relationships.putObject(name).putObject("data").put("id", id);
        return this;
    }

    public OrderDocuments amounts(String currency, long withTax, long withoutTax) {
        ObjectNode price = ((ObjectNode) data.get("meta")).putObject("display_price");
        price.putObject("with_tax").put("amount", withTax).put("currency", currency)
                .put("formatted", String.format("$%d.%02d", withTax / 100, Math.abs(withTax % 100)));
        price.putObject("without_tax").put("amount", withoutTax).put("currency", currency);
        price.putObject("tax").put("amount", withTax - withoutTax).put("currency", currency);
        return this;
    }

    public OrderDocuments updatedAt(Instant updatedAt) {
        ((ObjectNode) data.get("meta").get("timestamps")).put("updated_at", updatedAt.toString());
        return this;
    }

    public OrderDocuments shippingAddress(String postcode, String firstName, String line1) {
        data.putObject("shipping_address").put("postcode", postcode).put("first_name", firstName).put("line_1", line1)
                .put("country", "US");
        return this;
    }

    public OrderDocuments billingAddress(String postcode) {
        data.putObject("billing_address").put("postcode", postcode).put("country", "US");
        return this;
    }

    public OrderDocuments item(String productId, String sku, int quantity) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) document.get("included").get("items")).addObject()
                .put("type", "order_item").put("id", productId + "-line").put("product_id", productId)
                .put("sku", sku).put("name", "Product " + sku).put("quantity", quantity);
        return this;
    }

    public ObjectNode build() {
        return document.deepCopy();
    }
}
