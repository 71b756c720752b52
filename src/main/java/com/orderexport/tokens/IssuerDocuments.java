package com.orderexport.tokens;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;

/**
 * The issuer's public documents: the OpenID Connect discovery document, from which API Gateway's JWT authorizer
 * learns the JWKS address, and the JWKS itself. Both follow from the issuer URL and the verifying keys alone.
 */
public final class IssuerDocuments {

    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private IssuerDocuments() {}

    /**
     * The discovery document of {@code issuer} (no trailing slash). OIDC asks for some members only an
     * interactive provider has a use for; they are given the values that say "none of that here".
     */
    public static ObjectNode discovery(String issuer) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("issuer", issuer);
        document.put("jwks_uri", issuer + JWKS_PATH);
        document.putArray("response_types_supported").add("token");
        document.putArray("subject_types_supported").add("public");
        document.putArray("id_token_signing_alg_values_supported").add("RS256");
        document.putArray("grant_types_supported").add("client_credentials");
        document.putArray("token_endpoint_auth_methods_supported").add("client_secret_post");
        return document;
    }

    /** The JWKS listing these public keys by kid, in the order given. */
    public static ObjectNode jwks(Map<String, RSAPublicKey> keysByKid) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        ArrayNode keys = document.putArray("keys");
        keysByKid.forEach((kid, key) -> keys.add(Jwk.of(kid, key)));
        return document;
    }
}
