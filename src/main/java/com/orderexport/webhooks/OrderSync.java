package com.orderexport.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.credentials.SecretHash;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Takes one webhook delivery for a store: checks the shared secret, reads the order and upserts it if newer.
 * The store is the one the route names, never anything in the payload, and nothing is written before both the
 * secret and the body have passed.
 */
public final class OrderSync {

    /** What became of a delivery that was let in. */
    public enum Outcome {
        /** The order was new or newer and is now stored. */
        WRITTEN,
        /** The stored order was as new or newer (a redelivery, or a late older version): nothing changed. */
        UNCHANGED,
        /** Not an order event: acknowledged, nothing to store. */
        IGNORED
    }

    /** The sender did not prove it knows the store's secret (or the store has none): said the same way for both. */
    public static final class NotAuthenticated extends Exception {
        private static final long serialVersionUID = 1L;

        NotAuthenticated() {
            super("the webhook secret is not valid for this store");
        }
    }

    private final WebhookSecrets secrets;
    private final OrderStore orders;
    private final ObjectMapper mapper = new ObjectMapper();

    public OrderSync(WebhookSecrets secrets, OrderStore orders) {
        this.secrets = secrets;
        this.orders = orders;
    }

    /**
     * @param store           the store the route names
     * @param presentedSecret the delivery's {@code X-MOLTIN-SECRET-KEY}, or null
     */
    public Outcome accept(StoreId store, String presentedSecret, String body) throws NotAuthenticated,
            MalformedDeliveryException {
        Optional<String> expected = secrets.secretOf(store);
        // Digests first: MessageDigest.isEqual is constant time only for inputs of one length.
        boolean matches = MessageDigest.isEqual(SecretHash.sha256(expected.orElse("")),
                SecretHash.sha256(presentedSecret == null ? "" : presentedSecret));
        if (expected.isEmpty() || presentedSecret == null || !matches) {
            throw new NotAuthenticated();
        }
        WebhookDelivery delivery = WebhookDelivery.parse(mapper, body);
        if (!delivery.isOrderEvent()) {
            return Outcome.IGNORED;
        }
        return orders.putIfNewer(store, delivery.order()) == OrderStore.Upsert.WRITTEN ? Outcome.WRITTEN
                : Outcome.UNCHANGED;
    }
}
