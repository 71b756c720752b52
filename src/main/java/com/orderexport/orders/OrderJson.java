package com.orderexport.orders;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds an order document to an {@link Order} in one pass of a streaming parser, keeping only the fields the
 * filter and the CSV read. This is the export's main cost per order, so no tree is built.
 *
 * <p>The values are exactly those a Jackson tree of the document would give through {@code path(..)}: a
 * number or boolean where text is expected reads as its text, a container as absent, a key given twice counts
 * the last time (an object given twice replaces the first one whole), {@code included.items} may be an array
 * or an object of items, and a quantity reads as {@code JsonNode.asLong(0)} would. {@code OrderJsonTest} holds
 * this against the tree on generated documents. One file because the document's shape is one nested walk.
 */
final class OrderJson {

    // Thread-safe once built; its parsers share one symbol table of field names and recycle their buffers.
    private static final JsonFactory JSON = new JsonFactory();

    /** An item's fields as they are read. */
    private static final class Item {
        String id;
        String productId;
        String sku;
        String name;
        long quantity;
        Long unitAmount;
        Long lineAmount;
    }

    /** One of {@code display_price}'s prices. */
    static final class Price {
        String currency;
        Long amount;
        String formatted;

        void clear() {
            currency = null;
            amount = null;
            formatted = null;
        }
    }

    String id;
    String orderNumber;
    String externalRef;
    String status;
    String payment;
    String shipping;
    String customerRelationshipId;
    String legacyCustomerId;
    String customerName;
    String customerEmail;
    String accountId;
    String accountMemberId;
    String contactName;
    String contactEmail;
    final Price withTax = new Price();
    final Price withoutTax = new Price();
    final Price tax = new Price();
    String createdAtText;
    String updatedAtText;
    /** Indexed by {@link AddressField#ordinal()}. */
    final String[] shippingAddress = new String[AddressField.values().length];
    final String[] billingAddress = new String[AddressField.values().length];
    List<OrderItem> items = List.of();
    private boolean hasData;
    /** The document as it was read: what a JSON Lines export writes. */
    String text;

    private OrderJson() {}

    static Order read(String json) throws IOException {
        try (JsonParser parser = JSON.createParser(json)) {
            return read(parser, json);
        }
    }

    /**
     * Reads the document at the parser's next token, whose JSON text is {@code text}; see {@link Order#fromJson}
     * for what it refuses.
     */
    static Order read(JsonParser parser, String text) throws IOException {
        OrderJson bound = new OrderJson();
        bound.text = text;
        if (parser.nextToken() == JsonToken.START_OBJECT) {
            bound.document(parser);
        } else {
            parser.skipChildren();
        }
        if (!bound.hasData) {
            throw new IllegalArgumentException("no data object");
        }
        Order order = new Order(bound);
        if (order.id() == null) {
            throw new IllegalArgumentException("no data.id");
        }
        if (order.createdAt() == null) {
            throw new IllegalArgumentException("no valid data.meta.timestamps.created_at");
        }
        return order;
    }

