package com.orderexport.exporter;

import static com.orderexport.testing.Orders.typicalOrder;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobCancels;
import com.orderexport.jobs.JobIds;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.JobSweeps;
import com.orderexport.observe.CompletionPublisher;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import com.orderexport.local.CompletionEvents;
import com.orderexport.local.StreamFeeder;
import com.orderexport.orders.OrderStore;
import com.orderexport.stack.StackResources;
import com.orderexport.store.StoreId;
import com.orderexport.testing.EmulatorExtension;
import com.orderexport.testing.EventQueue;
import com.orderexport.testing.LogCapture;
import com.orderexport.testing.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The template's export function announces each job it decides: a subscriber's rule (source order-export) sends
 * the events of a completed and of a failed job to its queue, with the job's facts and no link; a bus that cannot
 * take the event changes neither the job nor the export's success. A job the sweeper fails is announced too.
 * (A little over 200 lines: each test sets up a subscriber and reads the whole event, field by field.)
 */
@ExtendWith(EmulatorExtension.class)
class CompletionEventsIT {

    static final String EXPORT_FUNCTION = "OrderExportFunction";

    static TestStack stack;
    static Settings settings;
    static JobStore jobs;
    static StreamFeeder feeder;
    static EventBridgeClient events;
    static SqsClient sqs;

