package com.orderexport.sync;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.config.AwsClients;
import com.orderexport.config.AwsFailures;
import com.orderexport.config.Settings;
import com.orderexport.http.GatewayRequests;
import com.orderexport.observe.Log;
import com.orderexport.orders.OrderStore;
import com.orderexport.store.StoreId;
import com.orderexport.webhooks.MalformedDeliveryException;
import com.orderexport.webhooks.OrderSync;
import com.orderexport.webhooks.WebhookSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP API adapter of {@link OrderSync}: the store from the route's {@code store_id}, the secret from
 * {@code X-MOLTIN-SECRET-KEY}, the body as sent. 200 with what happened; 401 for a wrong secret or a store
 * without one; 400 for a body that is not an order event; 503 when a dependency is briefly down, which
 * Elastic Path answers by delivering again.
 */
public final class OrderWebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final String SECRET_HEADER = "x-moltin-secret-key";
    static final String STORE_PARAMETER = "store_id";
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final OrderSync sync;

    /** What Lambda calls: clients are built once per container, from the environment. */
    public OrderWebhookHandler() {
        this(Settings.fromEnvironment());
    }

    public OrderWebhookHandler(Settings settings) {
        this(new OrderSync(
                new WebhookSecrets(AwsClients.ssm(AwsClients.Budget.REQUEST), settings.webhookSecretsPath(),
                        Clock.systemUTC()),
                new OrderStore(AwsClients.dynamoDb(AwsClients.Budget.REQUEST),
                        Settings.required(Settings.ORDERS_TABLE, settings.ordersTable()))));
    }

    /** One JSON record per line, through the runtime's logger; level from the function's LoggingConfig. */
    private final Log log = Log.toRuntime(Log.Level.parse(Settings.fromEnvironment().logLevel()));

    public OrderWebhookHandler(OrderSync sync) {
        this.sync = sync;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = event.getRequestContext() == null ? "unknown" : event.getRequestContext().getRequestId();
        String store = event.getPathParameters() == null ? null : event.getPathParameters().get(STORE_PARAMETER);
        if (!StoreId.isValid(store)) {
            // No store can have a secret under such a name; said as for any other store without one.
            return error(401, "Unauthorized", "the webhook secret is not valid for this store");
        }
        try {
            OrderSync.Outcome outcome = sync.accept(new StoreId(store), GatewayRequests.header(event, SECRET_HEADER), GatewayRequests.body(event));
            ObjectNode answer = JsonNodeFactory.instance.objectNode().put("result", outcome.name().toLowerCase(Locale.ROOT));
            return respond(200, answer);
        } catch (OrderSync.NotAuthenticated e) {
            return error(401, "Unauthorized", e.getMessage());
        } catch (MalformedDeliveryException e) {
            return error(400, "Bad Request", e.getMessage());
        } catch (RuntimeException e) {
            Log requestLog = log.forInvocation(context, requestId).with("store_id", store);
            if (AwsFailures.isTransient(e)) {
                requestLog.warn("webhook answered 503: a dependency is unavailable", e, "status", 503);
                return error(503, "Service Unavailable", "briefly unavailable; deliver again");
            }
            requestLog.error("webhook failed", e, "status", 500);
            return error(500, "Internal Server Error", "request id " + requestId);
        }
    }

    private static APIGatewayV2HTTPResponse error(int status, String title, String detail) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("errors").addObject().put("status", status).put("title", title).put("detail", detail);
        return respond(status, body);
    }

    private static APIGatewayV2HTTPResponse respond(int status, ObjectNode body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(JSON).withBody(body.toString())
                .withIsBase64Encoded(false).build();
    }
}
