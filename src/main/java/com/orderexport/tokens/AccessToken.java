package com.orderexport.tokens;

import java.time.Instant;

/** A signed access token and the times a client needs to know when to fetch the next one. */
public record AccessToken(String token, Instant issuedAt, Instant expiresAt) {

    public long lifetimeSeconds() {
        return expiresAt.getEpochSecond() - issuedAt.getEpochSecond();
    }
}