    @BeforeAll
    static void clients(TestStack testStack) {
        stack = testStack;
        settings = stack.settingsOf(EXPORT_FUNCTION);
        jobs = new JobStore(stack.dynamo(), settings.jobsTable());
        feeder = new StreamFeeder(stack.resources(), stack.dynamo(), EXPORT_FUNCTION);
        events = EventBridgeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        sqs = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Test
    void aCompletedAndAFailedJob_eachSendOneEventWithTheJobsFacts_toTheSubscribersQueue() {
        StoreId store = storeWithTwoPaidOrders();
        CompletionEvents subscription = CompletionEvents.subscribe(events, sqs, settings.eventBusName(),
                "events-" + store.value(), CompletionEvents.pattern(Optional.of(store.value())));
        EventQueue queue = new EventQueue(sqs, subscription.queueUrl());
        Job paid = pendingJob(store, "eq(payment,paid)");
        Job refunded = pendingJob(store, "eq(payment,refunded)");

        export(store, templatesExportHandler(settings), null);

        Map<String, JsonNode> byJob = new HashMap<>();
        queue.await(2).forEach(event -> byJob.put(event.path("detail").path("job_id").asText(), event));
        assertThat(queue.more()).isEmpty();
        assertThat(byJob).containsOnlyKeys(paid.id(), refunded.id());

        Job complete = jobs.find(store, paid.id()).orElseThrow();
        JsonNode completed = byJob.get(paid.id());
        assertThat(complete.status()).isEqualTo(JobStatus.COMPLETE);
        assertThat(completed.path("source").asText()).isEqualTo("order-export");
        assertThat(completed.path("detail-type").asText()).isEqualTo("Export Job Completed");
        JsonNode detail = completed.path("detail");
        assertThat(detail.path("store_id").asText()).isEqualTo(store.value());
        assertThat(detail.path("job_type").asText()).isEqualTo("order_export");
        assertThat(detail.path("status").asText()).isEqualTo("complete");
        assertThat(detail.path("error").isNull()).isTrue();
        assertThat(detail.path("row_count").asLong()).isEqualTo(2).isEqualTo(complete.rowCount());
        assertThat(detail.path("file_size").asLong()).isEqualTo(complete.fileSize());
        assertThat(detail.path("crc64nvme").asText()).isEqualTo(complete.crc64nvme());
        assertThat(Instant.parse(detail.path("created_at").asText())).isEqualTo(complete.createdAt());
        assertThat(Instant.parse(detail.path("completed_at").asText()))
                .isEqualTo(complete.updatedAt().truncatedTo(ChronoUnit.MILLIS));

        Job failed = jobs.find(store, refunded.id()).orElseThrow();
        JsonNode failure = byJob.get(refunded.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failure.path("detail-type").asText()).isEqualTo("Export Job Failed");
        JsonNode failedDetail = failure.path("detail");
        assertThat(failedDetail.path("status").asText()).isEqualTo("failed");
        assertThat(failedDetail.path("error").asText()).isEqualTo(OrderExporter.NO_RESULTS).isEqualTo(failed.error());
        assertThat(failedDetail.path("row_count").isNull()).isTrue();
        assertThat(failedDetail.path("file_size").isNull()).isTrue();
        assertThat(failedDetail.path("crc64nvme").isNull()).isTrue();
        assertThat(Instant.parse(failedDetail.path("completed_at").asText()))
                .isEqualTo(failed.updatedAt().truncatedTo(ChronoUnit.MILLIS));
        // News of a job, never a way to its file: links are signed only for a caller who asks.
        assertThat(byJob.values()).allSatisfy(event -> assertThat(event.toString())
                .doesNotContain("X-Amz-Signature").doesNotContain("href").doesNotContain(".csv"));
    }

    @Test
    void aCancelledJob_sendsOneCancelledEvent_andIsCountedOnce() throws Exception {
        StoreId store = storeWithTwoPaidOrders();
        EventQueue queue = new EventQueue(sqs, CompletionEvents.subscribe(events, sqs, settings.eventBusName(),
                "events-" + store.value(), CompletionEvents.pattern(Optional.of(store.value()))).queueUrl());
        Job job = pendingJob(store, "eq(payment,paid)");
        new JobCancels(stack.dynamo(), settings.jobsTable()).request(store, job.id(), Instant.now());
        LogCapture logs = new LogCapture();

        export(store, templatesExportHandler(settings), logs);

        JsonNode event = queue.await(1).get(0);
        assertThat(queue.more()).isEmpty();
        Job cancelled = jobs.find(store, job.id()).orElseThrow();
        assertThat(event.path("detail-type").asText()).isEqualTo("Export Job Cancelled");
        JsonNode detail = event.path("detail");
        assertThat(detail.path("job_id").asText()).isEqualTo(job.id());
        assertThat(detail.path("status").asText()).isEqualTo("cancelled");
        assertThat(detail.path("row_count").isNull()).isTrue();
        assertThat(Instant.parse(detail.path("completed_at").asText()))
                .isEqualTo(cancelled.updatedAt().truncatedTo(ChronoUnit.MILLIS));
        assertThat(logs.withField("ExportsCancelled")).singleElement()
                .satisfies(metric -> assertThat(metric.path("job_id").asText()).isEqualTo(job.id()));
    }

    @Test
    void aBusThatRefusesTheEvent_changesNeitherTheJobNorTheExport_andTheLossIsLoggedAndCounted() {
        StoreId store = storeWithTwoPaidOrders();
        Job job = pendingJob(store, "eq(payment,paid)");
        Map<String, String> environment = new HashMap<>(stack.resources().environmentOf(EXPORT_FUNCTION));
        environment.put(Settings.EVENT_BUS_NAME, "no-such-bus-" + UUID.randomUUID().toString().substring(0, 8));
        LogCapture logs = new LogCapture();

        List<StreamsEventResponse> responses = export(store, templatesExportHandler(Settings.from(environment)), logs);

        assertThat(responses).allSatisfy(r -> assertThat(r.getBatchItemFailures()).isEmpty());
        assertThat(jobs.find(store, job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETE);
        assertThat(logs.records()).anySatisfy(record -> {
            assertThat(record.path("message").asText()).startsWith("completion event not published");
            assertThat(record.path("job_id").asText()).isEqualTo(job.id());
            assertThat(record.path("store_id").asText()).isEqualTo(store.value());
        });
        assertThat(logs.withField("CompletionEventsFailed")).hasSize(1);
        assertThat(logs.withField("ExportsCompleted")).singleElement()
                .satisfies(metric -> assertThat(metric.path("job_id").asText()).isEqualTo(job.id()));
    }

    @Test
    void aJobTheSweeperGivesUpOn_isAnnouncedAsFailedToo() {
        // Its own tables: a sweep looks at every store's unfinished jobs, and must not fail other tests' jobs.
        StackResources own = StackResources.create(stack.template(), stack.dynamo(), stack.s3(),
                "events-" + UUID.randomUUID().toString().substring(0, 6));
        Settings ownSettings = own.settingsOf(EXPORT_FUNCTION);
        StoreId store = TestStack.newStore();
        EventQueue queue = new EventQueue(sqs, CompletionEvents.subscribe(events, sqs, ownSettings.eventBusName(),
                "events-" + store.value(), CompletionEvents.pattern(Optional.of(store.value()))).queueUrl());
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job job = Job.pending(store, JobIds.next(created.toEpochMilli()).toString(), "eq(payment,paid)", created);
        new JobStore(stack.dynamo(), ownSettings.jobsTable()).create(job);
        Metrics metrics = new Metrics(ownSettings.metricsNamespace());
        LogCapture logs = new LogCapture();
        Sweeper sweeper = new Sweeper(new JobSweeps(stack.dynamo(), ownSettings.jobsTable()), stack.s3(),
                ownSettings.exportBucket(), Duration.ofMinutes(15), 0, Clock.fixed(created.plus(Duration.ofMinutes(16)),
                ZoneOffset.UTC), Log.to(logs, Log.Level.INFO, Clock.systemUTC()), metrics,
                new CompletionPublisher(events, ownSettings.eventBusName(), metrics));

        assertThat(sweeper.sweep().failed()).isEqualTo(1);

        JsonNode event = queue.await(1).get(0);
        assertThat(event.path("detail-type").asText()).isEqualTo("Export Job Failed");
        JsonNode detail = event.path("detail");
        assertThat(detail.path("job_id").asText()).isEqualTo(job.id());
        assertThat(detail.path("job_type").asText()).isEqualTo("order_export");
        assertThat(detail.path("status").asText()).isEqualTo("failed");
        assertThat(detail.path("error").asText()).isEqualTo(Sweeper.GAVE_UP);
        assertThat(Instant.parse(detail.path("created_at").asText())).isEqualTo(created);
        assertThat(logs.withField("ExportsFailed")).singleElement()
                .satisfies(metric -> assertThat(metric.path("job_id").asText()).isEqualTo(job.id()));
        assertThat(queue.more()).isEmpty();
    }

    static StoreId storeWithTwoPaidOrders() {
        StoreId store = TestStack.newStore();
        new OrderStore(stack.dynamo(), settings.ordersTable()).putAll(store, List.of(
                typicalOrder("o1", Instant.parse("2018-09-01T10:00:00Z")).payment("paid").document(),
                typicalOrder("o2", Instant.parse("2018-09-02T10:00:00Z")).payment("paid").document()));
        return store;
    }

    static Job pendingJob(StoreId store, String filter) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job job = Job.pending(store, JobIds.next(now.toEpochMilli()).toString(), filter, now);
        jobs.create(job);
        return job;
    }

    /** The store's new stream records, delivered to the function as its event source mapping would. */
    static List<StreamsEventResponse> export(StoreId store, RequestHandler<DynamodbEvent, StreamsEventResponse> handler,
                                             LogCapture logs) {
        return feeder.poll(store.value()).stream()
                .map(batch -> handler.handleRequest(batch, logs == null ? null : logs.context())).toList();
    }

    /** The class template.yaml names, built from the given settings as Lambda builds it from its environment. */
    @SuppressWarnings("unchecked")
    static RequestHandler<DynamodbEvent, StreamsEventResponse> templatesExportHandler(Settings with) {
        try {
            return (RequestHandler<DynamodbEvent, StreamsEventResponse>) Class.forName(
                    stack.template().handlerClassOf(EXPORT_FUNCTION)).getConstructor(Settings.class).newInstance(with);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
