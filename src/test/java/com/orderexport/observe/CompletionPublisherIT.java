package com.orderexport.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.local.CompletionEvents;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.EventQueue;
import com.orderexport.testing.LogCapture;
import com.orderexport.testing.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Completion events on the emulator's EventBridge: through a rule to a queue, retried when refused, never thrown. */
@ExtendWith(EmulatorExtension.class)
class CompletionPublisherIT {

    static EventBridgeClient events;
    static SqsClient sqs;
    final LogCapture logs = new LogCapture();
    final Log log = Log.to(logs, Log.Level.INFO, Clock.systemUTC());
    final Metrics metrics = new Metrics("OrderExportTest");

    @BeforeAll
    static void clients(TestStack stack) {
        events = eventBridge(null);
        sqs = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Test
    void publish_deliversTheEventThroughARuleMatchingItsSourceToTheQueue() {
        String store = TestStack.newStore().value();
        EventQueue queue = subscribe(store);

        boolean published = new CompletionPublisher(events, "default", metrics).publish(completed(store), log);

        JsonNode event = queue.await(1).get(0);
        assertThat(published).isTrue();
        assertThat(event.path("source").asText()).isEqualTo("order-export");
        assertThat(event.path("detail-type").asText()).isEqualTo("Export Job Completed");
        assertThat(event.path("detail").path("store_id").asText()).isEqualTo(store);
        assertThat(event.path("detail").path("row_count").asLong()).isEqualTo(22);
        assertThat(queue.more()).isEmpty();
        assertThat(logs.records()).anySatisfy(r -> assertThat(r.path("message").asText())
                .isEqualTo("completion event published"));
    }

    @Test
    void publish_retriesAnEntryTheBusRefused_andItArrivesOnce() {
        String store = TestStack.newStore().value();
        EventQueue queue = subscribe(store);
        // The first attempt's detail is made unreadable on its way out: the bus refuses that entry
        // (FailedEntryCount 1, MalformedDetail) while the call itself succeeds.
        EventBridgeClient refusingOnce = eventBridge(new MalformDetail(1));

        boolean published = new CompletionPublisher(refusingOnce, "default", metrics, Duration.ofMillis(10))
                .publish(completed(store), log);

        assertThat(published).isTrue();
        assertThat(queue.await(1)).hasSize(1);
        assertThat(queue.more()).isEmpty();
        assertThat(logs.withField("event_id").get(0).path("attempt").asInt()).isEqualTo(2);
        assertThat(logs.withField("CompletionEventsFailed")).isEmpty();
    }

    @Test
    void publish_givesUpAfterItsAttempts_logsAndCountsTheLoss_andNeverThrows() {
        String store = TestStack.newStore().value();
        EventQueue queue = subscribe(store);
        MalformDetail alwaysRefused = new MalformDetail(Integer.MAX_VALUE);

        boolean published = new CompletionPublisher(eventBridge(alwaysRefused), "default", metrics,
                Duration.ofMillis(10)).publish(completed(store), log.with("job_id", "j-lost"));

        assertThat(published).isFalse();
        assertThat(alwaysRefused.calls.get()).isEqualTo(CompletionPublisher.ATTEMPTS);
        JsonNode warning = logs.records().stream().filter(r -> r.path("level").asText().equals("WARN")).findFirst()
                .orElseThrow();
        assertThat(warning.path("message").asText()).startsWith("completion event not published");
        assertThat(warning.path("problem").asText()).startsWith("MalformedDetail");
        assertThat(warning.path("job_id").asText()).isEqualTo("j-lost");
        JsonNode metric = logs.withField("CompletionEventsFailed").get(0);
        assertThat(metric.path("CompletionEventsFailed").asLong()).isEqualTo(1);
        assertThat(metric.path("_aws").path("CloudWatchMetrics").path(0).path("Namespace").asText())
                .isEqualTo("OrderExportTest");
        assertThat(queue.more()).isEmpty();
    }

    @Test
    void publish_toABusThatDoesNotExist_logsTheErrorWithItsClass_andNeverThrows() {
        String bus = "no-such-bus-" + UUID.randomUUID().toString().substring(0, 8);

        boolean published = new CompletionPublisher(events, bus, metrics, Duration.ofMillis(10))
                .publish(completed(TestStack.newStore().value()), log);

        assertThat(published).isFalse();
        JsonNode error = logs.records().stream().filter(r -> r.path("level").asText().equals("ERROR")).findFirst()
                .orElseThrow();
        assertThat(error.path("error_type").asText()).endsWith("ResourceNotFoundException");
        assertThat(error.path("bus").asText()).isEqualTo(bus);
        assertThat(logs.withField("CompletionEventsFailed")).hasSize(1);
    }

    static CompletionEvent completed(String store) {
        return new CompletionEvent(store, UUID.randomUUID().toString(), "order_export", "complete", null, 22L, 7202L,
                "ZG+Msrrl8UU=", Instant.now().minusSeconds(5), Instant.now());
    }

    static EventQueue subscribe(String store) {
        CompletionEvents subscription = CompletionEvents.subscribe(events, sqs, "default", "events-" + store,
                CompletionEvents.pattern(Optional.of(store)));
        return new EventQueue(sqs, subscription.queueUrl());
    }

    static EventBridgeClient eventBridge(ExecutionInterceptor interceptor) {
        return EventBridgeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> {
                    if (interceptor != null) {
                        c.addExecutionInterceptor(interceptor);
                    }
                }).build();
    }

    /** Replaces the detail of the first {@code times} PutEvents calls with text that is not JSON. */
    static final class MalformDetail implements ExecutionInterceptor {
        final AtomicInteger calls = new AtomicInteger();
        private final int times;

        MalformDetail(int times) {
            this.times = times;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutEventsRequest request && calls.getAndIncrement() < times) {
                List<PutEventsRequestEntry> broken = request.entries().stream()
                        .map(e -> e.toBuilder().detail("not json").build()).toList();
                return request.toBuilder().entries(broken).build();
            }
            return context.request();
        }
    }
}
