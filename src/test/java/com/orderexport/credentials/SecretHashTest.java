package com.orderexport.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Secrets are kept as salted hashes: the secret matches, anything else does not, and no two hashes repeat. */
class SecretHashTest {

    @Test
    void theSecret_matchesItsHash() {
        String secret = ClientSecrets.newSecret();

        assertThat(SecretHash.of(secret).matches(secret)).isTrue();
    }

    @Test
    void anotherSecretOrNothing_doesNotMatch() {
        SecretHash hash = SecretHash.of("right");

        assertThat(hash.matches("wrong")).isFalse();
        assertThat(hash.matches("right ")).isFalse();
        assertThat(hash.matches("")).isFalse();
        assertThat(hash.matches(null)).isFalse();
    }

    @Test
    void theSameSecretTwice_getsTwoSaltsAndTwoHashes() {
        SecretHash first = SecretHash.of("same");
        SecretHash second = SecretHash.of("same");

        assertThat(first.salt()).isNotEqualTo(second.salt());
        assertThat(first.hash()).isNotEqualTo(second.hash());
    }

    @Test
    void newSecrets_are256RandomBitsSafeInFormsAndUrls() {
        String secret = ClientSecrets.newSecret();

        assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(ClientSecrets.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void newClientIds_nameTheirStore() {
        assertThat(ClientSecrets.newClientId("store-a")).matches("store-a-[0-9a-f]{16}");
    }
}
