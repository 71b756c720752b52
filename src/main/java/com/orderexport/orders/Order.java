package com.orderexport.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An Elastic Path order with its items, exactly as {@code GET /v2/orders/{id}?include=items} returns it,
 * read through typed accessors. Absent or blank fields read as {@code null}, never as "".
 */
public final class Order {

    private final JsonNode data;
    private final List<OrderItem> items;

    // Parsed once: the filter and the CSV both read them, and parsing is the dearest part of a field.
    private final Instant createdAt;
    private final Instant updatedAt;

    private Order(JsonNode data, List<OrderItem> items) {
        this.data = data;
        this.items = List.copyOf(items);
        JsonNode timestamps = data.path("meta").path("timestamps");
        this.createdAt = instant(timestamps.path("created_at"));
        this.updatedAt = instant(timestamps.path("updated_at"));
    }

    /**
     * Reads an order document {@code {"data": <order>, "included": {"items": [...]}}}.
     *
     * @throws IllegalArgumentException when there is no {@code data.id} or no parsable
     *     {@code data.meta.timestamps.created_at}: such an order cannot be stored or exported.
     */
    public static Order fromDocument(JsonNode document) {
        Objects.requireNonNull(document, "document");
        JsonNode data = document.path("data");
        if (!data.isObject()) {
            throw new IllegalArgumentException("no data object");
        }
        List<OrderItem> items = new ArrayList<>();
        for (JsonNode item : document.path("included").path("items")) {
            items.add(OrderItem.from(item));
        }
        Order order = new Order(data, items);
        if (order.id() == null) {
            throw new IllegalArgumentException("no data.id");
        }
        if (order.createdAt() == null) {
            throw new IllegalArgumentException("no valid data.meta.timestamps.created_at");
        }
        return order;
    }

    public String id() { return text(data.path("id")); }
    public String orderNumber() { return text(data.path("order_number")); }
    public String externalRef() { return text(data.path("external_ref")); }
    public String status() { return text(data.path("status")); }
    public String payment() { return text(data.path("payment")); }
    public String shipping() { return text(data.path("shipping")); }

    /** The customer id: the relationship if present, else the legacy {@code customer.id}. */
    public String customerId() {
        return firstText(relationshipId("customer"), data.path("customer").path("id"));
    }

    public String customerName() { return text(data.path("customer").path("name")); }
    public String customerEmail() { return text(data.path("customer").path("email")); }
    public String accountId() { return relationshipId("account"); }
    public String accountMemberId() { return relationshipId("account_member"); }
    public String contactName() { return text(data.path("contact").path("name")); }
    public String contactEmail() { return text(data.path("contact").path("email")); }

    public String currency() {
        return firstText(price("with_tax").path("currency"), price("without_tax").path("currency"));
    }

    /** Amount with tax in the currency's minor unit, or null. */
    public Long withTax() { return amount(price("with_tax")); }
    public Long withoutTax() { return amount(price("without_tax")); }
    public Long tax() { return amount(price("tax")); }
    public String withTaxFormatted() { return text(price("with_tax").path("formatted")); }

    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    /** A field of {@code shipping_address}, e.g. {@code postcode}; null when absent. */
    public String shippingAddress(String field) { return text(data.path("shipping_address").path(field)); }

    /** A field of {@code billing_address}, e.g. {@code postcode}; null when absent. */
    public String billingAddress(String field) { return text(data.path("billing_address").path(field)); }

    public List<OrderItem> items() { return items; }

    /** The order's {@code data} object as received, for callers that need a field without an accessor. */
    public JsonNode data() { return data; }

    private JsonNode price(String name) {
        return data.path("meta").path("display_price").path(name);
    }

    private String relationshipId(String name) {
        return text(data.path("relationships").path(name).path("data").path("id"));
    }

    private static Long amount(JsonNode price) {
        JsonNode amount = price.path("amount");
        return amount.isIntegralNumber() ? amount.longValue() : null;
    }

    private static Instant instant(JsonNode node) {
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String firstText(String first, JsonNode second) {
        return first != null ? first : text(second);
    }

    private static String firstText(JsonNode first, JsonNode second) {
        return firstText(text(first), second);
    }

    static String text(JsonNode node) {
        if (node == null || node instanceof MissingNode || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText();
        return text.isBlank() ? null : text;
    }
}
