package com.orderexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo stores' orders: the same every run (a fixed seed per store), spread over 2018 so the seed
 * request's September-2018 refunded filter finds some, in Elastic Path's order-with-items shape.
 */
public final class DemoOrders {

    public static final int PER_STORE = 1500;
    static final Instant FIRST = Instant.parse("2018-01-01T00:00:00Z");
    private static final String[] STATUSES = {"complete", "processing", "incomplete", "cancelled"};
    private static final String[] PAYMENTS = {"paid", "paid", "authorized", "refunded", "unpaid"};
    private static final String[] SHIPPING = {"fulfilled", "unfulfilled"};
    private static final String[] NAMES = {"Ron Swanson", "Leslie Knope", "April Ludgate", "Ann Perkins",
        "Andy Dwyer", "Tom Haverford", "Donna Meagle", "Jerry Gergich", "Zoë Núñez", "Ben Wyatt"};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DemoOrders() {}

    /** The orders of the demo store with this name, oldest first. */
    public static List<JsonNode> forStore(String store) {
        Random random = new Random(store.hashCode());
        List<JsonNode> orders = new ArrayList<>(PER_STORE);
        Duration step = Duration.ofDays(365).dividedBy(PER_STORE);
        for (int i = 0; i < PER_STORE; i++) {
            Instant created = FIRST.plus(step.multipliedBy(i)).plusSeconds(random.nextInt(3600));
            orders.add(order(store, i, created, random));
        }
        return orders;
    }

    private static JsonNode order(String store, int n, Instant created, Random random) {
        ObjectNode document = MAPPER.createObjectNode();
        ObjectNode data = document.putObject("data");
        data.put("type", "order");
        data.put("id", String.format("%s-order-%05d", store, n));
        data.put("order_number", Integer.toString(10000 + n));
        data.put("status", STATUSES[random.nextInt(STATUSES.length)]);
        data.put("payment", PAYMENTS[random.nextInt(PAYMENTS.length)]);
        data.put("shipping", SHIPPING[random.nextInt(SHIPPING.length)]);
        String name = NAMES[random.nextInt(NAMES.length)];
        String email = name.toLowerCase().replaceAll("[^a-z]+", ".") + "@example.com";
        data.putObject("customer").put("name", name).put("email", email);
        data.putObject("relationships").putObject("customer").putObject("data")
                .put("type", "customer").put("id", "cust-" + Math.floorMod(name.hashCode(), 1000));
        data.putObject("shipping_address").put("first_name", name.split(" ")[0]).put("last_name", name.split(" ")[1])
                .put("line_1", (1 + random.nextInt(999)) + " Main Street").put("city", "Pawnee")
                .put("postcode", Integer.toString(46000 + random.nextInt(100))).put("country", "US");
        data.putObject("billing_address").put("first_name", name.split(" ")[0]).put("last_name", name.split(" ")[1])
                .put("line_1", "1 Billing Way").put("city", "Pawnee").put("postcode", "46001").put("country", "US");
        ArrayNode items = document.putObject("included").putArray("items");
        long total = 0;
        int lines = 1 + random.nextInt(3);
        for (int line = 0; line < lines; line++) {
            int product = random.nextInt(20);
            int quantity = 1 + random.nextInt(4);
            long price = 500 + product * 250L;
            total += price * quantity;
            ObjectNode item = items.addObject().put("type", "order_item").put("id", data.get("id").asText() + "-item-" + line)
                    .put("product_id", "prod-" + product).put("sku", "SKU-" + product).put("name", "Product " + product)
                    .put("quantity", quantity);
            item.putObject("unit_price").put("amount", price).put("currency", "USD").put("includes_tax", false);
            item.putObject("value").put("amount", price * quantity).put("currency", "USD").put("includes_tax", false);
        }
        long tax = total / 10;
        ObjectNode meta = data.putObject("meta");
        ObjectNode price = meta.putObject("display_price");
        price.putObject("with_tax").put("amount", total + tax).put("currency", "USD")
                .put("formatted", String.format("$%d.%02d", (total + tax) / 100, (total + tax) % 100));
        price.putObject("without_tax").put("amount", total).put("currency", "USD")
                .put("formatted", String.format("$%d.%02d", total / 100, total % 100));
        price.putObject("tax").put("amount", tax).put("currency", "USD")
                .put("formatted", String.format("$%d.%02d", tax / 100, tax % 100));
        meta.putObject("timestamps").put("created_at", created.toString())
                .put("updated_at", created.plus(Duration.ofHours(random.nextInt(48))).toString());
        return document;
    }
}
