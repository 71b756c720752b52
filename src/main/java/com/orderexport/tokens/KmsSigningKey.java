package com.orderexport.tokens;

import java.security.interfaces.RSAPublicKey;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * An asymmetric KMS key (RSA, SIGN_VERIFY) as the token signing key: KMS signs, the private key never leaves
 * it, and its public half is read for the JWKS. Asymmetric KMS keys are never rotated in place, so the key id
 * itself names the key version: a new key is a new {@code kid}.
 */
public final class KmsSigningKey implements TokenSigner {

    private final KmsClient kms;
    private final String keyId;
    private final String kid;

    /** @param keyId the key id or key ARN (not an alias: the kid must name one key) */
    public KmsSigningKey(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
        this.kid = kidOf(keyId);
    }

    /** The bare key id of a key id or key ARN ({@code arn:aws:kms:region:account:key/<id>}). */
    static String kidOf(String keyIdOrArn) {
        int slash = keyIdOrArn.lastIndexOf("key/");
        return slash < 0 ? keyIdOrArn : keyIdOrArn.substring(slash + 4);
    }

    @Override
    public String keyId() {
        return kid;
    }

    @Override
    public byte[] sign(byte[] signingInput) {
        // RAW: KMS hashes the message itself; a JWT's header and claims stay far below its 4 KB limit.
        return kms.sign(r -> r.keyId(keyId).message(SdkBytes.fromByteArray(signingInput))
                .messageType(MessageType.RAW).signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256))
                .signature().asByteArray();
    }

    /** The key's public half, as KMS hands it out (DER SubjectPublicKeyInfo). */
    public RSAPublicKey publicKey() {
        return Jwk.rsaPublicKeyFromDer(kms.getPublicKey(r -> r.keyId(keyId)).publicKey().asByteArray());
    }
}
