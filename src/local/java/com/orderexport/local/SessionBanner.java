package com.orderexport.local;

import com.orderexport.stack.AwsEmulator;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** What the local stack prints once it is up: where everything is, and commands to paste into a shell. */
final class SessionBanner {

    /** The filter of the first export a newcomer tries: the published example, over the demo orders. */
    static final String TRY_FILTER = "gt(created_at,2018-09-01):lt(created_at,2018-10-01):eq(payment,refunded)";

    private SessionBanner() {}

    /** What a restart under this name keeps: everything on a kept emulator, nothing on the one the stack started. */
    private static String reuse(LocalOptions options, AwsEmulator emulator) {
        String restart = "-Dexec.args=\"--name " + options.name() + "\"";
        return emulator.keptAfterStop()
                ? "restart with " + restart + " to reuse them: jobs, files, clients, the issuer's port and the completion queue"
                : "the bundled emulator keeps nothing after Ctrl-C; to keep them, run an emulator yourself, set"
                        + " AWS_ENDPOINT_URL to it and start with " + restart;
    }

    static void print(PrintStream out, LocalOptions options, AwsEmulator emulator, DemoClients clients,
                      List<Schedules.Schedule> schedules, CompletionEvents completionEvents,
                      String issuerUrl, Map<String, String> webhookSecrets, String ordersTable) {
        String api = "http://127.0.0.1:" + options.port();
        DemoClients.Client first = clients.byId().values().iterator().next();
        out.println();
        out.println("Order-export jobs, running locally");
        out.println("  API:       " + api);
        out.println("  emulator:  " + emulator.endpoint() + " (" + emulator.description() + ")");
        out.println("  names:     *-" + options.name() + " (" + reuse(options, emulator) + ")");
        for (Schedules.Schedule schedule : schedules) {
            out.println("  schedule:  " + schedule.functionId() + " every " + schedule.interval().toSeconds() + " s ("
                    + schedule.expression() + ")");
        }
        out.println("  clients:   " + String.join("  ", clients.byId().values().stream()
                .map(c -> c.id() + " / " + c.secret() + " → store " + c.store()).toList()));
        out.println("  issuer:    " + issuerUrl + " (discovery and JWKS; tokens are RS256, signed by KMS on the emulator)");
        out.println("  webhooks:  POST " + api + LocalMain.WEBHOOK_ROUTE + "{store_id} with X-MOLTIN-SECRET-KEY: " + String.join("  ",
                webhookSecrets.entrySet().stream().map(e -> e.getKey() + " → " + e.getValue()).toList()));
        out.println();
        out.println("Try it (paste into a shell; each step prints the answer it did not expect):");
        out.println();
        out.println("API=" + api);
        out.println("call() { out=$(curl -sS -w '\\n%{http_code}' \"$@\") || return 1; code=${out##*$'\\n'}; body=${out%$'\\n'*};"
                + " case $code in 2*) printf '%s\\n' \"$body\";; *) echo \"HTTP $code: $body\" >&2; return 1;; esac; }");
        out.println("field() { sed -E \"s/.*\\\"$1\\\":\\\"([^\\\"]*)\\\".*/\\1/\"; }");
        out.println("TOKEN=$(call -X POST $API/oauth/access_token -d grant_type=client_credentials \\");
        out.println("  -d client_id=" + first.id() + " -d client_secret=" + first.secret() + " | field access_token)");
        out.println("JOB=$(call -X POST $API/v2/jobs -H \"Authorization: Bearer $TOKEN\" \\");
        out.println("  -d '{\"data\":{\"job_type\":\"order_export\",\"filter\":\"" + TRY_FILTER + "\"}}' | field id)");
        out.println("for i in $(seq 60); do S=$(call $API/v2/jobs/$JOB -H \"Authorization: Bearer $TOKEN\") || break;"
                + " case $S in *'\"status\":\"complete\"'*|*'\"status\":\"failed\"'*) break;; esac; sleep 1; done; echo \"$S\"");
        out.println("HREF=$(call $API/v2/jobs/$JOB/file -H \"Authorization: Bearer $TOKEN\" | field href)");
        // Saved, then shown: curl piped into head reports "(23) Failed writing body" when head stops reading first.
        out.println("curl -sS -o orders.csv \"$HREF\" && head -5 orders.csv");
        out.println();
        out.println("Load your own orders (one GET /v2/orders/{id}?include=items document per line) from another shell:");
        out.println();
        out.println("AWS_ENDPOINT_URL=" + emulator.endpoint() + " AWS_REGION=" + System.getProperty("aws.region",
                System.getenv().getOrDefault("AWS_REGION", "us-east-1"))
                + " AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\");
        out.println("  mvn -q compile exec:java@load -Dexec.args=\"--store " + first.store() + " --table " + ordersTable
                + " orders.jsonl\"");
        completionEvents.printTo(out, emulator.endpoint());
        out.println();
        String store = first.store();
        out.println("Deliver an order as Elastic Path's webhook does (create the job above again: the order is in its file):");
        out.println();
        out.println("curl -s -X POST $API" + LocalMain.WEBHOOK_ROUTE + store + " -H \"X-MOLTIN-SECRET-KEY: " + webhookSecrets.get(store)
                + "\" -H \"Content-Type: application/json\" \\");
        out.println("  -d '" + WebhookSample.delivery("webhook-order-1", "order.created") + "'; echo");
        out.println();
        out.println("Ready. Ctrl-C stops everything.");
        out.flush();
    }
}
