package com.orderexport.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.orders.Order;
import java.util.Set;

/**
 * One Elastic Path webhook delivery: {@code id}, {@code triggered_by}, {@code attempt}, {@code integration}, and
 * the order as {@code GET /v2/orders/{id}?include=items} returns it, under {@code payload} or under the
 * deprecated {@code resources} (the same document as a JSON string; integrations made before {@code payload}
 * existed send only that).
 *
 * @param order the order document ({@code {"data": ..., "included": {"items": [...]}}}), checked to have an id,
 *              created_at and updated_at
 */
public record WebhookDelivery(String id, String triggeredBy, int attempt, JsonNode order) {

    /** The order events an integration can observe; any of them carries the whole order as it now is. */
    public static final Set<String> ORDER_EVENTS = Set.of("order.created", "order.updated", "order.paid",
            "order.authorized", "order.fulfilled", "order.cancelled", "order.refunded");

    /** True for an order event; other events are acknowledged and left alone. */
    public boolean isOrderEvent() {
        return ORDER_EVENTS.contains(triggeredBy);
    }

    /**
     * Reads a delivery's body.
     *
     * @throws MalformedDeliveryException when it is not JSON, has no triggered_by, or (for an order event) no
     *     readable order with an id, created_at and updated_at under payload or resources
     */
    public static WebhookDelivery parse(ObjectMapper mapper, String body) throws MalformedDeliveryException {
        JsonNode envelope = json(mapper, body, "the body is not JSON");
        if (!envelope.isObject()) {
            throw new MalformedDeliveryException("the body is not a JSON object");
        }
        JsonNode trigger = envelope.path("triggered_by");
        if (!trigger.isTextual() || trigger.asText().isBlank()) {
            throw new MalformedDeliveryException("triggered_by is missing");
        }
        String id = envelope.path("id").isTextual() ? envelope.path("id").asText() : null;
        int attempt = envelope.path("attempt").asInt(1);
        if (!ORDER_EVENTS.contains(trigger.asText())) {
            return new WebhookDelivery(id, trigger.asText(), attempt, null);
        }
        JsonNode order = orderOf(mapper, envelope);
        try {
            Order read = Order.fromDocument(order);
            if (read.updatedAt() == null) {
                throw new MalformedDeliveryException("the order has no valid data.meta.timestamps.updated_at");
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedDeliveryException("the order has " + e.getMessage());
        }
        return new WebhookDelivery(id, trigger.asText(), attempt, order);
    }

    /** The payload object, else resources (a JSON string, or an object from senders that never stringified it). */
    private static JsonNode orderOf(ObjectMapper mapper, JsonNode envelope) throws MalformedDeliveryException {
        JsonNode payload = envelope.path("payload");
        if (payload.isObject() && !payload.isEmpty()) {
            return payload;
        }
        JsonNode resources = envelope.path("resources");
        if (resources.isTextual()) {
            JsonNode parsed = json(mapper, resources.asText(), "resources is not a JSON document");
            if (parsed.isObject()) {
                return parsed;
            }
        } else if (resources.isObject()) {
            return resources;
        }
        throw new MalformedDeliveryException("the delivery has neither payload nor resources holding an order");
    }

    private static JsonNode json(ObjectMapper mapper, String text, String problem) throws MalformedDeliveryException {
        try {
            JsonNode node = text == null || text.isBlank() ? null : mapper.readTree(text);
            if (node == null) {
                throw new MalformedDeliveryException(problem);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedDeliveryException(problem);
        }
    }
}
