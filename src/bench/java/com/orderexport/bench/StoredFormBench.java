package com.orderexport.bench;

import com.orderexport.orders.TimeRange;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderPage;
import com.orderexport.orders.OrderStore;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * P2m: why the orders table keeps each document as JSON text. Reading a store's orders the way the export does
 * (Query pages, then each document bound by {@code OrderJson}) against reading the same whole documents stored
 * as DynamoDB maps, where the SDK's unmarshalling would be the only parse: the maps side is timed for the
 * unmarshalling alone, before any field is read out of them. Not measured: maps cut down to the fields an
 * export reads (by projection, or as top-level attributes), which would no longer keep the whole order.
 */
final class StoredFormBench {

    private static final int ORDERS = 40_000;
    private static final long PAGE_CACHE_BYTES = 256L * 1024 * 1024;

    private StoredFormBench() {}

    static Figure run(Scale scale, ExportRig rig) throws Exception {
        OrderItems items = OrderItems.of(scale.quick() ? ORDERS / 4 : ORDERS);
        rig.serve(items);
        try (DynamoStub mapsStub = DynamoStub.start(PAGE_CACHE_BYTES);
             DynamoDbClient mapsClient = BenchClients.dynamo(mapsStub.endpoint())) {
            mapsStub.serve(items);
            mapsStub.documentsAsMaps(true);
            OrderStore textTable = rig.orders;
            OrderStore mapsTable = new OrderStore(mapsClient, ExportRig.ORDERS_TABLE);
            SideBySide.Samples samples = SideBySide.run(scale.exportWarmups(), scale.exportRounds(), () -> {
                long start = System.nanoTime();
                expectAll(items, bindAll(textTable, items));
                return SideBySide.secondsSince(start);
            }, () -> {
                long start = System.nanoTime();
                expectAll(items, unmarshalAll(mapsClient, mapsTable, items));
                return SideBySide.secondsSince(start);
            });
            double ours = items.count() / samples.oursMedian();
            double baseline = items.count() / samples.baselineMedian();
            return Figure.of("P2m", "read + bind: JSON text vs map", samples.baselineOverOursMedian(), ours,
                    baseline, "rows/s", ">=1", true, Map.of("orders", items.count(), "rounds", scale.exportRounds()),
                    items.count() + " orders × " + scale.exportRounds() + " rounds after " + scale.exportWarmups()
                            + " warm-ups; ours: Query pages of documents as JSON text, each bound to an Order;"
                            + " baseline: the same pages with the whole documents as DynamoDB maps (M/L/N/S),"
                            + " unmarshalled by the SDK and not read further; ratio = median of the rounds' ratios");
        }
    }

    private static long bindAll(OrderStore table, OrderItems items) {
        long bound = 0;
        String after = null;
        do {
            OrderPage page = table.page(items.store(), TimeRange.ALL, after);
            for (Order order : page) {
                bound += order.id() == null ? 0 : 1;
            }
            after = page.next().orElse(null);
        } while (after != null);
        return bound;
    }

    private static long unmarshalAll(DynamoDbClient client, OrderStore table, OrderItems items) {
        long read = 0;
        for (QueryResponse page : client.queryPaginator(table.query(items.store(), TimeRange.ALL))) {
            for (Map<String, AttributeValue> item : page.items()) {
                read += item.get("document").hasM() ? 1 : 0;
            }
        }
        return read;
    }

    private static void expectAll(OrderItems items, long read) {
        if (read != items.count()) {
            throw new IllegalStateException("read " + read + " of " + items.count() + " orders");
        }
    }
}
