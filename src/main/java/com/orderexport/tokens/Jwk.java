package com.orderexport.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** RSA public keys as JSON Web Keys (RFC 7517/7518): what a JWKS lists and what a verifier reads back. */
public final class Jwk {

    private Jwk() {}

    /** The JWK of an RS256 signing key: kty, use, alg, kid, and the modulus and exponent in Base64url. */
    public static ObjectNode of(String kid, RSAPublicKey key) {
        ObjectNode jwk = JsonNodeFactory.instance.objectNode();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", kid);
        jwk.put("n", unsigned(key.getModulus()));
        jwk.put("e", unsigned(key.getPublicExponent()));
        return jwk;
    }

    /** The RSA public key a JWK describes. */
    public static RSAPublicKey toPublicKey(JsonNode jwk) {
        if (!"RSA".equals(jwk.path("kty").asText())) {
            throw new IllegalArgumentException("not an RSA key: kty " + jwk.path("kty").asText());
        }
        Base64.Decoder decoder = Base64.getUrlDecoder();
        BigInteger modulus = new BigInteger(1, decoder.decode(jwk.path("n").asText()));
        BigInteger exponent = new BigInteger(1, decoder.decode(jwk.path("e").asText()));
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable RSA key", e);
        }
    }

    /** An RSA public key given as DER SubjectPublicKeyInfo, the form KMS's GetPublicKey returns. */
    public static RSAPublicKey rsaPublicKeyFromDer(byte[] der) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA public key", e);
        }
    }

    /** Base64url of the big-endian magnitude without the sign byte, as RFC 7518 §6.3.1 asks. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
