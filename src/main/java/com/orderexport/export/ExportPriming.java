package com.orderexport.export;

import com.orderexport.config.AwsClients;
import com.orderexport.config.PrimingClients;
import com.orderexport.csv.OrderCsvWriter;
import com.orderexport.files.Crc64Nvme;
import com.orderexport.filter.InvalidFilterException;
import com.orderexport.filter.OrderFilter;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderPage;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs the export's per-order path before SnapStart snapshots the function: a page of orders unmarshalled by
 * the SDK from a Query answered in-process ({@link PrimingClients}), each order bound, filtered and written as
 * CSV, the bytes checksummed. Nothing is sent to AWS. Returns the rows written, for a test to check.
 */
final class ExportPriming {

    static final String FILTER = "ge(created_at,2024-01-01):lt(created_at,2024-02-01):in(status,complete,processing)"
            + ":like(email,*@example.com):gt(with_tax,0):eq(product_sku,SKU-1)";
    private static final int ORDERS = 200;

    private ExportPriming() {}

    static long run() {
        StoreId store = new StoreId("priming-store");
        try (DynamoDbClient dynamo = PrimingClients.dynamoDb(AwsClients.Budget.BACKGROUND, (operation, request) ->
                operation.equals("Query") ? page() : "{}")) {
            OrderFilter filter = OrderFilter.parse(FILTER);
            OrderPage page = new OrderStore(dynamo, "priming-orders").page(store, filter.createdAtRange(), null);
            ByteArrayOutputStream csv = new ByteArrayOutputStream();
            long rows;
            try (OrderCsvWriter writer = new OrderCsvWriter(csv)) {
                for (Order order : page) {
                    if (filter.test(order)) {
                        writer.write(order);
                    }
                }
                rows = writer.rowCount();
            }
            byte[] bytes = csv.toByteArray();
            Crc64Nvme crc = new Crc64Nvme();
            crc.update(bytes, 0, bytes.length);
            return crc.length() == bytes.length ? rows : -1;
        } catch (InvalidFilterException e) {
            throw new IllegalStateException("the priming filter is valid", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Query page of orders a few hours apart in January 2024, each with the fields the export reads. */
    private static String page() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < ORDERS; i++) {
            Instant created = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i * 3600L + i % 7);
            String id = "priming-order-" + i;
            String document = "{\"data\":{\"type\":\"order\",\"id\":\"" + id + "\",\"order_number\":\"" + (1000 + i)
                    + "\",\"status\":\"" + (i % 3 == 0 ? "processing" : "complete") + "\",\"payment\":\"paid\","
                    + "\"shipping\":\"fulfilled\",\"customer\":{\"name\":\"Ann Perkins\",\"email\":\"ann"
                    + i + "@example.com\"},\"relationships\":{\"customer\":{\"data\":{\"type\":\"customer\",\"id\":"
                    + "\"cust-1\"}}},\"shipping_address\":{\"first_name\":\"Ann\",\"last_name\":\"Perkins\","
                    + "\"line_1\":\"1 Main Street\",\"city\":\"Pawnee\",\"postcode\":\"46001\",\"country\":\"US\"},"
                    + "\"billing_address\":{\"first_name\":\"Ann\",\"country\":\"US\"},\"meta\":{\"display_price\":"
                    + "{\"with_tax\":{\"amount\":" + (1100 + i) + ",\"currency\":\"USD\",\"formatted\":\"$11.00\"},"
                    + "\"without_tax\":{\"amount\":1000,\"currency\":\"USD\"},\"tax\":{\"amount\":" + (100 + i)
                    + ",\"currency\":\"USD\"}},\"timestamps\":{\"created_at\":\"" + created + "\",\"updated_at\":\""
                    + created.plusMillis(1500) + "\"}}},\"included\":{\"items\":[{\"type\":\"order_item\",\"id\":"
                    + "\"" + id + "-1\",\"product_id\":\"prod-1\",\"sku\":\"SKU-" + (i % 2) + "\",\"name\":"
                    + "\"Product\",\"quantity\":" + (1 + i % 3) + "}]}}";
            items.append(i == 0 ? "" : ",").append("{\"store_id\":{\"S\":\"priming-store\"},\"order_key\":{\"S\":\"")
                    .append(OrderStore.orderKey(created, id)).append("\"},\"document\":{\"S\":\"")
                    .append(document.replace("\"", "\\\"")).append("\"}}");
        }
        return "{\"Count\":" + ORDERS + ",\"ScannedCount\":" + ORDERS + ",\"Items\":[" + items + "]}";
    }
}
