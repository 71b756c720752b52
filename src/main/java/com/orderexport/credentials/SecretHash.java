package com.orderexport.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A client secret as it is stored: a random salt and SHA-256 over salt and secret. A fast hash is enough
 * because the secrets {@link ClientSecrets} generates carry 256 random bits (nothing to guess a word at a time);
 * a slow one would cost every token request and buy nothing against that. Comparison is constant time.
 */
public record SecretHash(byte[] salt, byte[] hash) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_BYTES = 16;

    public SecretHash {
        salt = salt.clone();
        hash = hash.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** A new hash of {@code secret} under a fresh salt. */
    public static SecretHash of(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new SecretHash(salt, digest(salt, secret));
    }

    /** True when {@code secret} is the one hashed, taking as long whichever byte differs. */
    public boolean matches(String secret) {
        return MessageDigest.isEqual(digest(salt, secret == null ? "" : secret), hash);
    }

    /** The SHA-256 of a text: two digests compare in constant time whatever the texts' lengths. */
    public static byte[] sha256(String text) {
        return digest(new byte[0], text);
    }

    private static byte[] digest(byte[] salt, String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
