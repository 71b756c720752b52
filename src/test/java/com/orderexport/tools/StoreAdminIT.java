package com.orderexport.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.credentials.StoreClients;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.TestStack;
import com.orderexport.webhooks.WebhookSecrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The admin command against the emulator's clients table and Parameter Store, read back as the functions read them. */
@ExtendWith(EmulatorExtension.class)
class StoreAdminIT {

    static TestStack stack;
    static SsmClient ssm;
    static String table;
    static String secretsPath;
    static StoreClients clients;

    record Run(int exit, String out, String err) {
        String field(String name) {
            Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\S+)$").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            return m.group(1);
        }
    }

    @BeforeAll
    static void tables(TestStack testStack) {
        stack = testStack;
        ssm = SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        table = stack.settingsOf("TokenFunction").clientsTable();
        secretsPath = stack.settingsOf("OrderSyncFunction").webhookSecretsPath();
        clients = new StoreClients(stack.dynamo(), table, Clock.systemUTC());
    }

    @Test
    void addStore_printsANewClientsSecretOnceAndKeepsOnlyItsHash() {
        StoreId store = TestStack.newStore();

        Run run = run("add-store", "--store", store.value());

        assertThat(run.exit()).as(run.err()).isZero();
        String clientId = run.field("client_id");
        String secret = run.field("client_secret");
        assertThat(clientId).startsWith(store.value() + "-");
        assertThat(clients.authenticate(clientId, secret)).hasValueSatisfying(c -> assertThat(c.store()).isEqualTo(store));
        var item = stack.dynamo().getItem(r -> r.tableName(table).key(java.util.Map.of("client_id",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(clientId)))).item();
        assertThat(item.toString()).doesNotContain(secret);
    }

    @Test
    void addStore_withAChosenClientId_refusesAnIdOfAnotherStore() {
        StoreId store = TestStack.newStore();
        String clientId = "chosen-" + store.value();
        assertThat(run("add-store", "--store", store.value(), "--client-id", clientId).exit()).isZero();

        Run taken = run("add-store", "--store", TestStack.newStore().value(), "--client-id", clientId);

        assertThat(taken.exit()).isEqualTo(1);
        assertThat(taken.err()).contains("belongs to another store");
    }

    @Test
    void rotateSecret_replacesTheSecretAtOnce() {
        StoreId store = TestStack.newStore();
        Run added = run("add-store", "--store", store.value());
        String clientId = added.field("client_id");

        Run rotated = run("rotate-secret", "--client-id", clientId);

        assertThat(rotated.exit()).isZero();
        assertThat(clients.authenticate(clientId, added.field("client_secret"))).isEmpty();
        assertThat(clients.authenticate(clientId, rotated.field("client_secret"))).isPresent();
        assertThat(run("rotate-secret", "--client-id", "nobody-" + store.value()).exit()).isEqualTo(1);
    }

    @Test
    void removeStore_removesEveryClientAndTheWebhookSecret() {
        StoreId store = TestStack.newStore();
        Run first = run("add-store", "--store", store.value());
        Run second = run("add-store", "--store", store.value());
        run("set-webhook-secret", "--store", store.value());

        Run removed = run("remove-store", "--store", store.value());

        assertThat(removed.exit()).isZero();
        assertThat(removed.out()).contains("removed 2 clients and its webhook secret");
        assertThat(clients.authenticate(first.field("client_id"), first.field("client_secret"))).isEmpty();
        assertThat(clients.authenticate(second.field("client_id"), second.field("client_secret"))).isEmpty();
        assertThat(webhookSecrets().secretOf(store)).isEmpty();
        assertThat(run("remove-store", "--store", store.value()).exit()).isEqualTo(1);
    }

    @Test
    void setWebhookSecret_storesWhatTheWebhookFunctionReads() {
        StoreId store = TestStack.newStore();

        Run run = run("set-webhook-secret", "--store", store.value());

        assertThat(run.exit()).isZero();
        assertThat(run.field("parameter")).isEqualTo(secretsPath + store.value());
        assertThat(webhookSecrets().secretOf(store)).hasValue(run.field("webhook secret"));
    }

    @Test
    void aSecretFromStandardInput_isKeptInsteadOfANewOne() {
        StoreId store = TestStack.newStore();

        Run client = runWithInput("kept-secret\n", "add-store", "--store", store.value(), "--client-id", "kept-" + store.value(),
                "--secret-stdin");
        Run webhook = runWithInput("kept-webhook-secret\n", "set-webhook-secret", "--store", store.value(), "--secret-stdin");
        Run nothing = runWithInput("", "set-webhook-secret", "--store", store.value(), "--secret-stdin");

        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(client.field("client_secret")).isEqualTo("kept-secret");
        assertThat(clients.authenticate("kept-" + store.value(), "kept-secret")).isPresent();
        assertThat(webhook.exit()).isZero();
        assertThat(webhookSecrets().secretOf(store)).hasValue("kept-webhook-secret");
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("found no secret");
    }

    @Test
    void badArguments_exit2WithTheUsage() {
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("add-store").err()).contains("--store is required").contains("usage:");
        assertThat(run("add-store", "--store", "not a store").exit()).isEqualTo(2);
        assertThat(run("frobnicate", "--store", "s").err()).contains("unknown command frobnicate");
    }

    private static WebhookSecrets webhookSecrets() {
        return new WebhookSecrets(ssm, secretsPath, Clock.systemUTC());
    }

    private static Run run(String... args) {
        return runWithInput("", args);
    }

    private static Run runWithInput(String stdin, String... args) {
        String[] withTable = new String[args.length + 4];
        System.arraycopy(args, 0, withTable, 0, args.length);
        withTable[args.length] = "--table";
        withTable[args.length + 1] = table;
        withTable[args.length + 2] = "--secrets-path";
        withTable[args.length + 3] = secretsPath;
        if (args.length == 0) {
            withTable = new String[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StoreAdmin.run(withTable, new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), stack.dynamo(), ssm);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

}
