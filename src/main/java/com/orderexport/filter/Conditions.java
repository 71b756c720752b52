package com.orderexport.filter;

import com.orderexport.orders.TimeRange;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderItem;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Builds the per-order check of a term from its validated values, so testing an order parses nothing and
 * lowercases only the order's own value. Every check fails on an order that lacks the attribute.
 */
final class Conditions {

    private Conditions() {
    }

    static String fold(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** {@code eq} or {@code in}: the order's value equals one of {@code values}, ignoring case. */
    static Predicate<String> anyOf(List<String> values) {
        if (values.size() == 1) {
            return fold(values.get(0))::equals;
        }
        return Set.copyOf(values.stream().map(Conditions::fold).toList())::contains;
    }

    /** {@code like}: {@code core} must start, end or appear in the value, as the wildcards around it say. */
    static Predicate<String> like(String core, boolean anyPrefix, boolean anySuffix) {
        String lower = fold(core);
        if (anyPrefix && anySuffix) {
            return value -> value.contains(lower);
        }
        if (anyPrefix) {
            return value -> value.endsWith(lower);
        }
        if (anySuffix) {
            return value -> value.startsWith(lower);
        }
        return lower::equals;
    }

    static Predicate<Order> text(Attribute attribute, Predicate<String> lowercaseTest) {
        return order -> {
            String value = attribute.text(order);
            return value != null && lowercaseTest.test(fold(value));
        };
    }

    /** True when at least one item's value passes. */
    static Predicate<Order> item(Attribute attribute, Predicate<String> lowercaseTest) {
        return order -> {
            for (OrderItem item : order.items()) {
                String value = attribute.itemText(item);
                if (value != null && lowercaseTest.test(fold(value))) {
                    return true;
                }
            }
            return false;
        };
    }

    static Predicate<Order> amount(Attribute attribute, Operator operator, long bound) {
        LongPredicate compare = switch (operator) {
            case EQ -> v -> v == bound;
            case GT -> v -> v > bound;
            case GE -> v -> v >= bound;
            case LT -> v -> v < bound;
            case LE -> v -> v <= bound;
            default -> throw new IllegalArgumentException(operator + " does not compare amounts");
        };
        return order -> {
            Long value = attribute.amount(order);
            return value != null && compare.test(value);
        };
    }

    /** Every time operator is an interval test, the same interval that {@link OrderFilter#createdAtRange()} reports. */
    static Predicate<Order> time(Attribute attribute, TimeRange range) {
        return order -> range.contains(attribute.time(order));
    }

    /** The instants {@code operator} selects relative to {@code at}; {@code eq} means the UTC day holding it. */
    static TimeRange timeRange(Operator operator, Instant at) {
        return switch (operator) {
            case GE -> new TimeRange(at, null);
            case GT -> new TimeRange(at.plusNanos(1), null);
            case LT -> new TimeRange(null, at);
            case LE -> new TimeRange(null, at.plusNanos(1));
            case EQ -> {
                Instant day = at.truncatedTo(ChronoUnit.DAYS);
                yield new TimeRange(day, day.plus(1, ChronoUnit.DAYS));
            }
            default -> throw new IllegalArgumentException(operator + " does not compare times");
        };
    }
}
