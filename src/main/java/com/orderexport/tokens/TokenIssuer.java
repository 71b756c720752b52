package com.orderexport.tokens;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.store.StoreId;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Issues the access tokens a store's client exchanges its credentials for: RS256 JWTs with iss, sub (the
 * client), aud, iat, exp, a unique jti and the store claim the Jobs API scopes every request to.
 */
public final class TokenIssuer {

    /** Elastic Path's tokens last an hour; clients written against it refresh on that rhythm. */
    public static final Duration LIFETIME = Duration.ofHours(1);

    private final TokenSigner signer;
    private final String issuer;
    private final String audience;
    private final String storeClaim;

    public TokenIssuer(TokenSigner signer, String issuer, String audience, String storeClaim) {
        this.signer = signer;
        this.issuer = issuer;
        this.audience = audience;
        this.storeClaim = storeClaim;
    }

    public AccessToken issue(String clientId, StoreId store, Instant now) {
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        Instant expiresAt = issuedAt.plus(LIFETIME);
        ObjectNode claims = JsonNodeFactory.instance.objectNode()
                .put("iss", issuer)
                .put("sub", clientId)
                .put("aud", audience)
                .put("iat", issuedAt.getEpochSecond())
                .put("exp", expiresAt.getEpochSecond())
                .put("jti", UUID.randomUUID().toString())
                .put(storeClaim, store.value());
        return new AccessToken(Jwt.sign(claims, signer), issuedAt, expiresAt);
    }
}
