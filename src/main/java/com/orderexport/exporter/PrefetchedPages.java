package com.orderexport.exporter;

import com.orderexport.orders.TimeRange;
import com.orderexport.store.StoreId;
import com.orderexport.orders.OrderPage;
import com.orderexport.orders.OrderStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A range's pages of orders, the next page always being fetched while the caller writes the current one:
 * DynamoDB's wait per page overlaps the CPU work instead of adding to it.
 */
final class PrefetchedPages {

    private final OrderStore orders;
    private final StoreId store;
    private final TimeRange range;
    private final ExecutorService fetcher;
    private Future<OrderPage> pending;
    private String cursor;

    /**
     * @param start where to begin: a page already read (used as is), or the key after which to continue,
     *     or neither (the start of the range)
     */
    PrefetchedPages(OrderStore orders, StoreId store, TimeRange range, OrderPage firstPage, String start,
                    ExecutorService fetcher) {
        this.orders = orders;
        this.store = store;
        this.range = range;
        this.fetcher = fetcher;
        this.pending = firstPage != null ? CompletableFuture.completedFuture(firstPage) : fetch(start);
    }

    /** The next page, or null after the last. */
    OrderPage next() {
        if (pending == null) {
            return null;
        }
        OrderPage page = await(pending);
        cursor = page.next().orElse(null);
        pending = cursor == null ? null : fetch(cursor);
        return page;
    }

    /** The key after which the page just returned ends, or null when it was the last. */
    String cursor() {
        return cursor;
    }

    private Future<OrderPage> fetch(String after) {
        return fetcher.submit(() -> orders.page(store, range, after));
    }

    private static OrderPage await(Future<OrderPage> page) {
        try {
            return page.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading orders", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
