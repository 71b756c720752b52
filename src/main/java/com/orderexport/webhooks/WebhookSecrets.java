package com.orderexport.webhooks;

import com.orderexport.store.StoreId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Each store's webhook secret: a Parameter Store SecureString named {@code <path><store id>}, the value an
 * Elastic Path integration sends as {@code X-MOLTIN-SECRET-KEY}. A function keeps what it read for a minute,
 * so a burst of deliveries costs one read (and a rotated secret is in use within that minute); a store with no
 * secret is asked about again after a few seconds.
 */
public final class WebhookSecrets {

    static final Duration KEEP_FOUND = Duration.ofMinutes(1);
    static final Duration KEEP_MISSING = Duration.ofSeconds(5);

    private record Cached(Optional<String> secret, Instant until) {}

    private final SsmClient ssm;
    private final String path;
    private final Clock clock;
    private final Map<StoreId, Cached> cache = new ConcurrentHashMap<>();

    /** @param path the parameter path, starting and ending with {@code /} */
    public WebhookSecrets(SsmClient ssm, String path, Clock clock) {
        this.ssm = ssm;
        this.path = path;
        this.clock = clock;
    }

    /** The parameter name of a store's secret. */
    public String nameOf(StoreId store) {
        return path + store.value();
    }

    /** The store's secret, if it has one. */
    public Optional<String> secretOf(StoreId store) {
        Instant now = clock.instant();
        Cached cached = cache.get(store);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.secret();
        }
        Optional<String> secret;
        try {
            secret = Optional.of(ssm.getParameter(r -> r.name(nameOf(store)).withDecryption(true)).parameter().value());
        } catch (ParameterNotFoundException none) {
            secret = Optional.empty();
        }
        cache.put(store, new Cached(secret, now.plus(secret.isPresent() ? KEEP_FOUND : KEEP_MISSING)));
        return secret;
    }

    /** Sets a store's secret (encrypted with the account's default Parameter Store key), replacing any before. */
    public void put(StoreId store, String secret) {
        ssm.putParameter(r -> r.name(nameOf(store)).value(secret).type(ParameterType.SECURE_STRING).overwrite(true)
                .description("Elastic Path webhook secret (X-MOLTIN-SECRET-KEY) of store " + store.value()));
        cache.remove(store);
    }

    /** Removes a store's secret; true when there was one. */
    public boolean delete(StoreId store) {
        cache.remove(store);
        try {
            ssm.deleteParameter(r -> r.name(nameOf(store)));
            return true;
        } catch (ParameterNotFoundException none) {
            return false;
        }
    }
}
