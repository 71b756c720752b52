package com.orderexport.jobs;

import com.orderexport.store.StoreId;
import java.time.Duration;
import java.time.Instant;

/** Remembers which job a client's Idempotency-Key created, and a hash of the request that created it. */
public record IdempotencyRecord(StoreId storeId, String key, String requestHash, String jobId, Instant expiresAt) {

    /** How long a key is remembered, as payment APIs do. */
    public static final Duration LIFETIME = Duration.ofHours(24);

    static String partitionOf(StoreId store) {
        return store.value() + "#idempotency";
    }

    public boolean isLiveAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
