package com.orderexport.testing;

import com.orderexport.tokens.TokenSigner;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

/** RS256 signers over key pairs of this JVM: the same signatures KMS computes, for tests of tokens without KMS. */
public final class LocalSigners {

    private LocalSigners() {}

    /** A fresh RSA 2048 key pair. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs with {@code pair}'s private key under the key id {@code kid}, whatever key that id really names. */
    public static TokenSigner rs256(KeyPair pair, String kid) {
        return new TokenSigner() {
            @Override
            public String keyId() {
                return kid;
            }

            @Override
            public byte[] sign(byte[] input) {
                try {
                    Signature rsa = Signature.getInstance("SHA256withRSA");
                    rsa.initSign(pair.getPrivate());
                    rsa.update(input);
                    return rsa.sign();
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
