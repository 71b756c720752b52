package com.orderexport.orders;

/** One line of an order: what was bought and how many. Absent fields are null; quantity defaults to 0. */
public record OrderItem(String id, String productId, String sku, String name, long quantity) {
}
