package com.orderexport.filter;

import static com.orderexport.filter.Operator.EQ;
import static com.orderexport.filter.Operator.GE;
import static com.orderexport.filter.Operator.GT;
import static com.orderexport.filter.Operator.IN;
import static com.orderexport.filter.Operator.LE;
import static com.orderexport.filter.Operator.LIKE;
import static com.orderexport.filter.Operator.LT;

import com.orderexport.orders.AddressField;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderItem;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An order attribute a filter can select on, with the operators Elastic Path's filter table allows for it. */
public enum Attribute {
    STATUS("status", Type.TEXT, Order::status, EQ, IN),
    PAYMENT("payment", Type.TEXT, Order::payment, EQ, IN),
    SHIPPING("shipping", Type.TEXT, Order::shipping, EQ, IN),
    CURRENCY("currency", Type.TEXT, Order::currency, EQ, IN),
    NAME("name", Type.TEXT, Order::customerName, EQ, LIKE, IN),
    EMAIL("email", Type.TEXT, Order::customerEmail, EQ, LIKE, IN),
    CUSTOMER_ID("customer_id", Type.TEXT, Order::customerId, EQ, LIKE, IN),
    ACCOUNT_ID("account_id", Type.TEXT, Order::accountId, EQ, LIKE, IN),
    ACCOUNT_MEMBER_ID("account_member_id", Type.TEXT, Order::accountMemberId, EQ, LIKE, IN),
    CONTACT_NAME("contact.name", Type.TEXT, Order::contactName, EQ, LIKE, IN),
    CONTACT_EMAIL("contact.email", Type.TEXT, Order::contactEmail, EQ, LIKE, IN),
    SHIPPING_POSTCODE("shipping_postcode", Type.TEXT, order -> order.shippingAddress(AddressField.POSTCODE),
            EQ, LIKE, IN),
    BILLING_POSTCODE("billing_postcode", Type.TEXT, order -> order.billingAddress(AddressField.POSTCODE),
            EQ, LIKE, IN),
    EXTERNAL_REF("external_ref", Type.TEXT, Order::externalRef, EQ, LIKE, IN),
    ORDER_NUMBER("order_number", Type.TEXT, Order::orderNumber, EQ, LIKE, IN),
    WITH_TAX("with_tax", Type.AMOUNT, Order::withTax, EQ, GT, GE, LT, LE),
    WITHOUT_TAX("without_tax", Type.AMOUNT, Order::withoutTax, EQ, GT, GE, LT, LE),
    PRODUCT_ID("product_id", OrderItem::productId, EQ, IN),
    PRODUCT_SKU("product_sku", OrderItem::sku, EQ, IN),
    CREATED_AT("created_at", Type.TIME, Order::createdAt, EQ, GT, GE, LT, LE),
    UPDATED_AT("updated_at", Type.TIME, Order::updatedAt, EQ, GT, GE, LT, LE);

    /** What kind of value the attribute holds, which decides how a term's values are read and compared. */
    public enum Type {
        /** A string of the order, compared case-insensitively. */
        TEXT,
        /** A string of any of the order's items, compared case-insensitively. */
        ITEM,
        /** An integer amount in the currency's minor unit. */
        AMOUNT,
        /** An instant, written in a filter as a date or as epoch milliseconds. */
        TIME
    }

    private final String filterName;
    private final Type type;
    private final Set<Operator> operators;
    private final Function<Order, ?> orderValue;
    private final Function<OrderItem, String> itemValue;

    Attribute(String filterName, Type type, Function<Order, ?> orderValue, Operator first, Operator... rest) {
        this.filterName = filterName;
        this.type = type;
        this.operators = EnumSet.of(first, rest);
        this.orderValue = orderValue;
        this.itemValue = null;
    }

    Attribute(String filterName, Function<OrderItem, String> itemValue, Operator first, Operator... rest) {
        this.filterName = filterName;
        this.type = Type.ITEM;
        this.operators = EnumSet.of(first, rest);
        this.orderValue = null;
        this.itemValue = itemValue;
    }

    /** The attribute as written in a filter, e.g. {@code contact.email}. */
    public String filterName() {
        return filterName;
    }

    public Type type() {
        return type;
    }

    /** The operators a term on this attribute may use, in declaration order. */
    public Set<Operator> operators() {
        return Collections.unmodifiableSet(operators);
    }

    /** The attribute spelled exactly {@code name} (case-sensitive), if any. */
    public static Optional<Attribute> forFilterName(String name) {
        return Arrays.stream(values()).filter(a -> a.filterName.equals(name)).findFirst();
    }

    boolean allows(Operator operator) {
        return operators.contains(operator);
    }

    String allowedOperators() {
        return operators.stream().map(Operator::filterName).collect(Collectors.joining(", "));
    }

    static String supported() {
        return Arrays.stream(values()).map(Attribute::filterName).collect(Collectors.joining(", "));
    }

    // The casts below hold by construction: each constant's type matches what its reader returns.

    String text(Order order) {
        return (String) orderValue.apply(order);
    }

    Long amount(Order order) {
        return (Long) orderValue.apply(order);
    }

    Instant time(Order order) {
        return (Instant) orderValue.apply(order);
    }

    String itemText(OrderItem item) {
        return itemValue.apply(item);
    }
}
