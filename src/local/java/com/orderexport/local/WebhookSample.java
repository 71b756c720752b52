package com.orderexport.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * An Elastic Path webhook delivery of one order, as the local stack's session block sends it with curl: an
 * order of September 2018, refunded, so the seed request's filter selects it. Its updated_at is the time of
 * printing, so pasting the curl of a later run is newer again.
 */
final class WebhookSample {

    static final Instant CREATED = Instant.parse("2018-09-15T12:00:00Z");

    private WebhookSample() {}

    /** The envelope (id, triggered_by, attempt, integration, payload) of one order event. */
    static ObjectNode delivery(String orderId, String trigger) {
        return delivery(orderId, trigger, CREATED, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    static ObjectNode delivery(String orderId, String trigger, Instant createdAt, Instant updatedAt) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode envelope = json.objectNode();
        envelope.put("id", "delivery-" + orderId + "-" + updatedAt.getEpochSecond());
        envelope.put("triggered_by", trigger);
        envelope.put("attempt", 1);
        envelope.putObject("integration").put("id", "local-integration").put("integration_type", "webhook")
                .put("name", "order export").put("description", "orders kept in sync");
        ObjectNode payload = envelope.putObject("payload");
        ObjectNode data = payload.putObject("data");
        data.put("type", "order").put("id", orderId).put("status", "complete").put("payment", "refunded")
                .put("shipping", "fulfilled");
        data.putObject("customer").put("name", "Leslie Knope").put("email", "leslie.knope@example.com");
        ObjectNode meta = data.putObject("meta");
        meta.putObject("display_price").putObject("with_tax").put("amount", 2500).put("currency", "USD")
                .put("formatted", "$25.00");
        meta.putObject("timestamps").put("created_at", createdAt.toString()).put("updated_at", updatedAt.toString());
        data.putObject("relationships").putObject("items").putArray("data").addObject()
                .put("type", "item").put("id", orderId + "-item-0");
        payload.putObject("included").putArray("items").addObject().put("type", "order_item")
                .put("id", orderId + "-item-0").put("product_id", "prod-1").put("sku", "SKU-1").put("name", "Product 1")
                .put("quantity", 1);
        return envelope;
    }
}
