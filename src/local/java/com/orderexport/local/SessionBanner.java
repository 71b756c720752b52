package com.orderexport.local;

import com.orderexport.stack.AwsEmulator;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** What the local stack prints once it is up: where everything is, and commands to paste into a shell. */
final class SessionBanner {

    private SessionBanner() {}

    static void print(PrintStream out, LocalOptions options, AwsEmulator emulator, DemoClients clients,
                      List<Schedules.Schedule> schedules, CompletionEvents completionEvents,
                      String issuerUrl, Map<String, String> webhookSecrets) {
        String api = "http://127.0.0.1:" + options.port();
        DemoClients.Client first = clients.byId().values().iterator().next();
        out.println();
        out.println("Order-export jobs, running locally");
        out.println("  API:       " + api);
        out.println("  emulator:  " + emulator.endpoint() + " (" + emulator.description() + ")");
        out.println("  names:     *-" + options.name() + " (restart with --name " + options.name() + " to reuse them)");
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
        out.println("Try it (paste into a shell):");
        out.println();
        out.println("API=" + api);
        out.println("TOKEN=$(curl -s -X POST $API/oauth/access_token -d grant_type=client_credentials \\");
        out.println("  -d client_id=" + first.id() + " -d client_secret=" + first.secret()
                + " | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')");
        out.println("JOB=$(curl -s -X POST $API/v2/jobs -H \"Authorization: Bearer $TOKEN\" -d $'{");
        out.println("  \"data\": {");
        out.println("    \"filter\": \"gt(created_at,2018-09-01):lt(created_at,2018-10-01):eq(payment,refunded)\",");
        out.println("    \"job_type\": \"order_export\"");
        out.println("  }");
        out.println("}' | sed -E 's/.*\"id\":\"([^\"]+)\".*/\\1/')");
        out.println("curl -s $API/v2/jobs/$JOB -H \"Authorization: Bearer $TOKEN\"; echo");
        out.println("HREF=$(curl -s $API/v2/jobs/$JOB/file -H \"Authorization: Bearer $TOKEN\" | sed -E 's/.*\"href\":\"([^\"]+)\".*/\\1/')");
        out.println("curl -s \"$HREF\" | head -5");
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
