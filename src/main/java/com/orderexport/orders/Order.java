package com.orderexport.orders;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An Elastic Path order with its items, exactly as {@code GET /v2/orders/{id}?include=items} returns it,
 * read through typed accessors. Absent or blank fields read as {@code null}, never as "".
 *
 * <p>An order holds only the fields the filter and the CSV read, bound once from the document's JSON by
 * {@link OrderJson}; the document itself is not kept.
 */
public final class Order {

    private final String id;
    private final String orderNumber;
    private final String externalRef;
    private final String status;
    private final String payment;
    private final String shipping;
    private final String customerRelationshipId;
    private final String legacyCustomerId;
    private final String customerName;
    private final String customerEmail;
    private final String accountId;
    private final String accountMemberId;
    private final String contactName;
    private final String contactEmail;
    private final String withTaxCurrency;
    private final String withoutTaxCurrency;
    private final Long withTax;
    private final Long withoutTax;
    private final Long tax;
    private final String withTaxText;
    private final String withoutTaxText;
    private final String taxText;
    private final String withTaxFormatted;
    private final String createdAtText;
    private final String updatedAtText;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final String[] shippingAddress;
    private final String[] billingAddress;
    private final List<OrderItem> items;
    private final long itemCount;
    private final String itemCountText;
    private final String document;

    Order(OrderJson bound) {
        id = bound.id;
        orderNumber = bound.orderNumber;
        externalRef = bound.externalRef;
        status = bound.status;
        payment = bound.payment;
        shipping = bound.shipping;
        customerRelationshipId = bound.customerRelationshipId;
        legacyCustomerId = bound.legacyCustomerId;
        customerName = bound.customerName;
        customerEmail = bound.customerEmail;
        accountId = bound.accountId;
        accountMemberId = bound.accountMemberId;
        contactName = bound.contactName;
        contactEmail = bound.contactEmail;
        withTaxCurrency = bound.withTax.currency;
        withoutTaxCurrency = bound.withoutTax.currency;
        withTax = bound.withTax.amount;
        withoutTax = bound.withoutTax.amount;
        tax = bound.tax.amount;
        withTaxText = decimal(withTax);
        withoutTaxText = decimal(withoutTax);
        taxText = decimal(tax);
        withTaxFormatted = bound.withTax.formatted;
        createdAtText = bound.createdAtText;
        updatedAtText = bound.updatedAtText;
        createdAt = Timestamps.parse(blankToNull(createdAtText));
        updatedAt = Timestamps.parse(blankToNull(updatedAtText));
        // A binding makes one order: its arrays are handed over, not copied.
        shippingAddress = bound.shippingAddress;
        billingAddress = bound.billingAddress;
        items = List.copyOf(bound.items);
        long quantities = 0;
        for (OrderItem item : items) {
            quantities += item.quantity();
        }
        itemCount = quantities;
        itemCountText = Long.toString(quantities);
        document = bound.text;
    }

    /**
     * The whole order document as it was read ({@code {"data": ..., "included": {"items": [...]}}}): the stored
     * text itself, not a copy, for the shapes that carry the order whole.
     */
    public String document() {
        return document;
    }

    /**
     * Reads an order document {@code {"data": <order>, "included": {"items": [...]}}} from its JSON text, as the
     * orders table stores it.
     *
     * @throws IOException when the text is not JSON
     * @throws IllegalArgumentException when there is no {@code data.id} or no parsable
     *     {@code data.meta.timestamps.created_at}: such an order cannot be stored or exported.
     */
    public static Order fromJson(String json) throws IOException {
        Objects.requireNonNull(json, "json");
        return OrderJson.read(json);
    }

    /** Reads an order document already parsed into a tree (a tool's or a test's); see {@link #fromJson}. */
    public static Order fromDocument(JsonNode document) {
        Objects.requireNonNull(document, "document");
        try (JsonParser parser = document.traverse()) {
            return OrderJson.read(parser, document.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("a tree is always readable", e);
        }
    }

    public String id() { return id; }
    public String orderNumber() { return orderNumber; }
    public String externalRef() { return externalRef; }
    public String status() { return status; }
    public String payment() { return payment; }
    public String shipping() { return shipping; }

    /** The customer id: the relationship if present, else the legacy {@code customer.id}. */
    public String customerId() {
        return customerRelationshipId != null ? customerRelationshipId : legacyCustomerId;
    }

    public String customerName() { return customerName; }
    public String customerEmail() { return customerEmail; }
    public String accountId() { return accountId; }
    public String accountMemberId() { return accountMemberId; }
    public String contactName() { return contactName; }
    public String contactEmail() { return contactEmail; }

    public String currency() {
        return withTaxCurrency != null ? withTaxCurrency : withoutTaxCurrency;
    }

    /** Amount with tax in the currency's minor unit, or null. */
    public Long withTax() { return withTax; }
    public Long withoutTax() { return withoutTax; }
    public Long tax() { return tax; }
    public String withTaxFormatted() { return withTaxFormatted; }

    // The amounts and the item count in decimal, made once with the order: every exported row writes them.

    /** {@link #withTax()} in decimal, or null. */
    public String withTaxText() { return withTaxText; }
    /** {@link #withoutTax()} in decimal, or null. */
    public String withoutTaxText() { return withoutTaxText; }
    /** {@link #tax()} in decimal, or null. */
    public String taxText() { return taxText; }

    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }

    /** {@code meta.timestamps.created_at} exactly as received when it is a JSON string, else null. */
    public String createdAtText() { return createdAtText; }

    /** {@code meta.timestamps.updated_at} exactly as received when it is a JSON string, else null. */
    public String updatedAtText() { return updatedAtText; }

    /** A field of {@code shipping_address}; null when absent. */
    public String shippingAddress(AddressField field) { return shippingAddress[field.ordinal()]; }

    /** A field of {@code billing_address}; null when absent. */
    public String billingAddress(AddressField field) { return billingAddress[field.ordinal()]; }

    public List<OrderItem> items() { return items; }

    /** The sum of the items' quantities; 0 without items. */
    public long itemCount() { return itemCount; }

    /** {@link #itemCount()} in decimal. */
    public String itemCountText() { return itemCountText; }

    private static String decimal(Long amount) {
        return amount == null ? null : amount.toString();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
