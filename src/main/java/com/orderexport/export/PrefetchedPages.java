package com.orderexport.export;

import com.orderexport.orders.CreatedAtRange;
import com.orderexport.store.StoreId;
import com.orderexport.orders.OrderStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A range's pages of orders, the next page always being fetched while the caller writes the current one:
 * DynamoDB's wait per page overlaps the CPU work instead of adding to it.
 */
final class PrefetchedPages {

    private final OrderStore orders;
    private final StoreId store;
    private final CreatedAtRange range;
    private final ExecutorService fetcher;
    private Future<QueryResponse> pending;
    private Map<String, AttributeValue> cursor;

    /**
     * @param start where to begin: a page already read (used as is), or the key after which to continue,
     *     or neither (the start of the range)
     */
    PrefetchedPages(OrderStore orders, StoreId store, CreatedAtRange range, QueryResponse firstPage,
                    Map<String, AttributeValue> start, ExecutorService fetcher) {
        this.orders = orders;
        this.store = store;
        this.range = range;
        this.fetcher = fetcher;
        this.pending = firstPage != null ? CompletableFuture.completedFuture(firstPage) : fetch(start);
    }

    /** The next page, or null after the last. */
    QueryResponse next() {
        if (pending == null) {
            return null;
        }
        QueryResponse page = await(pending);
        cursor = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        pending = cursor == null ? null : fetch(cursor);
        return page;
    }

    /** The key after which the page just returned ends, or null when it was the last. */
    Map<String, AttributeValue> cursor() {
        return cursor;
    }

    private Future<QueryResponse> fetch(Map<String, AttributeValue> after) {
        return fetcher.submit(() -> orders.page(store, range, after));
    }

    private static QueryResponse await(Future<QueryResponse> page) {
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
