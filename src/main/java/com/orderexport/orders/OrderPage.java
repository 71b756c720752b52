package com.orderexport.orders;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One page of a store's orders, in key order, and the opaque cursor from which the next page starts. Orders
 * are parsed as they are iterated, on the reader's thread, so a page fetched ahead costs only its items.
 */
public final class OrderPage implements Iterable<Order> {

    private final List<Map<String, AttributeValue>> items;
    private final Function<Map<String, AttributeValue>, Order> parse;
    private final Function<Map<String, AttributeValue>, Instant> position;
    private final String next;

    OrderPage(List<Map<String, AttributeValue>> items, Function<Map<String, AttributeValue>, Order> parse,
              Function<Map<String, AttributeValue>, Instant> position, String next) {
        this.items = items;
        this.parse = parse;
        this.position = position;
        this.next = next;
    }

    /** Where the next page starts, to hand back to {@link OrderStore#page}; empty after the last page. */
    public Optional<String> next() {
        return Optional.ofNullable(next);
    }

    public boolean isLast() {
        return next == null;
    }

    /**
     * The first order's time on the axis the page was read by, without parsing the order; empty for an empty
     * page.
     */
    public Optional<Instant> firstPosition() {
        return items.isEmpty() ? Optional.empty() : Optional.of(position.apply(items.get(0)));
    }

    /** As {@link #firstPosition()}, for the page's last order: how far along its axis a reader has come. */
    public Optional<Instant> lastPosition() {
        return items.isEmpty() ? Optional.empty() : Optional.of(position.apply(items.get(items.size() - 1)));
    }

    @Override
    public Iterator<Order> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < items.size();
            }

            @Override
            public Order next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return parse.apply(items.get(next++));
            }
        };
    }
}
