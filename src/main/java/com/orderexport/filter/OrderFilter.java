package com.orderexport.filter;

import com.orderexport.orders.TimeRange;
import com.orderexport.orders.Order;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Selects the orders an {@code order_export} job exports, from the job's Elastic Path {@code filter} string.
 *
 * <p>A filter is one to {@value #MAX_TERMS} terms {@code op(attribute,value)} joined by {@code :}, all of which
 * must hold, in at most {@value #MAX_BYTES} UTF-8 bytes. Operator and attribute names are lowercase and
 * case-sensitive; names and values are trimmed. A value may not be empty nor contain {@code ( ) :}, nor
 * {@code ,} except between the items of an {@code in} list. {@link Attribute} lists each attribute's operators.
 *
 * <ul>
 *   <li>Strings: {@code eq} and {@code in} compare whole values; {@code like} takes a {@code *} at the start
 *       and/or end (anywhere else is an error; {@code like(x,*)} matches any present value). All three ignore
 *       case ({@link java.util.Locale#ROOT}). {@code product_id}/{@code product_sku} match an order with at least
 *       one such item.
 *   <li>Amounts ({@code with_tax}, {@code without_tax}): integers in minor units, possibly negative.
 *   <li>Times ({@code created_at}, {@code updated_at}): {@code YYYY-MM-DD} (a real date, taken as its UTC
 *       midnight) or integer epoch milliseconds. {@code gt ge lt le} compare with that instant; {@code eq}
 *       matches its whole UTC day.
 *   <li>An order without the attribute never matches a term on it, whatever the operator.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; {@link #test} does no parsing, so it is cheap per order.
 */
public final class OrderFilter implements Predicate<Order> {

    public static final int MAX_TERMS = 10;
    /** The limit on the UTF-8 encoding of the whole filter string. */
    public static final int MAX_BYTES = 8192;

    private final List<Term> terms;
    private final List<Predicate<Order>> conditions;
    private final TimeRange createdAtRange;
    private final TimeRange updatedAtRange;

    OrderFilter(List<Term> terms, List<Predicate<Order>> conditions, TimeRange createdAtRange,
                TimeRange updatedAtRange) {
        this.terms = List.copyOf(terms);
        this.conditions = List.copyOf(conditions);
        this.createdAtRange = createdAtRange;
        this.updatedAtRange = updatedAtRange;
    }

    /**
     * Parses a filter string.
     *
     * @throws InvalidFilterException for null, blank or any malformed filter, whose detail says which term is
     *     wrong and why
     */
    public static OrderFilter parse(String filter) throws InvalidFilterException {
        return FilterParser.parse(filter);
    }

    /** The terms in the order written. */
    public List<Term> terms() {
        return terms;
    }

    /** True when the order satisfies every term. */
    @Override
    public boolean test(Order order) {
        for (int i = 0; i < conditions.size(); i++) {
            if (!conditions.get(i).test(order)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The tightest [from, to) that the {@code created_at} terms allow, exact to the nanosecond: every order that
     * passes {@link #test} was created inside it. {@link TimeRange#ALL} when there are no such terms; an
     * {@linkplain TimeRange#isEmpty() empty} range when they contradict each other.
     */
    public TimeRange createdAtRange() {
        return createdAtRange;
    }

    /** As {@link #createdAtRange()}, for the {@code updated_at} terms: an order without updated_at is in none. */
    public TimeRange updatedAtRange() {
        return updatedAtRange;
    }

    /** The canonical filter text, which parses back to equal terms. */
    @Override
    public String toString() {
        return terms.stream().map(Term::toString).collect(Collectors.joining(":"));
    }
}
