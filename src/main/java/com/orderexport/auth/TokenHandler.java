package com.orderexport.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.config.AwsClients;
import com.orderexport.config.AwsFailures;
import com.orderexport.config.Settings;
import com.orderexport.observe.Log;
import com.orderexport.credentials.StoreClient;
import com.orderexport.credentials.StoreClients;
import com.orderexport.tokens.AccessToken;
import com.orderexport.tokens.KmsSigningKey;
import com.orderexport.tokens.TokenIssuer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Elastic Path's token endpoint, {@code POST /oauth/access_token}: a form with {@code grant_type=client_credentials},
 * {@code client_id} and {@code client_secret} in; Elastic Path's token JSON out. A client that does not
 * authenticate gets one 401 whatever was wrong; another grant type is a 400.
 */
public final class TokenHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final int RETRY_AFTER_SECONDS = 5;
    /** OAuth 2.0 (RFC 6749 §5.1): a token response is never cached. */
    private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store", "Pragma", "no-cache");

    private final StoreClients clients;
    private final TokenIssuer issuer;
    private final Clock clock;

    /** What Lambda calls: clients are built once per container, from the environment. */
    public TokenHandler() {
        this(Settings.fromEnvironment());
    }

    public TokenHandler(Settings settings) {
        this(new StoreClients(AwsClients.dynamoDb(AwsClients.Budget.REQUEST),
                        Settings.required(Settings.CLIENTS_TABLE, settings.clientsTable()), Clock.systemUTC()),
                new TokenIssuer(new KmsSigningKey(AwsClients.kms(AwsClients.Budget.REQUEST), settings.activeSigningKey()),
                        Settings.required(Settings.ISSUER_URL, settings.issuerUrl()),
                        Settings.required(Settings.TOKEN_AUDIENCE, settings.tokenAudience()), settings.storeClaim()),
                Clock.systemUTC());
    }

    /** One JSON record per line, through the runtime's logger; level from the function's LoggingConfig. */
    private final Log log = Log.toRuntime(Log.Level.parse(Settings.fromEnvironment().logLevel()));

    public TokenHandler(StoreClients clients, TokenIssuer issuer, Clock clock) {
        this.clients = clients;
        this.issuer = issuer;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (!"POST".equals(Answers.method(event))) {
            return Answers.json(405, Answers.error(405, "Method Not Allowed", "Use POST to get an access token"),
                    Map.of("Allow", "POST"));
        }
        Map<String, String> form = form(Answers.body(event));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return Answers.json(400, Answers.error(400, "Bad Request",
                    "grant_type must be client_credentials"), NO_STORE);
        }
        try {
            Optional<StoreClient> client = clients.authenticate(form.get("client_id"), form.get("client_secret"));
            if (client.isEmpty()) {
                // Never which part was wrong: that would tell a guesser which client ids exist.
                return Answers.json(401, Answers.error(401, "Unauthorized",
                        "The client credentials are not valid"), NO_STORE);
            }
            AccessToken token = issuer.issue(client.get().clientId(), client.get().store(), clock.instant());
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("access_token", token.token());
            body.put("token_type", "Bearer");
            body.put("expires", token.expiresAt().getEpochSecond());
            body.put("expires_in", token.lifetimeSeconds());
            body.put("identifier", "client_credentials");
            return Answers.json(200, body, NO_STORE);
        } catch (RuntimeException e) {
            String requestId = event.getRequestContext() == null ? "unknown" : event.getRequestContext().getRequestId();
            Log requestLog = log.forInvocation(context, requestId);
            if (AwsFailures.isTransient(e)) {
                requestLog.warn("token request answered 503: a dependency is unavailable", e, "status", 503);
                Map<String, String> headers = new HashMap<>(NO_STORE);
                headers.put("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
                return Answers.json(503, Answers.error(503, "Service Unavailable",
                        "The service is briefly unavailable; try again in " + RETRY_AFTER_SECONDS + " seconds"), headers);
            }
            requestLog.error("token request failed", e, "status", 500);
            return Answers.json(500, Answers.error(500, "Internal Server Error",
                    "There was an internal server error, you can report with your request id " + requestId), NO_STORE);
        }
    }

    /** An application/x-www-form-urlencoded body; a field given twice keeps its first value. */
    static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            try {
                fields.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException badEscape) {
                // A malformed field is left out, so it reads as missing.
            }
        }
        return fields;
    }
}
