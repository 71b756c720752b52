package com.orderexport.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.config.AwsClients;
import com.orderexport.config.AwsFailures;
import com.orderexport.config.Settings;
import com.orderexport.observe.Log;
import com.orderexport.tokens.IssuerDocuments;
import com.orderexport.tokens.KmsSigningKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The issuer's own small HTTP API: {@code GET /.well-known/openid-configuration} and
 * {@code GET /.well-known/jwks.json} (the public halves of the KMS keys whose tokens verify: the signing key,
 * and after a rotation the stack's own key and the retired ones). The issuer URL is the address this API was
 * reached at, so the template needs no reference from this function to its own API (which would be a cycle)
 * and the discovery document always names the host API Gateway fetched it from.
 */
public final class IssuerHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** A key's public half never changes; authorizers and clients may cache the documents for a while. */
    private static final Map<String, String> CACHEABLE = Map.of("Cache-Control", "public, max-age=300");

    /** The signing key first: without it the JWKS is of no use, so its failure is the request's. */
    private final List<KmsSigningKey> keys;
    private volatile ObjectNode jwks;

    /** One JSON record per line, through the runtime's logger; level from the function's LoggingConfig. */
    private final Log log = Log.toRuntime(Log.Level.parse(Settings.fromEnvironment().logLevel()));

    /** What Lambda calls: clients are built once per container, from the environment. */
    public IssuerHandler() {
        this(Settings.fromEnvironment());
    }

    public IssuerHandler(Settings settings) {
        this(keysOf(AwsClients.kms(AwsClients.Budget.REQUEST), settings.verifyingKeys()));
    }

    /** @param keys the signing key first, then every other key whose tokens must still verify */
    public IssuerHandler(List<KmsSigningKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the JWKS needs the signing key");
        }
        this.keys = List.copyOf(keys);
    }

    private static List<KmsSigningKey> keysOf(KmsClient kms, List<String> keyIds) {
        return keyIds.stream().map(id -> new KmsSigningKey(kms, id)).toList();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String path = event.getRawPath() == null ? "/" : event.getRawPath();
        if (!path.equals(IssuerDocuments.DISCOVERY_PATH) && !path.equals(IssuerDocuments.JWKS_PATH)) {
            return Answers.json(404, Answers.error(404, "Not Found", "No document at " + path), Map.of());
        }
        if (!"GET".equals(Answers.method(event))) {
            return Answers.json(405, Answers.error(405, "Method Not Allowed", "Use GET"), Map.of("Allow", "GET"));
        }
        if (path.equals(IssuerDocuments.DISCOVERY_PATH)) {
            return Answers.json(200, IssuerDocuments.discovery(issuerOf(event)), CACHEABLE);
        }
        try {
            return Answers.json(200, jwks(log.forInvocation(context, requestIdOf(event))), CACHEABLE);
        } catch (RuntimeException e) {
            boolean passing = AwsFailures.isTransient(e);
            Log requestLog = log.forInvocation(context, requestIdOf(event));
            if (passing) {
                requestLog.warn("JWKS answered 503: KMS is unavailable", e, "status", 503);
            } else {
                requestLog.error("JWKS failed", e, "status", 500);
            }
            return passing
                    ? Answers.json(503, Answers.error(503, "Service Unavailable", "Try again shortly"),
                            Map.of("Retry-After", "5"))
                    : Answers.json(500, Answers.error(500, "Internal Server Error", "The JWKS is unavailable"), Map.of());
        }
    }

    /**
     * Read from KMS, and kept for the container's life once every key was read: the public half of a key id never
     * changes. The signing key's failure is the request's. Another key that cannot be read (disabled, deleted,
     * not granted, not an RSA key) is left out, so that one retired key never takes every token down, and the
     * document is not kept: the next request reads again, so a key disabled on purpose stays out and one granted a
     * moment late comes back. A passing failure (KMS throttling or unavailable) fails the request instead, as a
     * document missing a key would be cached by its readers.
     */
    private ObjectNode jwks(Log requestLog) {
        ObjectNode cached = jwks;
        if (cached != null) {
            return cached;
        }
        Map<String, RSAPublicKey> publicKeys = new LinkedHashMap<>();
        boolean complete = true;
        for (KmsSigningKey key : keys) {
            if (publicKeys.containsKey(key.keyId())) {
                continue;
            }
            try {
                publicKeys.put(key.keyId(), key.publicKey());
            } catch (RuntimeException unreadable) {
                if (key == keys.get(0) || AwsFailures.isTransient(unreadable)) {
                    throw unreadable;
                }
                complete = false;
                requestLog.warn("a verifying key is left out of the JWKS: it cannot be read", unreadable,
                        "kid", key.keyId());
            }
        }
        ObjectNode document = IssuerDocuments.jwks(publicKeys);
        if (complete) {
            jwks = document;
        }
        return document;
    }

    private static String requestIdOf(APIGatewayV2HTTPEvent event) {
        return event.getRequestContext() == null ? "unknown" : event.getRequestContext().getRequestId();
    }

    /** The scheme and host this request came in on: the issuer URL (the API has only its $default stage). */
    static String issuerOf(APIGatewayV2HTTPEvent event) {
        String proto = Answers.header(event, "x-forwarded-proto");
        String host = event.getRequestContext() != null && event.getRequestContext().getDomainName() != null
                ? event.getRequestContext().getDomainName() : Answers.header(event, "host");
        return (proto == null ? "https" : proto) + "://" + host;
    }
}
