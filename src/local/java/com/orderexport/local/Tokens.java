package com.orderexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies the local stack's access tokens: HS256 JWTs carrying the store claim, standing in
 * for the identity provider and API Gateway's JWT authorizer.
 */
final class Tokens {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] secret;
    private final String issuer;
    private final String audience;
    private final String storeClaim;
    private final Duration lifetime;
    private final Clock clock;

    Tokens(byte[] secret, String issuer, String audience, String storeClaim, Duration lifetime, Clock clock) {
        this.secret = secret.clone();
        this.issuer = issuer;
        this.audience = audience;
        this.storeClaim = storeClaim;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    Duration lifetime() {
        return lifetime;
    }

    /** A signed token for a client acting for a store; expires after the configured lifetime. */
    String issue(String clientId, String store, Instant issuedAt) {
        ObjectNode claims = MAPPER.createObjectNode();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", clientId);
        claims.put(storeClaim, store);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plus(lifetime).getEpochSecond());
        String unsigned = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(claims.toString());
        return unsigned + "." + ENCODER.encodeToString(sign(unsigned));
    }

    /** The token's claims as API Gateway passes them (all strings), if it is well formed, ours and unexpired. */
    Optional<Map<String, String>> verify(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            byte[] expected = sign(parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expected, DECODER.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode header = MAPPER.readTree(DECODER.decode(parts[0]));
            JsonNode claims = MAPPER.readTree(DECODER.decode(parts[1]));
            if (!"HS256".equals(header.path("alg").asText()) || !issuer.equals(claims.path("iss").asText())
                    || !audience.equals(claims.path("aud").asText())
                    || claims.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            Map<String, String> strings = new LinkedHashMap<>();
            claims.properties().forEach(e -> strings.put(e.getKey(), e.getValue().asText()));
            return Optional.of(strings);
        } catch (IllegalArgumentException | java.io.IOException malformed) {
            return Optional.empty();
        }
    }

    private byte[] sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    private static String encode(String json) {
        return ENCODER.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
