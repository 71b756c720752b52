package com.orderexport.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.orders.Order;
import java.time.Instant;

/**
 * The tests' orders, in Elastic Path's shape ({@code {"data": order, "included": {"items": [...]}}}): named
 * fixtures, and a builder that starts bare ({@link #order(String)}) or typical ({@link #typicalOrder}) and
 * sets any field. (The local stack's demo stores have their own, {@code com.orderexport.local.DemoOrders}.)
 * One file because every test's orders should come from one place; the builder is most of it.
 */
public final class Orders {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An order with every filterable attribute set: created 2024-03-15T10:30:00Z (1710498600000 ms), updated
     * 2024-03-16T08:00:00Z.
     */
    public static final Order FULL = fromJson("""
            {"data": {
               "id": "ord-1", "order_number": "1001", "external_ref": "EXT-42",
               "status": "complete", "payment": "paid", "shipping": "fulfilled",
               "customer": {"name": "Ada Lovelace", "email": "Ada@Example.com"},
               "contact": {"name": "Charles Babbage", "email": "charles@engine.org"},
               "shipping_address": {"postcode": "SW1A 1AA"},
               "billing_address": {"postcode": "EC1A 1BB"},
               "relationships": {
                 "customer": {"data": {"id": "cust-7"}},
                 "account": {"data": {"id": "acct-3"}},
                 "account_member": {"data": {"id": "member-9"}}},
               "meta": {
                 "display_price": {
                   "with_tax": {"amount": 12000, "currency": "USD"},
                   "without_tax": {"amount": 10000, "currency": "USD"}},
                 "timestamps": {"created_at": "2024-03-15T10:30:00Z", "updated_at": "2024-03-16T08:00:00Z"}}},
             "included": {"items": [
               {"id": "i1", "product_id": "prod-a", "sku": "SKU-RED"},
               {"id": "i2", "product_id": "prod-b", "sku": "SKU-BLUE"}]}}
            """);

    /** Created at the same instant as {@link #FULL}, and nothing else: no optional attribute, no items. */
    public static final Order BARE = createdAt("2024-03-15T10:30:00Z");

    private Orders() {}

    /** Only what every order has: this id, created 2024-03-01T12:00:00Z, no items. */
    public static Builder order(String id) {
        return new Builder(id, "2024-03-01T12:00:00Z");
    }

    /**
     * An order as a shop typically has it: complete, paid, fulfilled, USD 10.00 with tax (9.00 without), updated
     * when created, no items.
     */
    public static Builder typicalOrder(String id, Instant createdAt) {
        return new Builder(id, createdAt.toString()).set("data.type", "order")
                .status("complete").payment("paid").shipping("fulfilled")
                .updatedAt(createdAt.toString()).amounts("USD", 1000, 900);
    }

    /** A bare order created at this instant (ISO-8601 text, kept as written). */
    public static Order createdAt(String instant) {
        return order("ord-2").createdAt(instant).build();
    }

    public static Order createdAt(Instant instant) {
        return createdAt(instant.toString());
    }

    /** A bare order created 2020-01-01 and updated at this instant (ISO-8601 text, kept as written). */
    public static Order updatedAt(String instant) {
        return order("ord-3").createdAt("2020-01-01T00:00:00Z").updatedAt(instant).build();
    }

    /** A bare order created 2020-01-01 whose only price is this amount with tax, without a currency. */
    public static Order withTax(long amount) {
        return order("ord-4").createdAt("2020-01-01T00:00:00Z")
                .set("data.meta.display_price.with_tax.amount", amount).build();
    }

    /** An order document given as JSON text. */
    public static Order fromJson(String json) {
        try {
            return Order.fromDocument(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Builds one order document; {@link #document()} for the table and the loader, {@link #build()} for code. */
    public static final class Builder {

        private final ObjectNode document = JSON.createObjectNode();

        private Builder(String id, String createdAt) {
            set("data.id", id);
            createdAt(createdAt);
            document.putObject("included").putArray("items");
        }

        /** Sets a field by its dotted path from the document's root, e.g. {@code data.customer.name}. */
        public Builder set(String path, Object value) {
            String[] keys = path.split("\\.");
            ObjectNode node = document;
            for (int i = 0; i < keys.length - 1; i++) {
                node = node.has(keys[i]) ? (ObjectNode) node.get(keys[i]) : node.putObject(keys[i]);
            }
            node.set(keys[keys.length - 1], JSON.valueToTree(value));
            return this;
        }

        public Builder createdAt(String instant) {
            return set("data.meta.timestamps.created_at", instant);
        }

        public Builder updatedAt(String instant) {
            return set("data.meta.timestamps.updated_at", instant);
        }

        public Builder status(String status) {
            return set("data.status", status);
        }

        public Builder payment(String payment) {
            return set("data.payment", payment);
        }

        public Builder shipping(String shipping) {
            return set("data.shipping", shipping);
        }

        public Builder orderNumber(String orderNumber) {
            return set("data.order_number", orderNumber);
        }

        public Builder externalRef(String externalRef) {
            return set("data.external_ref", externalRef);
        }

        /** The customer's name and email, and with an id also the customer relationship. */
        public Builder customer(String id, String name, String email) {
            data().putObject("customer").put("name", name).put("email", email);
            return id == null ? this : relationship("customer", id);
        }

        public Builder contact(String name, String email) {
            data().putObject("contact").put("name", name).put("email", email);
            return this;
        }

        /** A relationship by name ({@code customer}, {@code account}, {@code account_member}) to this id. */
        public Builder relationship(String name, String id) {
            return set("data.relationships." + name + ".data.id", id);
        }

        /** The display prices: with and without tax, the tax between them, and the with-tax amount formatted. */
        public Builder amounts(String currency, long withTax, long withoutTax) {
            ObjectNode price = ((ObjectNode) data().get("meta")).putObject("display_price");
            price.putObject("with_tax").put("amount", withTax).put("currency", currency)
                    .put("formatted", String.format("$%d.%02d", withTax / 100, Math.abs(withTax % 100)));
            price.putObject("without_tax").put("amount", withoutTax).put("currency", currency);
            price.putObject("tax").put("amount", withTax - withoutTax).put("currency", currency);
            return this;
        }

        public Builder shippingAddress(String postcode, String firstName, String line1) {
            data().putObject("shipping_address").put("postcode", postcode).put("first_name", firstName)
                    .put("line_1", line1).put("country", "US");
            return this;
        }

        public Builder billingAddress(String postcode) {
            data().putObject("billing_address").put("postcode", postcode).put("country", "US");
            return this;
        }

        /** An item line with only a SKU (none when null) and a quantity. */
        public Builder item(String sku, long quantity) {
            ObjectNode item = items().addObject();
            if (sku != null) {
                item.put("sku", sku);
            }
            item.put("quantity", quantity);
            return this;
        }

        /** An item line as Elastic Path includes it: product, SKU, name and quantity. */
        public Builder item(String productId, String sku, int quantity) {
            items().addObject().put("type", "order_item").put("id", productId + "-line").put("product_id", productId)
                    .put("sku", sku).put("name", "Product " + sku).put("quantity", quantity);
            return this;
        }

        /** The order document, a copy: the builder can go on to make another. */
        public ObjectNode document() {
            return document.deepCopy();
        }

        public Order build() {
            return Order.fromDocument(document());
        }

        private ObjectNode data() {
            return (ObjectNode) document.get("data");
        }

        private ArrayNode items() {
            return (ArrayNode) document.get("included").get("items");
        }
    }
}
