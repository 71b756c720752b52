package com.orderexport.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * RS256 JSON Web Tokens in compact form (RFC 7519): encoded and signed here, split and signature-checked for
 * whoever verifies them. Claim checks (issuer, audience, times) belong to the verifier, as they do to API
 * Gateway's JWT authorizer.
 */
public final class Jwt {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A token split into its parts; nothing about it is trusted until {@link #signedBy} says so. */
    public record Parsed(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {

        /** The header's kid, or null. */
        public String keyId() {
            JsonNode kid = header.get("kid");
            return kid == null || !kid.isTextual() ? null : kid.asText();
        }

        /** True when the header says RS256 and the signature verifies with {@code key}. */
        public boolean signedBy(RSAPublicKey key) {
            if (!"RS256".equals(header.path("alg").asText())) {
                return false;
            }
            try {
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(key);
                verifier.update(signingInput);
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }

    private Jwt() {}

    /** The compact JWT of these claims, its header naming RS256 and the signer's key. */
    public static String sign(ObjectNode claims, TokenSigner signer) {
        ObjectNode header = MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT").put("kid", signer.keyId());
        String signingInput = encode(header) + "." + encode(claims);
        byte[] signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + ENCODER.encodeToString(signature);
    }

    /**
     * Splits a compact JWT into header, claims and signature.
     *
     * @throws IllegalArgumentException when it is not three Base64url parts of which the first two are JSON objects
     */
    public static Parsed parse(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a JWT has three parts");
        }
        try {
            JsonNode header = MAPPER.readTree(DECODER.decode(parts[0]));
            JsonNode claims = MAPPER.readTree(DECODER.decode(parts[1]));
            if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
                throw new IllegalArgumentException("a JWT's header and claims are JSON objects");
            }
            return new Parsed(header, claims, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                    DECODER.decode(parts[2]));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a JWT's header and claims are JSON", e);
        }
    }

    private static String encode(JsonNode json) {
        try {
            return ENCODER.encodeToString(MAPPER.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
