package com.orderexport.tokens;

/** Signs a JWT's signing input with RS256 under a named key; the key itself may never be in this process. */
public interface TokenSigner {

    /** The {@code kid} tokens carry: the key whose public half in the JWKS verifies them. */
    String keyId();

    /** The RSASSA-PKCS1-v1_5 SHA-256 signature of {@code signingInput}. */
    byte[] sign(byte[] signingInput);
}
