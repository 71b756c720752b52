package com.orderexport.orders;

/**
 * One line of an order: what was bought, how many, and at what price (minor units: {@code unit_price.amount} and
 * the line's {@code value.amount}, as Elastic Path's order items carry them). Absent fields are null; quantity
 * defaults to 0.
 */
public record OrderItem(String id, String productId, String sku, String name, long quantity, Long unitAmount,
                        Long lineAmount) {
}
