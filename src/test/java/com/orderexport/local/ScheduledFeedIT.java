package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.testing.HttpReceiver;
import com.orderexport.testing.Orders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An incremental feed on the local stack as a user runs it: schedules may be a minute apart
 * ({@code SHORTEST_SCHEDULE_INTERVAL_MINUTES=1}), settle for two seconds, and the schedule runner looks every five
 * ({@code --schedule-every 5}). A schedule due every minute makes three runs in a row; the second and third hold
 * exactly the orders changed (through the webhook route) in their windows; each is POSTed to a local receiver with
 * the schedule's secret header, its link serving the file.
 */
class ScheduledFeedIT {

    static final Duration A_RUN_AT_MOST = Duration.ofSeconds(100);
    /** When the feed's orders were created: changes move their updated_at only. */
    static final Instant CREATED = Instant.parse("2026-01-05T09:30:00Z");
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void startTheLocalStackWithMinuteSchedules() throws Exception {
        LocalStackE2EIT.start(Map.of("SHORTEST_SCHEDULE_INTERVAL_MINUTES", "1", "SCHEDULE_SETTLE_SECONDS", "2"),
                "--schedule-every", "5");
    }

    @AfterAll
    static void stopIt() throws Exception {
        LocalStackE2EIT.stopTheLocalStackAndItsEmulator();
    }

    @Test
    void aScheduleEveryMinute_makesThreeRuns_eachHoldingTheChangesOfItsWindow_eachPostedWithItsSecret() throws Exception {
        String token = token("demo-a-client", "demo-a-secret");
        String webhookSecret = LocalStackE2EIT.printed("demo-store-a → (\\S+)");
        try (HttpReceiver receiver = HttpReceiver.start()) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(LocalStackE2EIT.api + "/v2/job-schedules"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("""
                            {"data": {"type": "job_schedule", "job_type": "order_export", "every": "* * * * *",
                                      "incremental": true, "notify_url": "%s"}}""".formatted(receiver.url("/feed"))))
                    .build());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode schedule = mapper.readTree(created.body()).path("data");
            String secret = schedule.at("/notify_header/value").asText();

            JsonNode first = delivery(receiver, 1, secret);
            assertThat(first.at("/detail/status").asText()).isEqualTo("complete");
            assertThat(first.at("/detail/window_from").isNull()).as("the first run has no lower bound").isTrue();

            change(webhookSecret, "feed-1");
            change(webhookSecret, "feed-2");
            JsonNode second = delivery(receiver, 2, secret);
            assertThat(second.at("/detail/window_from").asText()).isEqualTo(first.at("/detail/window_to").asText());
            assertThat(ids(second)).containsExactlyInAnyOrder("feed-1", "feed-2");

            change(webhookSecret, "feed-1");
            change(webhookSecret, "feed-3");
            JsonNode third = delivery(receiver, 3, secret);
            assertThat(third.at("/detail/window_from").asText()).isEqualTo(second.at("/detail/window_to").asText());
            assertThat(ids(third)).containsExactlyInAnyOrder("feed-1", "feed-3");
            assertThat(List.of(first, second, third)).extracting(event -> event.at("/detail/schedule_id").asText())
                    .containsOnly(schedule.path("id").asText());
        }
    }

    /**
     * The event of the {@code n}th run delivered, once it came. Delivery is at least once, so a run's event may
     * come twice; like any receiver, this one counts runs by job id. Every POST carries the schedule's secret.
     */
    private JsonNode delivery(HttpReceiver receiver, int n, String secret) throws Exception {
        Instant giveUp = Instant.now().plus(A_RUN_AT_MOST);
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        while (runs.size() < n && Instant.now().isBefore(giveUp)) {
            runs.clear();
            for (HttpReceiver.Received post : receiver.received()) {
                assertThat(post.header("X-Order-Export-Secret")).isEqualTo(secret);
                JsonNode event = mapper.readTree(post.body());
                runs.putIfAbsent(event.at("/detail/job_id").asText(), event);
            }
            Thread.sleep(200);
        }
        assertThat(runs).as("runs delivered").hasSize(n);
        return List.copyOf(runs.values()).get(n - 1);
    }

    private List<String> ids(JsonNode event) throws Exception {
        HttpResponse<byte[]> file = ExportedFiles.download(event.at("/detail/link").asText());
        assertThat(file.statusCode()).isEqualTo(200);
        return ExportedFile.of(file.body()).ids();
    }

    /** An order created or changed now, delivered as Elastic Path's webhook delivers it. */
    private void change(String webhookSecret, String orderId) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ObjectNode envelope = mapper.createObjectNode().put("id", UUID.randomUUID().toString())
                .put("triggered_by", "order.updated").put("attempt", 1);
        envelope.putObject("integration").put("id", "integration-1").put("integration_type", "webhook");
        envelope.set("payload", Orders.typicalOrder(orderId, CREATED).updatedAt(now.toString())
                .item("p-1", "sku-1", 1).document());
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(LocalStackE2EIT.api
                        + "/integrations/elastic-path/orders/demo-store-a"))
                .header("Content-Type", "application/json").header("X-MOLTIN-SECRET-KEY", webhookSecret)
                .POST(HttpRequest.BodyPublishers.ofString(envelope.toString())).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private String token(String clientId, String clientSecret) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(LocalStackE2EIT.api + "/oauth/access_token"))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
                        + "&client_secret=" + clientSecret)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return mapper.readTree(response.body()).path("access_token").asText();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
