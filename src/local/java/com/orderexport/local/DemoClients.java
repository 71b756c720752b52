package com.orderexport.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The client credentials the local token endpoint accepts, each tied to a store. Set {@code LOCAL_CLIENTS}
 * to {@code id:secret:store[,id:secret:store...]} to replace the two demo clients.
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

    /** The client whose id and secret these are, if any. */
    Optional<Client> authenticate(String id, String secret) {
        Client client = id == null ? null : byId.get(id);
        return client != null && java.security.MessageDigest.isEqual(client.secret().getBytes(), String.valueOf(secret).getBytes())
                ? Optional.of(client) : Optional.empty();
    }
}
