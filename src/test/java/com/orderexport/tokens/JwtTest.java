package com.orderexport.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.store.StoreId;
import com.orderexport.testing.LocalSigners;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RS256 tokens: what the issuer writes, that the JWK of its key verifies them, and that nothing else does. */
class JwtTest {

    static final KeyPair KEY = LocalSigners.newKeyPair();
    static final KeyPair OTHER_KEY = LocalSigners.newKeyPair();
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void issue_writesTheClaimsTheIssueAsksFor() {
        TokenIssuer issuer = new TokenIssuer(LocalSigners.rs256(KEY, "key-1"), "https://issuer.example", "jobs-api", "store_id");
        Instant now = Instant.parse("2026-11-28T12:00:00.750Z");

        AccessToken token = issuer.issue("client-1", new StoreId("store-a"), now);
        Jwt.Parsed parsed = Jwt.parse(token.token());

        assertThat(parsed.header().toString()).isEqualTo("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"key-1\"}");
        JsonNode claims = parsed.claims();
        assertThat(claims.path("iss").asText()).isEqualTo("https://issuer.example");
        assertThat(claims.path("sub").asText()).isEqualTo("client-1");
        assertThat(claims.path("aud").asText()).isEqualTo("jobs-api");
        assertThat(claims.path("iat").asLong()).isEqualTo(now.getEpochSecond());
        assertThat(claims.path("exp").asLong()).isEqualTo(now.getEpochSecond() + 3600);
        assertThat(claims.path("jti").asText()).hasSize(36);
        assertThat(claims.path("store_id").asText()).isEqualTo("store-a");
        assertThat(token.lifetimeSeconds()).isEqualTo(3600);
        assertThat(token.expiresAt().getEpochSecond()).isEqualTo(claims.path("exp").asLong());
    }

    @Test
    void everyToken_hasItsOwnJti() {
        TokenIssuer issuer = new TokenIssuer(LocalSigners.rs256(KEY, "k"), "https://i", "a", "store_id");
        Instant now = Instant.now();

        String first = Jwt.parse(issuer.issue("c", new StoreId("s"), now).token()).claims().path("jti").asText();
        String second = Jwt.parse(issuer.issue("c", new StoreId("s"), now).token()).claims().path("jti").asText();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void aToken_verifiesWithTheJwkOfItsKeyAndWithNoOtherKey() {
        String token = Jwt.sign(claims(), LocalSigners.rs256(KEY, "key-1"));
        ObjectNode jwk = Jwk.of("key-1", (RSAPublicKey) KEY.getPublic());

        assertThat(Jwt.parse(token).signedBy(Jwk.toPublicKey(jwk))).isTrue();
        assertThat(Jwt.parse(token).signedBy((RSAPublicKey) OTHER_KEY.getPublic())).isFalse();
        assertThat(Jwt.parse(token).keyId()).isEqualTo("key-1");
    }

    @Test
    void changedClaims_noLongerVerify() {
        String[] parts = Jwt.sign(claims(), LocalSigners.rs256(KEY, "key-1")).split("\\.");
        String forged = parts[0] + "." + B64.encodeToString("{\"store_id\":\"someone-else\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];

        assertThat(Jwt.parse(forged).signedBy((RSAPublicKey) KEY.getPublic())).isFalse();
    }

    @Test
    void aHeaderNamingAnotherAlgorithm_neverVerifies() {
        String[] parts = Jwt.sign(claims(), LocalSigners.rs256(KEY, "key-1")).split("\\.");
        String none = B64.encodeToString("{\"alg\":\"none\",\"kid\":\"key-1\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(Jwt.parse(none + "." + parts[1] + "." + parts[2]).signedBy((RSAPublicKey) KEY.getPublic())).isFalse();
        assertThat(Jwt.parse(none + "." + parts[1] + ".").signedBy((RSAPublicKey) KEY.getPublic())).isFalse();
    }

    @Test
    void parse_refusesWhatIsNotACompactJwt() {
        assertThatThrownBy(() -> Jwt.parse("a.b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jwt.parse("not base64!.x.y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jwt.parse(B64.encodeToString("[1]".getBytes(StandardCharsets.UTF_8)) + ".e30.c2ln"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jwt.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jwk_writesTheModulusWithoutASignByteAndReadsBackTheSameKey() {
        RSAPublicKey key = (RSAPublicKey) KEY.getPublic();
        ObjectNode jwk = Jwk.of("k", key);

        assertThat(jwk.path("kty").asText()).isEqualTo("RSA");
        assertThat(jwk.path("alg").asText()).isEqualTo("RS256");
        assertThat(jwk.path("use").asText()).isEqualTo("sig");
        assertThat(jwk.path("e").asText()).isEqualTo("AQAB");
        assertThat(Base64.getUrlDecoder().decode(jwk.path("n").asText())).hasSize(256);
        assertThat(Jwk.toPublicKey(jwk)).isEqualTo(key);
        assertThat(Jwk.rsaPublicKeyFromDer(key.getEncoded())).isEqualTo(key);
    }

    @Test
    void discovery_pointsAtTheJwksBesideIt() {
        ObjectNode discovery = IssuerDocuments.discovery("https://abc.execute-api.us-east-1.amazonaws.com");

        assertThat(discovery.path("issuer").asText()).isEqualTo("https://abc.execute-api.us-east-1.amazonaws.com");
        assertThat(discovery.path("jwks_uri").asText())
                .isEqualTo("https://abc.execute-api.us-east-1.amazonaws.com/.well-known/jwks.json");
        assertThat(discovery.path("id_token_signing_alg_values_supported").get(0).asText()).isEqualTo("RS256");
    }

    @Test
    void kmsKeyArns_becomeTheBareKeyIdAsKid() {
        assertThat(KmsSigningKey.kidOf("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
                .isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(KmsSigningKey.kidOf("1234abcd-12ab-34cd-56ef-1234567890ab"))
                .isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
    }

    private static ObjectNode claims() {
        return JsonNodeFactory.instance.objectNode().put("iss", "https://i").put("store_id", "store-a");
    }
}
