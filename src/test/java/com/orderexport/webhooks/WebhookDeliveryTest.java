package com.orderexport.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.testing.Orders;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Elastic Path's webhook envelope: the order under payload or under the deprecated resources string. */
class WebhookDeliveryTest {

    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void anOrderUnderPayload_isRead() throws Exception {
        WebhookDelivery delivery = WebhookDelivery.parse(mapper, envelope("order.paid", true, false).toString());

        assertThat(delivery.triggeredBy()).isEqualTo("order.paid");
        assertThat(delivery.isOrderEvent()).isTrue();
        assertThat(delivery.attempt()).isEqualTo(2);
        assertThat(delivery.id()).isEqualTo("delivery-1");
        assertThat(delivery.order().path("data").path("id").asText()).isEqualTo("o1");
    }

    @Test
    void anOrderOnlyUnderResources_asAJsonString_isRead() throws Exception {
        WebhookDelivery delivery = WebhookDelivery.parse(mapper, envelope("order.created", false, true).toString());

        assertThat(delivery.order().path("data").path("id").asText()).isEqualTo("o1");
        assertThat(delivery.order().path("included").path("items")).hasSize(1);
    }

    @Test
    void everyOrderEvent_isAnOrderEvent() throws Exception {
        for (String trigger : WebhookDelivery.ORDER_EVENTS) {
            assertThat(WebhookDelivery.parse(mapper, envelope(trigger, true, false).toString()).isOrderEvent())
                    .as(trigger).isTrue();
        }
    }

    @Test
    void anotherEvent_isReadWithoutAnOrder() throws Exception {
        ObjectNode body = mapper.createObjectNode().put("triggered_by", "product.created").put("id", "d");

        WebhookDelivery delivery = WebhookDelivery.parse(mapper, body.toString());

        assertThat(delivery.isOrderEvent()).isFalse();
        assertThat(delivery.order()).isNull();
    }

    @Test
    void malformedDeliveries_sayWhy() {
        ObjectNode noUpdatedAt = envelope("order.updated", true, false);
        ((ObjectNode) noUpdatedAt.path("payload").path("data").path("meta").path("timestamps")).remove("updated_at");
        ObjectNode noCreatedAt = envelope("order.updated", true, false);
        ((ObjectNode) noCreatedAt.path("payload").path("data").path("meta").path("timestamps")).remove("created_at");
        ObjectNode brokenResources = envelope("order.updated", false, false).put("resources", "{not json");

        assertMalformed("", "not JSON");
        assertMalformed("{\"triggered_by\":", "not JSON");
        assertMalformed("[1,2]", "not a JSON object");
        assertMalformed("{\"payload\":{}}", "triggered_by");
        assertMalformed(envelope("order.created", false, false).toString(), "neither payload nor resources");
        assertMalformed(brokenResources.toString(), "resources is not a JSON document");
        assertMalformed(noUpdatedAt.toString(), "updated_at");
        assertMalformed(noCreatedAt.toString(), "created_at");
    }

    private void assertMalformed(String body, String why) {
        assertThatThrownBy(() -> WebhookDelivery.parse(mapper, body)).isInstanceOf(MalformedDeliveryException.class)
                .hasMessageContaining(why);
    }

    private ObjectNode envelope(String trigger, boolean payload, boolean resources) {
        ObjectNode order = Orders.typicalOrder("o1", Instant.parse("2018-09-01T10:00:00Z"))
                .item("p-1", "sku-1", 1).document();
        ((ObjectNode) order.path("data").path("meta").path("timestamps")).put("updated_at", "2018-09-02T10:00:00Z");
        ObjectNode envelope = mapper.createObjectNode().put("id", "delivery-1").put("triggered_by", trigger).put("attempt", 2);
        envelope.putObject("integration").put("id", "i-1").put("integration_type", "webhook");
        if (payload) {
            envelope.set("payload", order);
        }
        if (resources) {
            envelope.put("resources", order.toString());
        }
        return envelope;
    }
}
