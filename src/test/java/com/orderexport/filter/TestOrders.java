package com.orderexport.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.orders.Order;
import java.time.Instant;

/** Orders for filter tests: one with every filterable attribute set, one with only what an order must have. */
final class TestOrders {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Created 2024-03-15T10:30:00Z (1710498600000 ms), updated 2024-03-16T08:00:00Z. */
    static final Order FULL = order("""
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
    static final Order BARE = createdAt("2024-03-15T10:30:00Z");

    private TestOrders() {
    }

    static Order createdAt(String instant) {
        return order("""
                {"data": {"id": "ord-2", "meta": {"timestamps": {"created_at": "%s"}}}}
                """.formatted(instant));
    }

    static Order createdAt(Instant instant) {
        return createdAt(instant.toString());
    }

    static Order updatedAt(String instant) {
        return order("""
                {"data": {"id": "ord-3", "meta": {"timestamps":
                  {"created_at": "2020-01-01T00:00:00Z", "updated_at": "%s"}}}}
                """.formatted(instant));
    }

    static Order withTax(long amount) {
        return order("""
                {"data": {"id": "ord-4", "meta": {
                  "display_price": {"with_tax": {"amount": %d}},
                  "timestamps": {"created_at": "2020-01-01T00:00:00Z"}}}}
                """.formatted(amount));
    }

    static Order order(String json) {
        try {
            return Order.fromDocument(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
