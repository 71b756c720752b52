package com.orderexport.local;

import com.orderexport.credentials.ClientTakenException;
import com.orderexport.credentials.StoreClients;
import com.orderexport.stack.StackResources;
import com.orderexport.store.StoreId;
import com.orderexport.tools.StoreAdmin;
import com.orderexport.webhooks.WebhookSecrets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The local stack's clients, each tied to a store: put into the template's clients table at start-up with the
 * admin command's own code, so the token function checks them as it would in AWS. Set {@code LOCAL_CLIENTS} to
 * {@code id:secret:store[,id:secret:store...]} to replace the two demo clients. Each of their stores also gets a
 * webhook secret, {@code <store>-webhook-secret}.
 */
record DemoClients(Map<String, Client> byId) {

    static final String VARIABLE = "LOCAL_CLIENTS";
    static final String DEFAULT = "demo-a-client:demo-a-secret:demo-store-a,demo-b-client:demo-b-secret:demo-store-b";

    record Client(String id, String secret, String store) {}

    static DemoClients fromEnvironment() {
        String value = System.getenv(VARIABLE);
        return parse(value == null || value.isBlank() ? DEFAULT : value);
    }

    static DemoClients parse(String value) {
        Map<String, Client> clients = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank()
                    || !com.orderexport.store.StoreId.isValid(parts[2])) {
                throw new IllegalArgumentException(VARIABLE + " entries must be id:secret:store, not '" + entry + "'");
            }
            clients.put(parts[0], new Client(parts[0], parts[1], parts[2]));
        }
        return new DemoClients(clients);
    }

    static final String CLIENTS_TABLE = "StoreClientsTable";
    static final String WEBHOOK_FUNCTION = "OrderSyncFunction";

    /**
     * Adds every client to the clients table and gives each of their stores a webhook secret, as
     * {@code StoreAdmin add-store} and {@code set-webhook-secret} do; answers each store's webhook secret.
     */
    Map<String, String> register(StackResources resources, DynamoDbClient dynamo) throws ClientTakenException {
        StoreClients table = new StoreClients(dynamo, resources.nameOf(CLIENTS_TABLE), Clock.systemUTC());
        for (Client client : byId.values()) {
            StoreAdmin.addClient(table, new StoreId(client.store()), client.id(), client.secret());
        }
        WebhookSecrets secrets = new WebhookSecrets(SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .build(), resources.settingsOf(WEBHOOK_FUNCTION).webhookSecretsPath(), Clock.systemUTC());
        Map<String, String> webhookSecrets = new LinkedHashMap<>();
        for (Client client : byId.values()) {
            String secret = client.store() + "-webhook-secret";
            if (webhookSecrets.putIfAbsent(client.store(), secret) == null) {
                StoreAdmin.setWebhookSecret(secrets, new StoreId(client.store()), secret);
            }
        }
        return webhookSecrets;
    }
}
