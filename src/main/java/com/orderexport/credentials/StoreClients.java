package com.orderexport.credentials;

import com.orderexport.store.StoreId;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The store clients table: partition {@code client_id}, the client's {@code store_id}, and its secret as a
 * salted hash only. The token endpoint reads one item per request; the admin command and the local stack
 * write them. The sparse {@code StoreIndex} finds a store's clients when the store is removed.
 */
public final class StoreClients {

    static final String CLIENT_ID = "client_id";
    static final String STORE_ID = "store_id";
    static final String SECRET_SALT = "secret_salt";
    static final String SECRET_HASH = "secret_hash";
    static final String UPDATED_AT = "updated_at";
    static final String STORE_INDEX = "StoreIndex";
    /** Compared against when the client id is unknown, so an unknown id takes as long as a wrong secret. */
    private static final SecretHash NOBODY = SecretHash.of(ClientSecrets.newSecret());

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public StoreClients(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Adds a client for {@code store} with this secret, or gives an existing client of the same store this
     * secret; a client id of another store is refused.
     */
    public StoreClient add(String clientId, String secret, StoreId store) throws ClientTakenException {
        if (clientId == null || clientId.isBlank() || clientId.length() > 128) {
            throw new IllegalArgumentException("a client id is 1 to 128 characters");
        }
        SecretHash hash = SecretHash.of(secret);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CLIENT_ID, AttributeValue.fromS(clientId));
        item.put(STORE_ID, AttributeValue.fromS(store.value()));
        item.put(SECRET_SALT, AttributeValue.fromB(SdkBytes.fromByteArray(hash.salt())));
        item.put(SECRET_HASH, AttributeValue.fromB(SdkBytes.fromByteArray(hash.hash())));
        item.put(UPDATED_AT, AttributeValue.fromS(clock.instant().toString()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(" + CLIENT_ID + ") OR " + STORE_ID + " = :store")
                    .expressionAttributeValues(Map.of(":store", AttributeValue.fromS(store.value()))));
        } catch (ConditionalCheckFailedException e) {
            throw new ClientTakenException(clientId);
        }
        return new StoreClient(clientId, store);
    }

    /** Gives an existing client a new secret; the old one stops working at once. Empty when there is no such client. */
    public Optional<StoreClient> rotate(String clientId, String newSecret) {
        SecretHash hash = SecretHash.of(newSecret);
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of(CLIENT_ID, AttributeValue.fromS(clientId)))
                    .conditionExpression("attribute_exists(" + CLIENT_ID + ")")
                    .updateExpression("SET " + SECRET_SALT + " = :salt, " + SECRET_HASH + " = :hash, "
                            + UPDATED_AT + " = :now")
                    .expressionAttributeValues(Map.of(
                            ":salt", AttributeValue.fromB(SdkBytes.fromByteArray(hash.salt())),
                            ":hash", AttributeValue.fromB(SdkBytes.fromByteArray(hash.hash())),
                            ":now", AttributeValue.fromS(clock.instant().toString())))
                    .returnValues("ALL_NEW")).attributes();
            return Optional.of(new StoreClient(clientId, new StoreId(after.get(STORE_ID).s())));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** The ids of a store's clients. */
    public List<String> clientsOf(StoreId store) {
        QueryResponse response = dynamo.query(r -> r.tableName(table).indexName(STORE_INDEX)
                .keyConditionExpression(STORE_ID + " = :store")
                .expressionAttributeValues(Map.of(":store", AttributeValue.fromS(store.value()))));
        return response.items().stream().map(item -> item.get(CLIENT_ID).s()).sorted().toList();
    }

    /** Removes every client of a store; their tokens stop being issued at once. Answers how many there were. */
    public int removeStore(StoreId store) {
        List<String> clients = clientsOf(store);
        for (String clientId : clients) {
            dynamo.deleteItem(r -> r.tableName(table).key(Map.of(CLIENT_ID, AttributeValue.fromS(clientId))));
        }
        return clients.size();
    }

    /**
     * The client these credentials belong to, if the secret is right. Unknown id and wrong secret take the same
     * path (one read, one hash, one constant-time comparison), so timing tells neither apart.
     */
    public Optional<StoreClient> authenticate(String clientId, String secret) {
        Map<String, AttributeValue> item = clientId == null || clientId.isEmpty() || clientId.length() > 128 ? Map.of()
                : dynamo.getItem(r -> r.tableName(table).key(Map.of(CLIENT_ID, AttributeValue.fromS(clientId)))
                        .consistentRead(true)).item();
        boolean known = item != null && !item.isEmpty();
        SecretHash stored = known ? new SecretHash(item.get(SECRET_SALT).b().asByteArray(),
                item.get(SECRET_HASH).b().asByteArray()) : NOBODY;
        boolean matches = stored.matches(secret);
        return known && matches ? Optional.of(new StoreClient(clientId, new StoreId(item.get(STORE_ID).s())))
                : Optional.empty();
    }
}
