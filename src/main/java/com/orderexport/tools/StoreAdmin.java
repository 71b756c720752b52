package com.orderexport.tools;

import com.orderexport.config.AwsClients;
import com.orderexport.config.Settings;
import com.orderexport.credentials.ClientSecrets;
import com.orderexport.credentials.ClientTakenException;
import com.orderexport.credentials.StoreClient;
import com.orderexport.credentials.StoreClients;
import com.orderexport.store.StoreId;
import com.orderexport.webhooks.WebhookSecrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Command line: a store's credentials. {@code add-store} creates a token client for a store and prints its
 * secret once (only a hash is kept); {@code rotate-secret} gives a client a new secret (the old one stops at
 * once); {@code remove-store} removes a store's clients and webhook secret; {@code set-webhook-secret} makes
 * the secret an Elastic Path integration sends for the store and prints it once. A secret is made here (256
 * random bits) unless {@code --secret-stdin} brings one on standard input, never on the command line, where other
 * users of the machine could read it. Exit 0 done, 1 refused, 2 unusable. One file for the four commands, since
 * they share their options, their clients and the way they print.
 */
public final class StoreAdmin {

    static final String SECRET_STDIN = "--secret-stdin";
    static final String USAGE = String.join("\n",
            "usage: StoreAdmin add-store --store STORE [--client-id ID] [--secret-stdin]",
            "       StoreAdmin rotate-secret --client-id ID",
            "       StoreAdmin remove-store --store STORE",
            "       StoreAdmin set-webhook-secret --store STORE [--secret-stdin]",
            "--secret-stdin takes the secret from standard input (one line) instead of making one, e.g. to keep"
                    + " credentials clients or an integration already use",
            "options: --table CLIENTS_TABLE (or " + Settings.CLIENTS_TABLE + "), --secrets-path PATH (or "
                    + Settings.WEBHOOK_SECRETS_PATH + "; default " + "/order-export/webhook-secrets/)");

    private final StoreClients clients;
    private final WebhookSecrets webhookSecrets;
    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<String> givenSecret;

    private StoreAdmin(StoreClients clients, WebhookSecrets webhookSecrets, PrintStream out, PrintStream err,
                       Supplier<String> givenSecret) {
        this.clients = clients;
        this.webhookSecrets = webhookSecrets;
        this.out = out;
        this.err = err;
        this.givenSecret = givenSecret;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, null, null));
    }

    /** Runs the command; {@code dynamo} or {@code ssm} null means a client built from the environment. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, DynamoDbClient dynamo,
                          SsmClient ssm) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals(SECRET_STDIN)) {
                options.put(SECRET_STDIN, "");
                continue;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("error: " + args[i] + " needs a value\n" + USAGE);
                return 2;
            }
            options.put(args[i], args[++i]);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        Optional.ofNullable(options.get("--table")).ifPresent(t -> env.put(Settings.CLIENTS_TABLE, t));
        Optional.ofNullable(options.get("--secrets-path")).ifPresent(p -> env.put(Settings.WEBHOOK_SECRETS_PATH, p));
        Settings settings;
        try {
            settings = Settings.from(env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        boolean needsClients = !args[0].equals("set-webhook-secret");
        if (needsClients && settings.clientsTable() == null) {
            err.println("error: name the clients table with --table or " + Settings.CLIENTS_TABLE
                    + " (the stack's StoreClientsTableName output)");
            return 2;
        }
        StoreAdmin admin = new StoreAdmin(
                needsClients ? new StoreClients(dynamo != null ? dynamo : AwsClients.dynamoDb(AwsClients.Budget.BACKGROUND),
                        settings.clientsTable(), Clock.systemUTC()) : null,
                new WebhookSecrets(ssm != null ? ssm : AwsClients.ssm(AwsClients.Budget.BACKGROUND),
                        settings.webhookSecretsPath(), Clock.systemUTC()),
                out, err, options.containsKey(SECRET_STDIN) ? () -> firstLine(in) : ClientSecrets::newSecret);
        try {
            return switch (args[0]) {
                case "add-store" -> admin.addStore(store(options), options.get("--client-id"));
                case "rotate-secret" -> admin.rotateSecret(required(options, "--client-id"));
                case "remove-store" -> admin.removeStore(store(options));
                case "set-webhook-secret" -> admin.setWebhookSecret(store(options));
                default -> throw new IllegalArgumentException("unknown command " + args[0]);
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Adds a token client of a store with this secret: what {@code add-store} does with a fresh secret, and what
     * the local stack does with its demo clients.
     */
    public static StoreClient addClient(StoreClients clients, StoreId store, String clientId, String secret)
            throws ClientTakenException {
        return clients.add(clientId, secret, store);
    }

    /** Sets a store's webhook secret: what {@code set-webhook-secret} does with a fresh one, and the local stack too. */
    public static void setWebhookSecret(WebhookSecrets secrets, StoreId store, String secret) {
        secrets.put(store, secret);
    }

    private int addStore(StoreId store, String clientId) {
        String id = clientId != null ? clientId : ClientSecrets.newClientId(store.value());
        String secret = givenSecret.get();
        try {
            addClient(clients, store, id, secret);
        } catch (ClientTakenException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        out.println("store:         " + store);
        out.println("client_id:     " + id);
        out.println("client_secret: " + secret);
        out.println("(shown only now: the table keeps a hash of it)");
        return 0;
    }

    private int rotateSecret(String clientId) {
        String secret = ClientSecrets.newSecret();
        Optional<StoreClient> client = clients.rotate(clientId, secret);
        if (client.isEmpty()) {
            err.println("error: no client " + clientId);
            return 1;
        }
        out.println("store:         " + client.get().store());
        out.println("client_id:     " + clientId);
        out.println("client_secret: " + secret);
        out.println("(shown only now; the previous secret no longer works)");
        return 0;
    }

    private int removeStore(StoreId store) {
        int removed = clients.removeStore(store);
        boolean hadSecret = webhookSecrets.delete(store);
        out.println("store " + store + ": removed " + removed + " client" + (removed == 1 ? "" : "s")
                + (hadSecret ? " and its webhook secret" : "; it had no webhook secret"));
        return removed == 0 && !hadSecret ? 1 : 0;
    }

    private int setWebhookSecret(StoreId store) {
        String secret = givenSecret.get();
        setWebhookSecret(webhookSecrets, store, secret);
        out.println("store:          " + store);
        out.println("parameter:      " + webhookSecrets.nameOf(store));
        out.println("webhook secret: " + secret);
        out.println("(give it to the store's Elastic Path integration as its secret key; shown only now)");
        return 0;
    }

    /** The first line of standard input: a secret given to the command without putting it on its command line. */
    private static String firstLine(InputStream in) {
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isBlank()) {
                throw new IllegalArgumentException(SECRET_STDIN + " found no secret on standard input");
            }
            return line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StoreId store(Map<String, String> options) {
        String store = required(options, "--store");
        if (!StoreId.isValid(store)) {
            throw new IllegalArgumentException("'" + store + "' is not a valid store id (1 to 64 of A-Z, a-z, 0-9, _ and -)");
        }
        return new StoreId(store);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
