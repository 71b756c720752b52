package com.orderexport.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.config.Settings;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStore;
import com.orderexport.local.StreamFeeder;
import com.orderexport.orders.TimeRange;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.testing.HttpEvents;
import com.orderexport.testing.JobBuilder;
import com.orderexport.testing.Orders;
import com.orderexport.testing.TestStack;
import com.orderexport.tools.StoreAdmin;
import com.orderexport.webhooks.WebhookSecrets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Elastic Path webhook deliveries through the class template.yaml names for the webhook route, on the emulator
 * (the orders table, the store's secret in Parameter Store): at least once and out of order, the newest order
 * wins; a wrong secret or a malformed body writes nothing.
 */
@ExtendWith(EmulatorExtension.class)
class OrderWebhookIT {

    static final Instant CREATED = Instant.parse("2018-09-10T08:00:00Z");
    static TestStack stack;
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> webhook;
    static WebhookSecrets secrets;
    static OrderStore orders;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void buildTheTemplatesHandler(TestStack testStack) {
        stack = testStack;
        webhook = stack.handler("OrderSyncFunction", APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class);
        Settings settings = stack.settingsOf("OrderSyncFunction");
        secrets = new WebhookSecrets(SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                settings.webhookSecretsPath(), Clock.systemUTC());
        orders = new OrderStore(stack.dynamo(), settings.ordersTable());
    }

    @Test
    void aCreatedOrder_isInTheNextExport() throws Exception {
        StoreId store = storeWithSecret("s3cret");

        APIGatewayV2HTTPResponse response = deliver(store, "s3cret", delivery("order.created", "o-new", "2018-09-10T08:00:00Z"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(mapper.readTree(response.getBody()).path("result").asText()).isEqualTo("written");
        JobStore jobs = new JobStore(stack.dynamo(), stack.settingsOf("OrderExportFunction").jobsTable());
        Job job = JobBuilder.pending(store, "gt(created_at,2018-09-01):lt(created_at,2018-10-01)").createIn(jobs);
        RequestHandler<DynamodbEvent, StreamsEventResponse> export =
                stack.handler("OrderExportFunction", DynamodbEvent.class, StreamsEventResponse.class);
        for (DynamodbEvent batch : new StreamFeeder(stack.resources(), stack.dynamo(), "OrderExportFunction").poll(store.value())) {
            assertThat(export.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        }
        Job done = jobs.find(store, job.id()).orElseThrow();
        ExportedFiles files = new ExportedFiles(jobs, stack.s3(), stack.settingsOf("OrderExportFunction").exportBucket());

        assertThat(files.of(done).ids()).containsExactly("o-new");
    }

    @Test
    void anUpdateThenALateOlderUpdate_leavesTheNewerOrder() throws Exception {
        StoreId store = storeWithSecret("s3cret");
        deliver(store, "s3cret", delivery("order.created", "o1", "2018-09-10T08:00:00Z"));

        APIGatewayV2HTTPResponse newer = deliver(store, "s3cret",
                delivery("order.fulfilled", "o1", "2018-09-12T08:00:00Z", "fulfilled"));
        APIGatewayV2HTTPResponse older = deliver(store, "s3cret",
                delivery("order.paid", "o1", "2018-09-11T08:00:00Z", "unfulfilled"));

        assertThat(mapper.readTree(newer.getBody()).path("result").asText()).isEqualTo("written");
        assertThat(older.getStatusCode()).isEqualTo(200);
        assertThat(mapper.readTree(older.getBody()).path("result").asText()).isEqualTo("unchanged");
        List<Order> stored = storedOrders(store);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).shipping()).isEqualTo("fulfilled");
        assertThat(stored.get(0).updatedAt()).isEqualTo(Instant.parse("2018-09-12T08:00:00Z"));
        assertThat(stored.get(0).createdAt()).isEqualTo(CREATED);
    }

    @Test
    void theSameDeliveryTwice_changesNothing() throws Exception {
        StoreId store = storeWithSecret("s3cret");
        ObjectNode body = delivery("order.created", "o1", "2018-09-10T08:00:00Z");
        deliver(store, "s3cret", body);
        List<Order> before = storedOrders(store);

        APIGatewayV2HTTPResponse again = deliver(store, "s3cret", body);

        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(mapper.readTree(again.getBody()).path("result").asText()).isEqualTo("unchanged");
        assertThat(storedOrders(store)).hasSize(1);
        // Every field the export reads is as it was.
        assertThat(ExportedFile.export(storedOrders(store).get(0))).isEqualTo(ExportedFile.export(before.get(0)));
    }

    @Test
    void aWrongOrMissingSecret_is401AndWritesNothing() throws Exception {
        StoreId store = storeWithSecret("s3cret");
        StoreId noSecret = TestStack.newStore();
        ObjectNode body = delivery("order.created", "o1", "2018-09-10T08:00:00Z");

        APIGatewayV2HTTPResponse wrong = deliver(store, "s3cret-not", body);
        APIGatewayV2HTTPResponse missing = webhook.handleRequest(HttpEvents.request("POST", route(store))
                .pathParameter("store_id", store.value()).body(body.toString()).build(), null);
        APIGatewayV2HTTPResponse storeWithout = deliver(noSecret, "s3cret", body);

        assertThat(wrong.getStatusCode()).isEqualTo(401);
        assertThat(mapper.readTree(wrong.getBody()).path("errors").get(0).path("status").asInt()).isEqualTo(401);
        assertThat(missing.getStatusCode()).isEqualTo(401);
        assertThat(storeWithout.getStatusCode()).isEqualTo(401);
        assertThat(storeWithout.getBody()).isEqualTo(wrong.getBody());
        assertThat(storedOrders(store)).isEmpty();
        assertThat(storedOrders(noSecret)).isEmpty();
    }

    @Test
    void theStore_isTheRoutesNeverThePayloads() throws Exception {
        StoreId store = storeWithSecret("store-secret");
        StoreId other = storeWithSecret("other-secret");
        ObjectNode body = delivery("order.created", "o1", "2018-09-10T08:00:00Z");
        body.put("store_id", other.value());
        ((ObjectNode) body.path("payload").path("data")).put("store_id", other.value());

        assertThat(deliver(store, "store-secret", body).getStatusCode()).isEqualTo(200);

        assertThat(storedOrders(store)).hasSize(1);
        assertThat(storedOrders(other)).isEmpty();
    }

    @Test
    void anOrderOnlyUnderTheDeprecatedResources_isStored() throws Exception {
        StoreId store = storeWithSecret("s3cret");
        ObjectNode body = delivery("order.updated", "o-legacy", "2018-09-10T08:00:00Z");
        JsonNode order = body.remove("payload");
        body.put("resources", order.toString());

        APIGatewayV2HTTPResponse response = deliver(store, "s3cret", body);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(storedOrders(store)).extracting(Order::id).containsExactly("o-legacy");
        assertThat(storedOrders(store).get(0).items()).hasSize(1);
    }

    @Test
    void aMalformedBody_is400AndWritesNothing() throws Exception {
        StoreId store = storeWithSecret("s3cret");
        ObjectNode noUpdatedAt = delivery("order.updated", "o1", "2018-09-10T08:00:00Z");
        ((ObjectNode) noUpdatedAt.path("payload").path("data").path("meta").path("timestamps")).remove("updated_at");

        for (String body : List.of("not json", "{}", "{\"triggered_by\":\"order.created\"}", noUpdatedAt.toString())) {
            APIGatewayV2HTTPResponse response = deliver(store, "s3cret", body);

            assertThat(response.getStatusCode()).as(body).isEqualTo(400);
            assertThat(mapper.readTree(response.getBody()).path("errors").get(0).path("title").asText()).isEqualTo("Bad Request");
        }
        assertThat(storedOrders(store)).isEmpty();
    }

    @Test
    void anEventThatIsNoOrderEvent_isAcknowledgedAndIgnored() throws Exception {
        StoreId store = storeWithSecret("s3cret");

        APIGatewayV2HTTPResponse response = deliver(store, "s3cret",
                "{\"id\":\"d\",\"triggered_by\":\"product.created\",\"attempt\":1,\"payload\":{\"data\":{}}}");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(mapper.readTree(response.getBody()).path("result").asText()).isEqualTo("ignored");
        assertThat(storedOrders(store)).isEmpty();
    }

    // ---- helpers

    private static StoreId storeWithSecret(String secret) {
        StoreId store = TestStack.newStore();
        StoreAdmin.setWebhookSecret(secrets, store, secret);
        return store;
    }

    private static String route(StoreId store) {
        return "/integrations/elastic-path/orders/" + store.value();
    }

    private static APIGatewayV2HTTPResponse deliver(StoreId store, String secret, Object body) {
        return webhook.handleRequest(HttpEvents.request("POST", route(store)).pathParameter("store_id", store.value())
                .header("X-MOLTIN-SECRET-KEY", secret).body(body.toString()).build(), null);
    }

    private ObjectNode delivery(String trigger, String orderId, String updatedAt) {
        return delivery(trigger, orderId, updatedAt, "unfulfilled");
    }

    private ObjectNode delivery(String trigger, String orderId, String updatedAt, String shipping) {
        ObjectNode envelope = mapper.createObjectNode().put("id", UUID.randomUUID().toString())
                .put("triggered_by", trigger).put("attempt", 1);
        envelope.putObject("integration").put("id", "integration-1").put("integration_type", "webhook");
        envelope.set("payload", Orders.typicalOrder(orderId, CREATED).shipping(shipping).updatedAt(updatedAt)
                .item("p-1", "sku-1", 2).document());
        return envelope;
    }

    private static List<Order> storedOrders(StoreId store) {
        List<Order> found = new ArrayList<>();
        String after = null;
        do {
            var page = orders.page(store, TimeRange.ALL, after);
            StreamSupport.stream(page.spliterator(), false).forEach(found::add);
            after = page.next().orElse(null);
        } while (after != null);
        return found;
    }
}
