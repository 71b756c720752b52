package com.orderexport.tools;

import com.orderexport.orders.Order;
import com.orderexport.orders.OrderStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.AwsClients;
import com.orderexport.config.Settings;
import com.orderexport.store.StoreId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Command line: loads a JSONL file of Elastic Path orders (one {@code GET /v2/orders/{id}?include=items}
 * document per line) into the orders table for one store. Bad lines are reported by number and skipped;
 * the exit code is 1 if any line was rejected, 2 if the load could not run at all.
 */
public final class OrderLoader {

    static final String USAGE = "usage: OrderLoader --store <store-id> [--table <orders-table>] <orders.jsonl | ->";
    static final int PROGRESS_EVERY = 10_000;

    private final ObjectMapper mapper = new ObjectMapper();
    private final PrintStream err;

    OrderLoader(PrintStream err) {
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err, null));
    }

    /** Runs the command; {@code dynamo} null means a client built from the environment. */
    public static int run(String[] args, PrintStream err, DynamoDbClient dynamo) {
        String store = null;
        String table = System.getenv(Settings.ORDERS_TABLE);
        String file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--store" -> store = i + 1 < args.length ? args[++i] : null;
                case "--table" -> table = i + 1 < args.length ? args[++i] : null;
                default -> file = args[i];
            }
        }
        if (store == null || table == null || file == null) {
            err.println(USAGE + (table == null ? " (or set " + Settings.ORDERS_TABLE + ")" : ""));
            return 2;
        }
        if (!StoreId.isValid(store)) {
            err.println("error: '" + store + "' is not a valid store id (1 to 64 of A-Z, a-z, 0-9, _ and -)");
            return 2;
        }
        try (BufferedReader reader = "-".equals(file)
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            OrderStore orders = new OrderStore(dynamo != null ? dynamo : AwsClients.dynamoDb(AwsClients.Budget.BACKGROUND), table);
            return new OrderLoader(err).load(reader, orders, new StoreId(store), table);
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + file);
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("error: the load stopped: " + e.getMessage());
            return 2;
        }
    }

    int load(BufferedReader reader, OrderStore orders, StoreId store, String table) throws IOException {
        List<JsonNode> batch = new ArrayList<>(OrderStore.BATCH_SIZE);
        long lineNumber = 0;
        long loaded = 0;
        long rejected = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                batch.add(orderDocument(line));
            } catch (IllegalArgumentException problem) {
                err.println("line " + lineNumber + ": " + problem.getMessage() + "; skipped");
                rejected++;
                continue;
            }
            if (batch.size() == OrderStore.BATCH_SIZE) {
                orders.putAll(store, batch);
                loaded += batch.size();
                batch.clear();
            }
            if (lineNumber % PROGRESS_EVERY == 0) {
                err.println("... " + lineNumber + " lines read, " + loaded + " orders loaded");
            }
        }
        orders.putAll(store, batch);
        loaded += batch.size();
        err.println("loaded " + loaded + " orders into " + table + " for store " + store + "; rejected "
                + rejected + " line" + (rejected == 1 ? "" : "s"));
        return rejected == 0 ? 0 : 1;
    }

    /** The line as an order document, or why it is not one. */
    private JsonNode orderDocument(String line) {
        JsonNode document;
        try {
            document = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON");
        }
        Order.fromDocument(document);
        return document;
    }
}
