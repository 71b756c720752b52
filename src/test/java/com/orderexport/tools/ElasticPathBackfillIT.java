package com.orderexport.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import com.orderexport.testing.ElasticPathStandIn;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The backfill against a stand-in of Elastic Path's token and orders endpoints, into the emulator's orders
 * table: more orders than Elastic Path lets anyone page to by offset, runs of orders sharing one millisecond
 * (one longer than a page), tokens that lapse mid-way.
 */
@ExtendWith(EmulatorExtension.class)
class ElasticPathBackfillIT {

    static final int ORDERS = 10_250;
    static TestStack stack;
    static String table;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void ordersTable(TestStack testStack) {
        stack = testStack;
        table = stack.settingsOf("OrderExportFunction").ordersTable();
    }

    @Test
    void moreThanTenThousandOrders_areAllLoadedOnceWithTheirItems_withoutAnOffsetPastElasticPathsCap() throws Exception {
        StoreId store = TestStack.newStore();
        try (ElasticPathStandIn elasticPath = ElasticPathStandIn.withGeneratedOrders(ORDERS, "ep-client", "ep-secret")
                .droppingTokensEvery(40)) {

            Run run = run(elasticPath, store, "ep-secret");

            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).contains("loaded " + ORDERS + " orders").contains("skipped 0");
            assertThat(elasticPath.largestOffset()).isLessThanOrEqualTo(ElasticPathStandIn.MAX_OFFSET);
            assertThat(elasticPath.orderRequests()).isLessThan(ORDERS / 90);
            assertThat(items(store)).hasSize(ORDERS);
            Map<String, JsonNode> stored = storedById(store);
            for (JsonNode expected : elasticPath.documents()) {
                assertThat(stored.get(expected.path("data").path("id").asText())).isEqualTo(expected);
            }
        }
    }

    @Test
    void anOrderTheWebhooksWroteNewer_isLeftAsItIs_andAnOlderStoredOneIsReplaced() throws Exception {
        StoreId store = TestStack.newStore();
        try (ElasticPathStandIn elasticPath = ElasticPathStandIn.withGeneratedOrders(60, "ep-client", "ep-secret")) {
            ObjectNode newer = versionOf(elasticPath.documents().get(17), "complete", 60);
            ObjectNode older = versionOf(elasticPath.documents().get(18), "incomplete", -60);
            OrderStore orders = new OrderStore(stack.dynamo(), table);
            orders.putIfNewer(store, newer);
            orders.putIfNewer(store, older);

            Run run = run(elasticPath, store, "ep-secret");

            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).contains("loaded 60 orders").contains("(1 already there as new or newer");
            Map<String, JsonNode> stored = storedById(store);
            assertThat(stored).hasSize(60);
            assertThat(stored.get(newer.path("data").path("id").asText())).isEqualTo(newer);
            assertThat(stored.get(elasticPath.documents().get(18).path("data").path("id").asText()))
                    .isEqualTo(elasticPath.documents().get(18));
        }
    }

    @Test
    void since_loadsOnlyOrdersCreatedFromThen() throws Exception {
        StoreId store = TestStack.newStore();
        try (ElasticPathStandIn elasticPath = ElasticPathStandIn.withGeneratedOrders(300, "ep-client", "ep-secret")) {
            String since = elasticPath.documents().get(200).path("data").path("meta").path("timestamps")
                    .path("created_at").asText();

            Run run = run(elasticPath, store, "ep-secret", "--since", since);

            assertThat(run.exit()).as(run.err()).isZero();
            long expected = elasticPath.documents().stream().filter(d -> d.path("data").path("meta").path("timestamps")
                    .path("created_at").asText().compareTo(since) >= 0).count();
            assertThat(items(store)).hasSize((int) expected);
        }
    }

    @Test
    void wrongCredentials_stopTheBackfillWithExit2AndLoadNothing() throws Exception {
        StoreId store = TestStack.newStore();
        try (ElasticPathStandIn elasticPath = ElasticPathStandIn.withGeneratedOrders(10, "ep-client", "ep-secret")) {

            Run run = run(elasticPath, store, "not-the-secret");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).contains("token endpoint answered 401");
            assertThat(items(store)).isEmpty();
        }
    }

    @Test
    void aMissingSecretOrStore_isTheUsage() {
        Run noSecret = run(new String[] {"--store", "s", "--ep-url", "http://127.0.0.1:1", "--client-id", "c",
            "--table", table}, Map.of());

        assertThat(noSecret.exit()).isEqualTo(2);
        assertThat(noSecret.err()).contains("usage:").contains("EP_CLIENT_SECRET");
    }

    record Run(int exit, String err) {}

    private Run run(ElasticPathStandIn elasticPath, StoreId store, String secret, String... more) {
        List<String> args = new ArrayList<>(List.of("--store", store.value(), "--ep-url", elasticPath.url().toString(),
                "--client-id", "ep-client", "--table", table));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new), Map.of("EP_CLIENT_SECRET", secret));
    }

    private Run run(String[] args, Map<String, String> env) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ElasticPathBackfill.run(args, env, new PrintStream(err, true, StandardCharsets.UTF_8), stack.dynamo());
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    /** The order with another status, updated {@code seconds} after (or, negative, before) Elastic Path's copy. */
    private static ObjectNode versionOf(ObjectNode document, String status, long seconds) {
        ObjectNode version = document.deepCopy();
        ObjectNode data = (ObjectNode) version.path("data");
        data.put("status", status);
        ObjectNode timestamps = (ObjectNode) data.path("meta").path("timestamps");
        timestamps.put("updated_at", Instant.parse(timestamps.path("updated_at").asText()).plusSeconds(seconds).toString());
        return version;
    }

    private Map<String, JsonNode> storedById(StoreId store) throws IOException {
        Map<String, JsonNode> stored = new HashMap<>();
        for (Map<String, AttributeValue> item : items(store)) {
            JsonNode document = mapper.readTree(item.get("document").s());
            stored.put(document.path("data").path("id").asText(), document);
        }
        return stored;
    }

    private List<Map<String, AttributeValue>> items(StoreId store) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = stack.dynamo().query(r -> r.tableName(table).keyConditionExpression("store_id = :s")
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(store.value()))).exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
