package com.orderexport.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;

/**
 * The streaming binding reads every field exactly as a Jackson tree of the same document did (the way orders
 * were read before): generated documents put every kind of JSON value, duplicate keys and unknown keys at every
 * place an order is read from, and both readings must agree on each accessor, or fail alike. One file because
 * the reference reading and the document generator serve only this comparison.
 */
class OrderJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<AddressField> ADDRESS = List.of(AddressField.values());

    @Property(tries = 3000)
    @StatisticsReport(onFailureOnly = true)
    void fromJson_readsEveryFieldAsTheTreeDoes(@ForAll long seed) throws IOException {
        String json = new Documents(new Random(seed)).document();

        boolean bound = assertSameOrder(json);

        Statistics.label("bound").collect(bound);
        Statistics.label("bound").coverage(coverage -> coverage.check(true).percentage(p -> p > 15));
    }

    @Test
    void fromJson_readsNumbersAndBooleansAsTheirTextAndContainersAsAbsent() throws IOException {
        String json = """
                {"data": {"id": 17, "order_number": 1.5E10, "status": true, "payment": {"x": 1}, "shipping": [1],
                  "external_ref": "  ",
                  "meta": {"timestamps": {"created_at": "2024-03-01T12:00:00Z", "updated_at": 20240301},
                           "display_price": {"with_tax": {"amount": 12.0}, "tax": {"amount": 123456789012345678901}}}},
                 "included": {"items": [{"quantity": "7"}, 3, {"quantity": 2.9, "sku": "A"}]}}
                """;
        Order order = Order.fromJson(json);

        assertThat(order.id()).isEqualTo("17");
        assertThat(order.orderNumber()).isEqualTo("1.5E10");
        assertThat(order.status()).isEqualTo("true");
        assertThat(order.payment()).isNull();
        assertThat(order.shipping()).isNull();
        assertThat(order.externalRef()).isNull();
        assertThat(order.updatedAtText()).isNull();
        assertThat(order.withTax()).isNull();
        assertThat(order.tax()).isEqualTo(new java.math.BigInteger("123456789012345678901").longValue());
        assertThat(order.items()).extracting(OrderItem::quantity).containsExactly(7L, 0L, 2L);
        assertSameOrder(json);
    }

    @Test
    void fromJson_letsTheLastOfTwoEqualKeysReplaceTheFirstWhole() throws IOException {
        Order order = Order.fromJson("""
                {"data": {"id": "a", "customer": {"name": "A", "email": "a@x"}, "customer": {"name": "B"},
                          "meta": {"timestamps": {"created_at": "2024-03-01T12:00:00Z"}}},
                 "included": {"items": {"k": {"sku": "1"}, "m": {"sku": "2"}, "k": {"sku": "3"}}}}
                """);

        assertThat(order.customerName()).isEqualTo("B");
        assertThat(order.customerEmail()).isNull();
        assertThat(order.items()).extracting(OrderItem::sku).containsExactly("3", "2");
    }

    @Test
    void fromJson_refusesDocumentsWithoutDataIdOrCreationTime() {
        assertThatThrownBy(() -> Order.fromJson("[]")).hasMessage("no data object");
        assertThatThrownBy(() -> Order.fromJson("")).hasMessage("no data object");
        assertThatThrownBy(() -> Order.fromJson("{\"data\": {}, \"data\": 1}")).hasMessage("no data object");
        assertThatThrownBy(() -> Order.fromJson("{\"data\": {\"id\": \" \"}}")).hasMessage("no data.id");
        assertThatThrownBy(() -> Order.fromJson("{\"data\": {\"id\": \"a\", \"meta\": {\"timestamps\":"
                + " {\"created_at\": \"2024-02-30T00:00:00Z\"}}}}"))
                .hasMessage("no valid data.meta.timestamps.created_at");
        assertThatThrownBy(() -> Order.fromJson("{\"data\": {\"id\": \"a\"")).isInstanceOf(IOException.class);
    }

    /**
     * Both readings of {@code json}, and the tree traversed as a parser, agree on everything or fail alike;
     * true when they make an order.
     */
    private static boolean assertSameOrder(String json) throws IOException {
        JsonNode tree = MAPPER.readTree(json);
        Object expected;
        try {
            expected = TreeOrder.of(tree);
        } catch (IllegalArgumentException e) {
            expected = e.getMessage();
        }
        assertThat(fields(json, false)).as(json).isEqualTo(expected);
        assertThat(fields(json, true)).as(json).isEqualTo(expected);
        return expected instanceof Map;
    }

    private static Object fields(String json, boolean viaTree) throws IOException {
        try {
            Order order = viaTree ? Order.fromDocument(MAPPER.readTree(json)) : Order.fromJson(json);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", order.id());
            fields.put("order_number", order.orderNumber());
            fields.put("external_ref", order.externalRef());
            fields.put("status", order.status());
            fields.put("payment", order.payment());
            fields.put("shipping", order.shipping());
            fields.put("customer_id", order.customerId());
            fields.put("customer_name", order.customerName());
            fields.put("customer_email", order.customerEmail());
            fields.put("account_id", order.accountId());
            fields.put("account_member_id", order.accountMemberId());
            fields.put("contact_name", order.contactName());
            fields.put("contact_email", order.contactEmail());
            fields.put("currency", order.currency());
            fields.put("with_tax", order.withTax());
            fields.put("without_tax", order.withoutTax());
            fields.put("tax", order.tax());
            fields.put("with_tax_formatted", order.withTaxFormatted());
            fields.put("created_at", order.createdAt());
            fields.put("updated_at", order.updatedAt());
            fields.put("created_at_text", order.createdAtText());
            fields.put("updated_at_text", order.updatedAtText());
            for (AddressField field : ADDRESS) {
                fields.put("shipping." + field.jsonName(), order.shippingAddress(field));
                fields.put("billing." + field.jsonName(), order.billingAddress(field));
            }
            fields.put("items", order.items());
            return fields;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** How an order was read from its tree before it was bound by streaming: the reference. */
    private static final class TreeOrder {

        static Map<String, Object> of(JsonNode document) {
            JsonNode data = document.path("data");
            if (!data.isObject()) {
                throw new IllegalArgumentException("no data object");
            }
            List<OrderItem> items = new ArrayList<>();
            for (JsonNode item : document.path("included").path("items")) {
                items.add(new OrderItem(text(item.path("id")), text(item.path("product_id")), text(item.path("sku")),
                        text(item.path("name")), item.path("quantity").asLong(0), amount(item.path("unit_price")),
                        amount(item.path("value"))));
            }
            JsonNode timestamps = data.path("meta").path("timestamps");
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", text(data.path("id")));
            fields.put("order_number", text(data.path("order_number")));
            fields.put("external_ref", text(data.path("external_ref")));
            fields.put("status", text(data.path("status")));
            fields.put("payment", text(data.path("payment")));
            fields.put("shipping", text(data.path("shipping")));
            fields.put("customer_id", first(relationshipId(data, "customer"), data.path("customer").path("id")));
            fields.put("customer_name", text(data.path("customer").path("name")));
            fields.put("customer_email", text(data.path("customer").path("email")));
            fields.put("account_id", relationshipId(data, "account"));
            fields.put("account_member_id", relationshipId(data, "account_member"));
            fields.put("contact_name", text(data.path("contact").path("name")));
            fields.put("contact_email", text(data.path("contact").path("email")));
            fields.put("currency", first(text(price(data, "with_tax").path("currency")),
                    price(data, "without_tax").path("currency")));
            fields.put("with_tax", amount(price(data, "with_tax")));
            fields.put("without_tax", amount(price(data, "without_tax")));
            fields.put("tax", amount(price(data, "tax")));
            fields.put("with_tax_formatted", text(price(data, "with_tax").path("formatted")));
            fields.put("created_at", instant(timestamps.path("created_at")));
            fields.put("updated_at", instant(timestamps.path("updated_at")));
            fields.put("created_at_text", timestamps.path("created_at").isTextual()
                    ? timestamps.path("created_at").textValue() : null);
            fields.put("updated_at_text", timestamps.path("updated_at").isTextual()
                    ? timestamps.path("updated_at").textValue() : null);
            for (AddressField field : ADDRESS) {
                fields.put("shipping." + field.jsonName(), text(data.path("shipping_address").path(field.jsonName())));
                fields.put("billing." + field.jsonName(), text(data.path("billing_address").path(field.jsonName())));
            }
            fields.put("items", items);
            if (fields.get("id") == null) {
                throw new IllegalArgumentException("no data.id");
            }
            if (fields.get("created_at") == null) {
                throw new IllegalArgumentException("no valid data.meta.timestamps.created_at");
            }
            return fields;
        }

        private static JsonNode price(JsonNode data, String name) {
            return data.path("meta").path("display_price").path(name);
        }

        private static String relationshipId(JsonNode data, String name) {
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

        private static String first(String first, JsonNode second) {
            return first != null ? first : text(second);
        }

        private static String text(JsonNode node) {
            if (node == null || node instanceof MissingNode || node.isNull() || node.isContainerNode()) {
                return null;
            }
            String text = node.asText();
            return text.isBlank() ? null : text;
        }
    }

    /**
     * Order documents as JSON text, mostly in the shape an order is read from, with any value anywhere: text in
     * an object's place, objects in a text's place, keys twice, keys nobody reads.
     */
    private static final class Documents {

        private static final Object LEAF = "leaf";
        private static final Object TIME = "time";
        private static final Object ITEMS = "items";
        private static final Map<String, Object> ITEM = shape("id", LEAF, "product_id", LEAF, "sku", LEAF,
                "name", LEAF, "quantity", LEAF, "type", LEAF);
        private static final Map<String, Object> PRICE = shape("amount", LEAF, "currency", LEAF, "formatted", LEAF);
        private static final Map<String, Object> RELATED = shape("data", shape("id", LEAF, "type", LEAF));
        private static final Map<String, Object> ADDRESS_SHAPE = address();
        private static final Map<String, Object> DOCUMENT = shape(
                "data", shape("id", LEAF, "type", LEAF, "order_number", LEAF, "external_ref", LEAF, "status", LEAF,
                        "payment", LEAF, "shipping", LEAF,
                        "customer", shape("id", LEAF, "name", LEAF, "email", LEAF),
                        "contact", shape("name", LEAF, "email", LEAF),
                        "relationships", shape("customer", RELATED, "account", RELATED, "account_member", RELATED),
                        "shipping_address", ADDRESS_SHAPE, "billing_address", ADDRESS_SHAPE,
                        "meta", shape("display_price", shape("with_tax", PRICE, "without_tax", PRICE, "tax", PRICE),
                                "timestamps", shape("created_at", TIME, "updated_at", TIME))),
                "included", shape("items", ITEMS));
        private static final String[] SCALARS = {"\"a\"", "\"\"", "\" \"", "\"\\t\\n\"", "\"=1+2\"", "\"Zoë Núñez\"",
            "\"12\"", "\" 12 \"", "\"-3\"", "\"2.5\"", "\"1e3\"", "\"x\\\"y,z\"", "0", "-0", "7", "-42", "2147483648",
            "9223372036854775807", "9223372036854775808", "123456789012345678901234567890", "1.5", "-0.0", "1e10",
            "1.0E-7", "2.50", "1e400", "0.1", "true", "false", "null", "{}", "[]", "{\"id\": \"x\"}", "[\"a\", 1]"};
        private static final String[] TIMES = {"2024-03-01T12:00:00Z", "2024-03-01T12:00:00.123Z",
            "2024-03-01T12:00:00.000Z", "2024-03-01T12:00:00.5Z", "2024-03-01T12:00:00.123456789Z",
            "2024-03-01T12:00:00.1234567891Z", "2024-03-01T13:00:00+01:00", "2024-03-01t12:00:00z",
            "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2024-03-01T24:00:00Z", "2016-12-31T23:59:60Z",
            "2024-03-01T12:00Z", "2024-03-01", "+12024-03-01T12:00:00Z", "2024-03-01T12:00:00.Z", " ", "",
            "0000-01-01T00:00:00Z", "2024-13-01T00:00:00Z", "2024-03-01 12:00:00Z", "١٢٣٤-03-01T12:00:00Z"};

        private final Random random;

        Documents(Random random) {
            this.random = random;
        }

        String document() {
            return random.nextInt(50) == 0 ? scalar() : object(DOCUMENT, 0);
        }

        private String value(Object shape, int depth) {
            if (shape instanceof Map<?, ?> map) {
                return random.nextInt(16) == 0 ? scalar() : object(map, depth + 1);
            }
            if (shape == TIME) {
                return switch (random.nextInt(8)) {
                    case 0 -> scalar();
                    case 1, 2 -> "\"" + TIMES[random.nextInt(TIMES.length)] + "\"";
                    default -> "\"" + TIMES[random.nextInt(2)] + "\"";
                };
            }
            if (shape == ITEMS) {
                return switch (random.nextInt(6)) {
                    case 0 -> scalar();
                    case 1 -> keyedItems(depth);
                    default -> itemArray(depth);
                };
            }
            return scalar();
        }

        private String object(Map<?, ?> shape, int depth) {
            List<?> keys = new ArrayList<>(shape.keySet());
            StringBuilder json = new StringBuilder("{");
            int entries = random.nextInt(keys.size() + 3);
            for (int i = 0; i < entries; i++) {
                boolean known = random.nextInt(6) != 0;
                String key = known ? (String) keys.get(random.nextInt(keys.size())) : "other" + random.nextInt(3);
                json.append(i == 0 ? "" : ", ").append('"').append(key).append("\": ")
                        .append(known ? value(shape.get(key), depth) : scalar());
            }
            // Most documents should make an order, so every known place is also filled more often than not.
            for (Object key : keys) {
                if (random.nextInt(4) != 0) {
                    json.append(json.length() == 1 ? "" : ", ").append('"').append(key).append("\": ")
                            .append(value(shape.get(key), depth));
                }
            }
            return json.append('}').toString();
        }

        private String itemArray(int depth) {
            StringBuilder json = new StringBuilder("[");
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                json.append(i == 0 ? "" : ", ").append(value(ITEM, depth));
            }
            return json.append(']').toString();
        }

        private String keyedItems(int depth) {
            StringBuilder json = new StringBuilder("{");
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                json.append(i == 0 ? "" : ", ").append("\"k").append(random.nextInt(3)).append("\": ")
                        .append(value(ITEM, depth));
            }
            return json.append('}').toString();
        }

        private String scalar() {
            return SCALARS[random.nextInt(SCALARS.length)];
        }

        private static Map<String, Object> shape(Object... keysAndShapes) {
            Map<String, Object> shape = new LinkedHashMap<>();
            for (int i = 0; i < keysAndShapes.length; i += 2) {
                shape.put((String) keysAndShapes[i], keysAndShapes[i + 1]);
            }
            return shape;
        }

        private static Map<String, Object> address() {
            Map<String, Object> shape = new LinkedHashMap<>();
            ADDRESS.forEach(field -> shape.put(field.jsonName(), LEAF));
            shape.put("email", LEAF);
            return shape;
        }
    }
}
