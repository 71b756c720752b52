package com.orderexport.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.AwsClients;
import com.orderexport.config.Settings;
import com.orderexport.elasticpath.ElasticPathClient;
import com.orderexport.elasticpath.OrderHistory;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Command line: copies a store's orders from Elastic Path ({@code GET /v2/orders?include=items} with a
 * client-credentials token) into the orders table, oldest first, each order with the webhook's conditional
 * write ({@link OrderStore#putAllIfNewer}): run beside the webhooks, it never puts an older version of an order
 * over a newer one they wrote. The client secret comes from {@code EP_CLIENT_SECRET}, never from the command
 * line, where other users of the machine could read it. Exit 0 done, 1 some orders were left out, 2 it stopped.
 */
public final class ElasticPathBackfill {

    static final String SECRET_VARIABLE = "EP_CLIENT_SECRET";
    /** Conditional writes in flight at once: a page of Elastic Path's orders is written in a few round trips. */
    static final int WRITES_IN_FLIGHT = 16;
    static final String USAGE = "usage: ElasticPathBackfill --store STORE --ep-url URL --client-id ID [--table ORDERS_TABLE]"
            + " [--since 2018-01-01T00:00:00Z]   (client secret in " + SECRET_VARIABLE + "; table also from "
            + Settings.ORDERS_TABLE + ")";

    private ElasticPathBackfill() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.err, null));
    }

    /** Runs the command; {@code dynamo} null means a client built from the environment. */
    public static int run(String[] args, Map<String, String> env, PrintStream err, DynamoDbClient dynamo) {
        String store = null;
        String url = null;
        String clientId = null;
        String table = env.get(Settings.ORDERS_TABLE);
        String since = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--store" -> store = value;
                case "--ep-url" -> url = value;
                case "--client-id" -> clientId = value;
                case "--table" -> table = value;
                case "--since" -> since = value;
                default -> {
                    err.println("error: unknown argument " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
            i++;
        }
        String secret = env.get(SECRET_VARIABLE);
        if (store == null || url == null || clientId == null || table == null || secret == null || secret.isBlank()) {
            err.println(USAGE);
            return 2;
        }
        if (!StoreId.isValid(store)) {
            err.println("error: '" + store + "' is not a valid store id (1 to 64 of A-Z, a-z, 0-9, _ and -)");
            return 2;
        }
        Instant from;
        try {
            from = since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            err.println("error: --since takes an instant such as 2018-01-01T00:00:00Z, not " + since);
            return 2;
        }
        ElasticPathClient elasticPath = new ElasticPathClient(URI.create(url), clientId, secret,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Clock.systemUTC());
        OrderStore orders = new OrderStore(dynamo != null ? dynamo : AwsClients.dynamoDbForBulkWrites(), table);
        StoreId storeId = new StoreId(store);
        long[] loaded = {0};
        long[] rejected = {0};
        long[] unchanged = {0};
        AtomicInteger writers = new AtomicInteger();
        ExecutorService writes = Executors.newFixedThreadPool(WRITES_IN_FLIGHT, write -> {
            Thread thread = new Thread(write, "backfill-write-" + writers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            OrderHistory.Summary summary = new OrderHistory(elasticPath).readAll(from, documents -> {
                List<JsonNode> valid = new ArrayList<>(documents.size());
                for (JsonNode document : documents) {
                    String problem = problemOf(document);
                    if (problem == null) {
                        valid.add(document);
                    } else {
                        err.println("order " + document.path("data").path("id").asText("(no id)") + ": "
                                + problem + "; skipped");
                        rejected[0]++;
                    }
                }
                unchanged[0] += orders.putAllIfNewer(storeId, valid, writes).unchanged();
                long before = loaded[0];
                loaded[0] += valid.size();
                if (before / OrderLoader.PROGRESS_EVERY != loaded[0] / OrderLoader.PROGRESS_EVERY) {
                    err.println("... " + loaded[0] + " orders loaded");
                }
            });
            long skipped = summary.skipped() + rejected[0];
            err.println("loaded " + loaded[0] + " orders from " + url + " into " + table + " for store " + store
                    + " in " + summary.requests() + " requests (" + unchanged[0] + " already there as new or newer,"
                    + " left as they were); skipped " + skipped);
            return skipped == 0 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            err.println("error: the backfill stopped after " + loaded[0] + " orders: " + e.getMessage()
                    + "; running it again is safe (an order already there as new or newer is left as it is)");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted after " + loaded[0] + " orders");
            return 2;
        } finally {
            writes.shutdownNow();
        }
    }

    /** Why the table cannot take this order (the webhook refuses the same), or null. */
    private static String problemOf(JsonNode document) {
        try {
            return Order.fromDocument(document).updatedAt() == null ? "no valid data.meta.timestamps.updated_at" : null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
