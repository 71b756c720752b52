package com.orderexport.orders;

import com.fasterxml.jackson.databind.JsonNode;

/** One line of an order: what was bought and how many. Absent fields are null; quantity defaults to 0. */
public record OrderItem(String id, String productId, String sku, String name, long quantity) {

    static OrderItem from(JsonNode item) {
        return new OrderItem(
                Order.text(item.path("id")),
                Order.text(item.path("product_id")),
                Order.text(item.path("sku")),
                Order.text(item.path("name")),
                item.path("quantity").asLong(0));
    }
}