    private void document(JsonParser p) throws IOException {
        fields(p, (name, value) -> {
            switch (name) {
                case "data" -> {
                    clearData();
                    hasData = value == JsonToken.START_OBJECT;
                    if (hasData) {
                        data(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "included" -> {
                    items = List.of();
                    if (value == JsonToken.START_OBJECT) {
                        included(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        });
    }

    private void data(JsonParser p) throws IOException {
        fields(p, (name, value) -> {
            switch (name) {
                case "id" -> id = text(p, value);
                case "order_number" -> orderNumber = text(p, value);
                case "external_ref" -> externalRef = text(p, value);
                case "status" -> status = text(p, value);
                case "payment" -> payment = text(p, value);
                case "shipping" -> shipping = text(p, value);
                case "customer" -> customer(p, value);
                case "contact" -> contact(p, value);
                case "relationships" -> relationships(p, value);
                case "shipping_address" -> address(p, value, shippingAddress);
                case "billing_address" -> address(p, value, billingAddress);
                case "meta" -> meta(p, value);
                default -> p.skipChildren();
            }
        });
    }

    private void clearData() {
        id = null;
        orderNumber = null;
        externalRef = null;
        status = null;
        payment = null;
        shipping = null;
        legacyCustomerId = null;
        customerName = null;
        customerEmail = null;
        contactName = null;
        contactEmail = null;
        customerRelationshipId = null;
        accountId = null;
        accountMemberId = null;
        Arrays.fill(shippingAddress, null);
        Arrays.fill(billingAddress, null);
        clearMeta();
    }

    private void customer(JsonParser p, JsonToken value) throws IOException {
        legacyCustomerId = null;
        customerName = null;
        customerEmail = null;
        if (!isObject(p, value)) {
            return;
        }
        fields(p, (name, field) -> {
            switch (name) {
                case "id" -> legacyCustomerId = text(p, field);
                case "name" -> customerName = text(p, field);
                case "email" -> customerEmail = text(p, field);
                default -> p.skipChildren();
            }
        });
    }

    private void contact(JsonParser p, JsonToken value) throws IOException {
        contactName = null;
        contactEmail = null;
        if (!isObject(p, value)) {
            return;
        }
        fields(p, (name, field) -> {
            switch (name) {
                case "name" -> contactName = text(p, field);
                case "email" -> contactEmail = text(p, field);
                default -> p.skipChildren();
            }
        });
    }

    private void relationships(JsonParser p, JsonToken value) throws IOException {
        customerRelationshipId = null;
        accountId = null;
        accountMemberId = null;
        if (!isObject(p, value)) {
            return;
        }
        fields(p, (name, related) -> {
            switch (name) {
                case "customer" -> customerRelationshipId = relationshipId(p, related);
                case "account" -> accountId = relationshipId(p, related);
                case "account_member" -> accountMemberId = relationshipId(p, related);
                default -> p.skipChildren();
            }
        });
    }

    /** {@code {"data": {"id": ...}}}'s id. */
    private static String relationshipId(JsonParser p, JsonToken value) throws IOException {
        if (!isObject(p, value)) {
            return null;
        }
        String[] id = {null};
        fields(p, (name, data) -> {
            if (!name.equals("data")) {
                p.skipChildren();
                return;
            }
            id[0] = null;
            if (isObject(p, data)) {
                fields(p, (field, token) -> {
                    if (field.equals("id")) {
                        id[0] = text(p, token);
                    } else {
                        p.skipChildren();
                    }
                });
            }
        });
        return id[0];
    }

    private static void address(JsonParser p, JsonToken value, String[] into) throws IOException {
        Arrays.fill(into, null);
        if (!isObject(p, value)) {
            return;
        }
        fields(p, (name, field) -> {
            AddressField kept = addressField(name);
            if (kept != null) {
                into[kept.ordinal()] = text(p, field);
            } else {
                p.skipChildren();
            }
        });
    }

    /** The kept field named {@code name} ({@link AddressField#jsonName()}), or null for any other key. */
    private static AddressField addressField(String name) {
        return switch (name) {
            case "first_name" -> AddressField.FIRST_NAME;
            case "last_name" -> AddressField.LAST_NAME;
            case "company_name" -> AddressField.COMPANY_NAME;
            case "phone_number" -> AddressField.PHONE_NUMBER;
            case "line_1" -> AddressField.LINE_1;
            case "line_2" -> AddressField.LINE_2;
            case "city" -> AddressField.CITY;
            case "postcode" -> AddressField.POSTCODE;
            case "county" -> AddressField.COUNTY;
            case "region" -> AddressField.REGION;
            case "country" -> AddressField.COUNTRY;
            case "instructions" -> AddressField.INSTRUCTIONS;
            default -> null;
        };
    }

    private void meta(JsonParser p, JsonToken value) throws IOException {
        clearMeta();
        if (!isObject(p, value)) {
            return;
        }
        fields(p, (name, field) -> {
            switch (name) {
                case "display_price" -> displayPrice(p, field);
                case "timestamps" -> timestamps(p, field);
                default -> p.skipChildren();
            }
        });
    }

    private void clearMeta() {
        withTax.clear();
        withoutTax.clear();
        tax.clear();
        createdAtText = null;
        updatedAtText = null;
    }

    private void displayPrice(JsonParser p, JsonToken value) throws IOException {
        withTax.clear();
        withoutTax.clear();
        tax.clear();
        if (!isObject(p, value)) {
            return;
        }
        fields(p, (name, field) -> {
            switch (name) {
                case "with_tax" -> price(p, field, withTax);
                case "without_tax" -> price(p, field, withoutTax);
                case "tax" -> price(p, field, tax);
                default -> p.skipChildren();
            }
        });
    }

    private static void price(JsonParser p, JsonToken value, Price price) throws IOException {
        price.clear();
        if (!isObject(p, value)) {
            return;
        }
        fields(p, (name, field) -> {
            switch (name) {
                case "amount" -> price.amount = integral(p, field);
                case "currency" -> price.currency = text(p, field);
                case "formatted" -> price.formatted = text(p, field);
                default -> p.skipChildren();
            }
        });
    }

    private void timestamps(JsonParser p, JsonToken value) throws IOException {
        createdAtText = null;
        updatedAtText = null;
        if (!isObject(p, value)) {
            return;
        }
        fields(p, (name, field) -> {
            switch (name) {
                case "created_at" -> createdAtText = string(p, field);
                case "updated_at" -> updatedAtText = string(p, field);
                default -> p.skipChildren();
            }
        });
    }

    private void included(JsonParser p) throws IOException {
        fields(p, (name, value) -> {
            if (name.equals("items")) {
                items = items(p, value);
            } else {
                p.skipChildren();
            }
        });
    }

    /** An array's elements, or an object's values as a tree iterates them: a key given twice keeps its place. */
    private static List<OrderItem> items(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.START_ARRAY) {
            List<OrderItem> items = new ArrayList<>(4);
            for (JsonToken element = p.nextToken(); element != JsonToken.END_ARRAY; element = p.nextToken()) {
                items.add(item(p, element));
            }
            return items;
        }
        if (value == JsonToken.START_OBJECT) {
            Map<String, OrderItem> items = new LinkedHashMap<>();
            fields(p, (key, item) -> items.put(key, item(p, item)));
            return new ArrayList<>(items.values());
        }
        return List.of();
    }

    private static OrderItem item(JsonParser p, JsonToken value) throws IOException {
        Item item = new Item();
        if (isObject(p, value)) {
            fields(p, (field, token) -> {
                switch (field) {
                    case "id" -> item.id = text(p, token);
                    case "product_id" -> item.productId = text(p, token);
                    case "sku" -> item.sku = text(p, token);
                    case "name" -> item.name = text(p, token);
                    case "quantity" -> item.quantity = asLong(p, token);
                    case "unit_price" -> item.unitAmount = amountOf(p, token);
                    case "value" -> item.lineAmount = amountOf(p, token);
                    default -> p.skipChildren();
                }
            });
        }
        return new OrderItem(item.id, item.productId, item.sku, item.name, item.quantity, item.unitAmount,
                item.lineAmount);
    }

    /** The integral {@code amount} of a price object ({@code {"amount": 1000, "currency": ...}}); null otherwise. */
    private static Long amountOf(JsonParser p, JsonToken value) throws IOException {
        Long[] amount = {null};
        if (isObject(p, value)) {
            fields(p, (name, field) -> {
                if (name.equals("amount")) {
                    amount[0] = integral(p, field);
                } else {
                    p.skipChildren();
                }
            });
        }
        return amount[0];
    }

    /** What to do with one field of an object: its name, and the parser at its value's first token. */
    @FunctionalInterface
    private interface FieldReader {
        void read(String name, JsonToken value) throws IOException;
    }

    /** Hands each field of the object the parser is in to {@code reader}, up to the object's end. */
    private static void fields(JsonParser p, FieldReader reader) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            reader.read(name, p.nextToken());
        }
    }

    /** True at an object's start, to be read field by field; any other value is skipped whole. */
    private static boolean isObject(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.START_OBJECT) {
            return true;
        }
        p.skipChildren();
        return false;
    }

    /** A value as text, as {@code JsonNode.asText()} gives it; null for null, containers and blank text. */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        String text = switch (value) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue().toString();
            case VALUE_NUMBER_FLOAT -> switch (p.getNumberType()) {
                case BIG_DECIMAL -> p.getDecimalValue().toString();
                case FLOAT -> NumberOutput.toString(p.getFloatValue());
                default -> NumberOutput.toString(p.getDoubleValue());
            };
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case START_OBJECT, START_ARRAY -> {
                p.skipChildren();
                yield null;
            }
            case VALUE_EMBEDDED_OBJECT -> p.getText();
            default -> null;
        };
        return text == null || text.isBlank() ? null : text;
    }

    /** A JSON string as received (blank included), else null. */
    private static String string(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    /** An integer as {@code JsonNode.longValue()} gives it; null for anything else, as for an amount. */
    private static Long integral(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return longOf(p);
        }
        p.skipChildren();
        return null;
    }

    /** Any value as {@code JsonNode.asLong(0)} reads it, as for a quantity. */
    private static long asLong(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT -> longOf(p);
            case VALUE_NUMBER_FLOAT -> switch (p.getNumberType()) {
                case BIG_DECIMAL -> p.getDecimalValue().longValue();
                case FLOAT -> (long) p.getFloatValue();
                default -> (long) p.getDoubleValue();
            };
            case VALUE_STRING -> NumberInput.parseAsLong(p.getText(), 0);
            case VALUE_TRUE -> 1;
            case START_OBJECT, START_ARRAY -> {
                p.skipChildren();
                yield 0;
            }
            default -> 0;
        };
    }

    private static long longOf(JsonParser p) throws IOException {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                ? p.getBigIntegerValue().longValue() : p.getLongValue();
    }
}
