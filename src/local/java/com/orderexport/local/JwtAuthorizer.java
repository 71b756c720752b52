package com.orderexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.tokens.IssuerDocuments;
import com.orderexport.tokens.Jwk;
import com.orderexport.tokens.Jwt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for API Gateway's JWT authorizer: finds the issuer's JWKS through its OIDC discovery document over
 * HTTP, as API Gateway does, and lets a token through only when its RS256 signature verifies with the key its
 * kid names and its iss, aud, exp and nbf hold. The claims it hands the function are strings, as in payload 2.0.
 */
final class JwtAuthorizer {

    /** An unknown kid sends it back to the JWKS, but not more often than this: forged kids cost nothing. */
    static final Duration REFETCH_AFTER = Duration.ofSeconds(5);

    private final String issuer;
    private final String audience;
    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, RSAPublicKey> keys = new ConcurrentHashMap<>();
    private Instant fetchedAt = Instant.MIN;

    JwtAuthorizer(String issuer, String audience, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.clock = clock;
    }

    /** The token's claims when API Gateway would let it in; empty otherwise. */
    Optional<Map<String, String>> verify(String token) {
        return check(token).claims();
    }

    /**
     * API Gateway's answer to a token, and when it refuses, why: API Gateway tells the client only 401, so the
     * reason is for the log of the one who runs the stack.
     */
    record Verdict(Optional<Map<String, String>> claims, String refusal) {
        static Verdict refused(String why) {
            return new Verdict(Optional.empty(), why);
        }
    }

    Verdict check(String token) {
        Jwt.Parsed parsed;
        try {
            parsed = Jwt.parse(token);
        } catch (IllegalArgumentException notAJwt) {
            return Verdict.refused("the bearer token is not a JWT (" + notAJwt.getMessage() + ")");
        }
        if (parsed.keyId() == null) {
            return Verdict.refused("the token's header names no kid");
        }
        RSAPublicKey key = keyFor(parsed.keyId());
        if (key == null) {
            return Verdict.refused("kid " + parsed.keyId() + " is not in the JWKS of " + issuer
                    + " (a token of another stack, or signed by a key this one does not publish)");
        }
        if (!parsed.signedBy(key)) {
            return Verdict.refused("the signature does not verify with key " + parsed.keyId() + " (altered or re-signed)");
        }
        JsonNode claims = parsed.claims();
        long now = clock.instant().getEpochSecond();
        String iss = claims.path("iss").asText(null);
        if (!issuer.equals(iss)) {
            return Verdict.refused("iss " + iss + " is not this API's issuer " + issuer
                    + " (issued by another run of the stack, whose issuer listened elsewhere?)");
        }
        if (!hasAudience(claims)) {
            return Verdict.refused("aud " + claims.path("aud") + " does not hold " + audience);
        }
        if (!claims.path("exp").isNumber()) {
            return Verdict.refused("the token has no numeric exp");
        }
        if (claims.path("exp").asLong() <= now) {
            return Verdict.refused("expired " + (now - claims.path("exp").asLong()) + " s ago ("
                    + Instant.ofEpochSecond(claims.path("exp").asLong()) + "); get a new token");
        }
        if (claims.has("nbf") && !(claims.path("nbf").isNumber() && claims.path("nbf").asLong() <= now)) {
            return Verdict.refused("not valid before nbf " + claims.path("nbf") + " (now " + now + ")");
        }
        if (claims.has("iat") && !(claims.path("iat").isNumber() && claims.path("iat").asLong() <= now)) {
            return Verdict.refused("issued in the future: iat " + claims.path("iat") + " (now " + now + ")");
        }
        Map<String, String> strings = new LinkedHashMap<>();
        claims.properties().forEach(e -> strings.put(e.getKey(),
                e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return new Verdict(Optional.of(strings), null);
    }

    /** aud (a string or a list), or client_id when there is no aud, as API Gateway reads them. */
    private boolean hasAudience(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        if (aud.isTextual()) {
            return audience.equals(aud.asText());
        }
        if (aud.isArray()) {
            for (JsonNode one : aud) {
                if (audience.equals(one.asText())) {
                    return true;
                }
            }
            return false;
        }
        return aud.isMissingNode() && audience.equals(claims.path("client_id").asText(null));
    }

    private RSAPublicKey keyFor(String kid) {
        RSAPublicKey key = keys.get(kid);
        return key != null ? key : refreshFor(kid);
    }

    /** One fetch at a time: requests arriving meanwhile wait for it and then find the key it brought. */
    private synchronized RSAPublicKey refreshFor(String kid) {
        RSAPublicKey key = keys.get(kid);
        if (key == null && clock.instant().isAfter(fetchedAt.plus(REFETCH_AFTER))) {
            fetchKeys();
            key = keys.get(kid);
        }
        return key;
    }

    private void fetchKeys() {
        fetchedAt = clock.instant();
        try {
            JsonNode discovery = get(URI.create(issuer + IssuerDocuments.DISCOVERY_PATH));
            JsonNode jwks = get(URI.create(discovery.path("jwks_uri").asText()));
            for (JsonNode jwk : jwks.path("keys")) {
                if ("RSA".equals(jwk.path("kty").asText()) && jwk.hasNonNull("kid")) {
                    keys.put(jwk.path("kid").asText(), Jwk.toPublicKey(jwk));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("authorizer: cannot read the issuer's keys from " + issuer + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return mapper.readTree(response.body());
    }
}
