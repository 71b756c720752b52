package com.orderexport.credentials;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** New client ids and secrets: random, URL- and form-safe, shown once and then kept only as a hash. */
public final class ClientSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientSecrets() {}

    /** 256 random bits in Base64url (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A client id that says which store it is for and cannot be guessed from that: {@code <store>-<16 hex>}. */
    public static String newClientId(String store) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return store + "-" + HexFormat.of().formatHex(bytes);
    }
}
