package com.orderexport.csv;

import com.orderexport.orders.AddressField;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderItem;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The columns of the order export, in file order. Each column carries its header, a one-line
 * description and how its cell is read from an {@link Order}, so adding or changing a column
 * happens here and nowhere else (docs/files.md's column table is checked against this enum).
 */
public enum OrderColumn {
    ID("id", "Order id.", Order::id),
    ORDER_NUMBER("order_number", "Store-facing order number.", Order::orderNumber),
    EXTERNAL_REF("external_ref", "Reference given by an external system.", Order::externalRef),
    STATUS("status", "Order status, e.g. incomplete, processing, complete, cancelled.", Order::status),
    PAYMENT("payment", "Payment status, e.g. unpaid, authorized, paid, refunded.", Order::payment),
    SHIPPING("shipping", "Shipping status, e.g. unfulfilled, fulfilled.", Order::shipping),
    CUSTOMER_ID("customer_id", "Id of the customer who placed the order.", Order::customerId),
    CUSTOMER_NAME("customer_name", "Customer name.", Order::customerName),
    CUSTOMER_EMAIL("customer_email", "Customer email.", Order::customerEmail),
    ACCOUNT_ID("account_id", "Id of the account the order was placed for.", Order::accountId),
    ACCOUNT_MEMBER_ID("account_member_id", "Id of the account member who placed the order.",
            Order::accountMemberId),
    CONTACT_NAME("contact_name", "Contact name.", Order::contactName),
    CONTACT_EMAIL("contact_email", "Contact email.", Order::contactEmail),
    CURRENCY("currency", "ISO 4217 currency code of the amounts.", Order::currency),
    WITH_TAX("with_tax", "Total including tax, in the currency's minor unit.", Kind.NUMBER,
            Order::withTaxText),
    WITHOUT_TAX("without_tax", "Total excluding tax, in the currency's minor unit.", Kind.NUMBER,
            Order::withoutTaxText),
    TAX("tax", "Tax, in the currency's minor unit.", Kind.NUMBER, Order::taxText),
    WITH_TAX_FORMATTED("with_tax_formatted", "Total including tax as the store displays it, e.g. $12.34.",
            Order::withTaxFormatted),
    ITEM_COUNT("item_count", "Sum of the quantities of the order's items; 0 when it has none.", Kind.NUMBER,
            Order::itemCountText),
    SKUS("skus", "SKUs of the order's items joined with ';', in item order; items without a SKU are skipped.",
            OrderColumn::skus),
    SHIPPING_FIRST_NAME("shipping_first_name", "Shipping address: first name.",
            order -> order.shippingAddress(AddressField.FIRST_NAME)),
    SHIPPING_LAST_NAME("shipping_last_name", "Shipping address: last name.",
            order -> order.shippingAddress(AddressField.LAST_NAME)),
    SHIPPING_COMPANY_NAME("shipping_company_name", "Shipping address: company name.",
            order -> order.shippingAddress(AddressField.COMPANY_NAME)),
    SHIPPING_PHONE_NUMBER("shipping_phone_number", "Shipping address: phone number.",
            order -> order.shippingAddress(AddressField.PHONE_NUMBER)),
    SHIPPING_LINE_1("shipping_line_1", "Shipping address: first line.",
            order -> order.shippingAddress(AddressField.LINE_1)),
    SHIPPING_LINE_2("shipping_line_2", "Shipping address: second line.",
            order -> order.shippingAddress(AddressField.LINE_2)),
    SHIPPING_CITY("shipping_city", "Shipping address: city.", order -> order.shippingAddress(AddressField.CITY)),
    SHIPPING_POSTCODE("shipping_postcode", "Shipping address: postcode.",
            order -> order.shippingAddress(AddressField.POSTCODE)),
    SHIPPING_COUNTY("shipping_county", "Shipping address: county.", order -> order.shippingAddress(AddressField.COUNTY)),
    SHIPPING_REGION("shipping_region", "Shipping address: region or state.",
            order -> order.shippingAddress(AddressField.REGION)),
    SHIPPING_COUNTRY("shipping_country", "Shipping address: country code.",
            order -> order.shippingAddress(AddressField.COUNTRY)),
    SHIPPING_INSTRUCTIONS("shipping_instructions", "Shipping address: delivery instructions.",
            order -> order.shippingAddress(AddressField.INSTRUCTIONS)),
    BILLING_FIRST_NAME("billing_first_name", "Billing address: first name.",
            order -> order.billingAddress(AddressField.FIRST_NAME)),
    BILLING_LAST_NAME("billing_last_name", "Billing address: last name.",
            order -> order.billingAddress(AddressField.LAST_NAME)),
    BILLING_COMPANY_NAME("billing_company_name", "Billing address: company name.",
            order -> order.billingAddress(AddressField.COMPANY_NAME)),
    BILLING_LINE_1("billing_line_1", "Billing address: first line.", order -> order.billingAddress(AddressField.LINE_1)),
    BILLING_LINE_2("billing_line_2", "Billing address: second line.", order -> order.billingAddress(AddressField.LINE_2)),
    BILLING_CITY("billing_city", "Billing address: city.", order -> order.billingAddress(AddressField.CITY)),
    BILLING_POSTCODE("billing_postcode", "Billing address: postcode.",
            order -> order.billingAddress(AddressField.POSTCODE)),
    BILLING_COUNTY("billing_county", "Billing address: county.", order -> order.billingAddress(AddressField.COUNTY)),
    BILLING_REGION("billing_region", "Billing address: region or state.",
            order -> order.billingAddress(AddressField.REGION)),
    BILLING_COUNTRY("billing_country", "Billing address: country code.",
            order -> order.billingAddress(AddressField.COUNTRY)),
    CREATED_AT("created_at", "When the order was created, UTC, as yyyy-MM-ddTHH:mm:ss.SSSZ.",
            order -> timestamp(order.createdAtText(), order.createdAt())),
    UPDATED_AT("updated_at", "When the order was last updated, UTC, as yyyy-MM-ddTHH:mm:ss.SSSZ.",
            order -> timestamp(order.updatedAtText(), order.updatedAt()));

    /** Text cells are guarded against formula injection; numbers are written exactly as they are. */
    private enum Kind { TEXT, NUMBER }

    private final String header;
    private final String description;
    private final Kind kind;
    private final Function<Order, String> extractor;

    OrderColumn(String header, String description, Function<Order, String> extractor) {
        this(header, description, Kind.TEXT, extractor);
    }

    OrderColumn(String header, String description, Kind kind, Function<Order, String> extractor) {
        this.header = header;
        this.description = description;
        this.kind = kind;
        this.extractor = extractor;
    }

    /** The column's name in the CSV header row. */
    public String header() {
        return header;
    }

    /** One line saying what the column holds, for docs/files.md. */
    public String description() {
        return description;
    }

    /** Whether the column holds an integer, which is written unaltered. */
    public boolean numeric() {
        return kind == Kind.NUMBER;
    }

    /** The cell exactly as it is written for {@code order}; null when the order has no value. */
    public String cell(Order order) {
        String value = extractor.apply(order);
        return kind == Kind.TEXT ? FormulaNeutraliser.neutralise(value) : value;
    }

    /**
     * The timestamp in the export's one form, {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC. Text in the
     * order's {@code meta.timestamps} that is already ISO-8601 in UTC is reshaped, not parsed: parsing
     * would give the same cell at nearly the cost of all the other columns together (see
     * {@link CanonicalInstant}).
     */
    private static String timestamp(String raw, Instant parsed) {
        if (raw != null) {
            String cell = CanonicalInstant.reshape(raw);
            if (cell != null) {
                return cell;
            }
        }
        return parsed == null ? null : CanonicalInstant.format(parsed);
    }

    private static String skus(Order order) {
        List<OrderItem> items = order.items();
        String first = null;
        StringBuilder joined = null;
        for (int i = 0; i < items.size(); i++) {
            String sku = items.get(i).sku();
            if (sku == null) {
                continue;
            }
            if (first == null) {
                first = sku;
            } else {
                // Most orders have one SKU: only a second one costs a new string.
                if (joined == null) {
                    joined = new StringBuilder(first);
                }
                joined.append(';').append(sku);
            }
        }
        return joined != null ? joined.toString() : first;
    }
}
