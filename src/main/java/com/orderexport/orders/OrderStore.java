package com.orderexport.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.store.StoreId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The orders table: partition {@code store_id}, sort {@code order_key} = fixed-width created_at + '#' + id,
 * so a created_at range is a key condition and a query returns orders by creation time, then id. Its sparse
 * {@code UpdatedIndex} sorts the same items by the fixed-width {@code updated_at} an item carries when its order
 * has one, so an updated_at range is a key condition too (reads {@link #along(Axis) along} that axis).
 * The item keeps the whole order document, so every CSV column and filter attribute is at hand. One class, over
 * 200 lines, because every read and write shares that key layout and the {@code updated_at} a conditional write
 * compares.
 */
public final class OrderStore {

    /** Which of the order's times a read goes by, and so which sort order of the table it follows. */
    public enum Axis {
        /** The table's own key: orders by created_at, then id. */
        CREATED_AT,
        /** The updated_at index: orders by updated_at, then created_at and id; orders without one are absent. */
        UPDATED_AT
    }

    static final String STORE_ID = "store_id";
    static final String ORDER_KEY = "order_key";
    /** The attribute holding the order's document as JSON text, the one form every reader parses. */
    public static final String DOCUMENT = "document";
    /** The order's own updated_at, fixed width: what a conditional write compares, without reading the document. */
    static final String UPDATED_AT = "updated_at";
    /** The index by updated_at, as template.yaml names it. */
    static final String UPDATED_INDEX = "UpdatedIndex";
    /** Between the updated_at and the order_key of an updated_at cursor; neither contains it. */
    private static final char CURSOR_SEPARATOR = '/';
    /** DynamoDB's limit for one BatchWriteItem call. */
    public static final int BATCH_SIZE = 25;
    private static final int MAX_BATCH_ATTEMPTS = 10;

    /** Nine fraction digits always, so keys compare as strings exactly as instants compare in time. */
    private static final DateTimeFormatter FIXED_WIDTH =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Axis axis;

    public OrderStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Axis.CREATED_AT);
    }

    private OrderStore(DynamoDbClient dynamo, String table, Axis axis) {
        this.dynamo = dynamo;
        this.table = table;
        this.axis = axis;
    }

    /**
     * The same table, read by {@code readBy}: its ranges, pages, cursors and positions are then instants of that
     * time. Writes are the same on every axis.
     */
    public OrderStore along(Axis readBy) {
        return readBy == axis ? this : new OrderStore(dynamo, table, readBy);
    }

    public Axis axis() {
        return axis;
    }

    public static String orderKey(Instant createdAt, String orderId) {
        return FIXED_WIDTH.format(createdAt) + "#" + orderId;
    }

    static String keyBound(Instant instant) {
        return FIXED_WIDTH.format(instant);
    }

    /**
     * Writes orders given as documents ({@code {"data": ..., "included": ...}}), 25 to a call; items DynamoDB
     * leaves unprocessed are retried with exponential backoff. Writing the same order again replaces it.
     */
    public void putAll(StoreId store, List<JsonNode> documents) {
        for (int from = 0; from < documents.size(); from += BATCH_SIZE) {
            List<WriteRequest> batch = new ArrayList<>();
            for (JsonNode document : documents.subList(from, Math.min(from + BATCH_SIZE, documents.size()))) {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(toItem(store, document)).build()).build());
            }
            writeWithRetries(batch);
        }
    }

    private void writeWithRetries(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(table, batch);
        Duration backoff = Duration.ofMillis(50);
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(request));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            pending = pending.isEmpty() || pending.values().stream().allMatch(List::isEmpty) ? Map.of() : pending;
            if (pending.isEmpty()) {
                return;
            }
            if (attempt == MAX_BATCH_ATTEMPTS) {
                throw new IllegalStateException("DynamoDB left items unprocessed after " + attempt + " attempts");
            }
            sleep(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    /** What a conditional upsert did. */
    public enum Upsert {
        /** The order was new here, or newer than the one stored. */
        WRITTEN,
        /** The stored order is as new or newer: a redelivery, or a late older one. Nothing changed. */
        UNCHANGED
    }

    /**
     * Writes an order unless the stored one is at least as new (by {@code meta.timestamps.updated_at}): one
     * conditional write, so deliveries racing each other or arriving out of order never put an older order
     * over a newer one, and the same delivery twice changes nothing. The key comes from created_at, which an
     * order keeps for life, so every version of an order lands on the same item.
     *
     * @throws IllegalArgumentException when the document has no id, created_at or updated_at
     */
    public Upsert putIfNewer(StoreId store, JsonNode document) {
        Order order = Order.fromDocument(document);
        if (order.updatedAt() == null) {
            throw new IllegalArgumentException("no valid data.meta.timestamps.updated_at");
        }
        try {
            dynamo.putItem(r -> r.tableName(table).item(toItem(store, document))
                    // Items the loader wrote before updated_at was kept have none: any dated version replaces them.
                    .conditionExpression("attribute_not_exists(" + ORDER_KEY + ") OR attribute_not_exists(" + UPDATED_AT
                            + ") OR " + UPDATED_AT + " < :updated")
                    .expressionAttributeValues(Map.of(":updated", AttributeValue.fromS(keyBound(order.updatedAt())))));
            return Upsert.WRITTEN;
        } catch (ConditionalCheckFailedException notNewer) {
            return Upsert.UNCHANGED;
        }
    }

    /** How many of a batch of conditional upserts wrote, and how many found the stored order as new or newer. */
    public record Upserts(long written, long unchanged) {}

    /**
     * {@link #putIfNewer} for each document, their writes in flight together on {@code requests} (one
     * conditional PutItem each: BatchWriteItem takes no condition, and a copy racing the webhooks must never put
     * an older version over a newer one). Returns once every write has been answered.
     *
     * @throws IllegalArgumentException when a document has no id, created_at or updated_at (nothing is written)
     * @throws RuntimeException the first write's failure (the others' suppressed in it), after every write has been
     *     answered
     */
    public Upserts putAllIfNewer(StoreId store, List<JsonNode> documents, Executor requests) {
        for (JsonNode document : documents) {
            if (Order.fromDocument(document).updatedAt() == null) {
                throw new IllegalArgumentException("no valid data.meta.timestamps.updated_at");
            }
        }
        List<CompletableFuture<Upsert>> writes = new ArrayList<>(documents.size());
        for (JsonNode document : documents) {
            writes.add(CompletableFuture.supplyAsync(() -> putIfNewer(store, document), requests));
        }
        long written = 0;
        RuntimeException failure = null;
        for (CompletableFuture<Upsert> write : writes) {
            try {
                written += write.join() == Upsert.WRITTEN ? 1 : 0;
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime : e;
                if (failure == null) {
                    failure = cause;
                } else if (failure != cause) {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return new Upserts(written, documents.size() - written);
    }

    /**
     * The query for a store's orders in a range of this axis's time: the range is in the key condition, never a
     * filter.
     */
    public QueryRequest query(StoreId store, TimeRange range) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":store", AttributeValue.fromS(store.value()));
        String sort = axis == Axis.CREATED_AT ? ORDER_KEY : UPDATED_AT;
        String condition = STORE_ID + " = :store";
        if (range.from() != null && range.to() != null) {
            // BETWEEN is inclusive. No order_key equals a bare bound (every key continues with '#<id>'), but an
            // updated_at can equal one exactly: its upper bound is the last instant before the range's end.
            condition += " AND " + sort + " BETWEEN :from AND :to";
            values.put(":from", AttributeValue.fromS(keyBound(range.from())));
            values.put(":to", AttributeValue.fromS(keyBound(axis == Axis.CREATED_AT ? range.to() : range.to().minusNanos(1))));
        } else if (range.from() != null) {
            condition += " AND " + sort + " >= :from";
            values.put(":from", AttributeValue.fromS(keyBound(range.from())));
        } else if (range.to() != null) {
            condition += " AND " + sort + " < :to";
            values.put(":to", AttributeValue.fromS(keyBound(range.to())));
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).keyConditionExpression(condition)
                .expressionAttributeValues(values);
        return (axis == Axis.UPDATED_AT ? query.indexName(UPDATED_INDEX) : query).build();
    }

    /** Where an item stands on this axis: its created_at (read from its key) or its updated_at, unparsed. */
    Instant positionOf(Map<String, AttributeValue> item) {
        if (axis == Axis.UPDATED_AT) {
            return Instant.parse(item.get(UPDATED_AT).s());
        }
        String key = item.get(ORDER_KEY).s();
        return Instant.parse(key.substring(0, key.indexOf('#')));
    }

    /** The last order's time on this axis in the range, if the range holds any order (one item read). */
    public Optional<Instant> lastPosition(StoreId store, TimeRange range) {
        QueryResponse last = dynamo.query(query(store, range).toBuilder().scanIndexForward(false).limit(1).build());
        return last.items().stream().findFirst().map(this::positionOf);
    }

    /**
     * One page of the range's orders, starting after the order where the cursor {@code after} points (null: from
     * the start of the range).
     */
    public OrderPage page(StoreId store, TimeRange range, String after) {
        QueryRequest request = query(store, range);
        QueryResponse response = dynamo.query(after == null ? request
                : request.toBuilder().exclusiveStartKey(startKey(store, after)).build());
        Map<String, AttributeValue> last = response.lastEvaluatedKey();
        return new OrderPage(response.items(), this::toOrder, this::positionOf,
                last == null || last.isEmpty() ? null : cursor(last));
    }

    /** A page's last key as text: the order_key, preceded on the index by the updated_at it sorts by. */
    private String cursor(Map<String, AttributeValue> lastKey) {
        String orderKey = lastKey.get(ORDER_KEY).s();
        return axis == Axis.CREATED_AT ? orderKey : lastKey.get(UPDATED_AT).s() + CURSOR_SEPARATOR + orderKey;
    }

    private Map<String, AttributeValue> startKey(StoreId store, String cursor) {
        if (axis == Axis.CREATED_AT) {
            return Map.of(STORE_ID, AttributeValue.fromS(store.value()), ORDER_KEY, AttributeValue.fromS(cursor));
        }
        int separator = cursor.indexOf(CURSOR_SEPARATOR);
        return Map.of(STORE_ID, AttributeValue.fromS(store.value()),
                UPDATED_AT, AttributeValue.fromS(cursor.substring(0, separator)),
                ORDER_KEY, AttributeValue.fromS(cursor.substring(separator + 1)));
    }

    private Order toOrder(Map<String, AttributeValue> item) {
        try {
            return Order.fromJson(item.get(DOCUMENT).s());
        } catch (IOException e) {
            throw new UncheckedIOException("order item " + item.get(ORDER_KEY).s() + " holds no valid JSON", e);
        }
    }

    private Map<String, AttributeValue> toItem(StoreId store, JsonNode document) {
        Order order = Order.fromDocument(document);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(STORE_ID, AttributeValue.fromS(store.value()));
        item.put(ORDER_KEY, AttributeValue.fromS(orderKey(order.createdAt(), order.id())));
        item.put(DOCUMENT, AttributeValue.fromS(document.toString()));
        if (order.updatedAt() != null) {
            item.put(UPDATED_AT, AttributeValue.fromS(keyBound(order.updatedAt())));
        }
        return item;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
