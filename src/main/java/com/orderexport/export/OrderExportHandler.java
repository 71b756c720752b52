package com.orderexport.export;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.orderexport.config.AwsClients;
import com.orderexport.config.AwsClients.Budget;
import com.orderexport.config.Settings;
import com.orderexport.exporter.ExportEngine;
import com.orderexport.exporter.ExportTuning;
import com.orderexport.exporter.OrderExporter;
import com.orderexport.jobs.ExportLeases;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.JobStatus;
import com.orderexport.observe.CompletionPublisher;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import com.orderexport.store.StoreId;
import com.orderexport.orders.OrderStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The jobs-table stream adapter: each record of a new pending job becomes one export run, and each record of a
 * cancel the cancel's finish (cancelling) or its announcement (cancelled). A record whose
 * run could not record an outcome, or whose job a live run still holds, is reported as a batch item failure,
 * so Lambda retries it (and, being ordered, everything after it) instead of moving on.
 */
public final class OrderExportHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Resource {

    /** How long a run may hold a job when no Lambda context tells the invocation's deadline. */
    static final Duration DEFAULT_BUDGET = Duration.ofMinutes(15);

    private final ExportEngine exporter;
    private final Log log;
    private final Clock clock;

    /** What Lambda calls: clients are built once per container, from the environment. */
    public OrderExportHandler() {
        this(Settings.fromEnvironment());
        // SnapStart primes through this before its snapshot; the registry holds it weakly, the runtime strongly.
        Core.getGlobalContext().register(this);
    }

    public OrderExportHandler(Settings settings) {
        this(settings, AwsClients.dynamoDb(Budget.BACKGROUND));
    }

    private OrderExportHandler(Settings settings, DynamoDbClient dynamo) {
        this(exporter(settings, dynamo, new Metrics(settings.metricsNamespace())), Clock.systemUTC());
    }

    private static OrderExporter exporter(Settings settings, DynamoDbClient dynamo, Metrics metrics) {
        return new OrderExporter(
                new ExportLeases(dynamo, Settings.required(Settings.JOBS_TABLE, settings.jobsTable())),
                new OrderStore(dynamo, Settings.required(Settings.ORDERS_TABLE, settings.ordersTable())),
                AwsClients.s3(settings, Budget.BACKGROUND), Settings.required(Settings.EXPORT_BUCKET, settings.exportBucket()),
                ExportTuning.DEFAULT.withQuantum(settings.exportQuantum()), Clock.systemUTC(), Log.toRuntime(Log.Level.parse(settings.logLevel())), metrics,
                // The short budget: an event must never hold up the export whose job it announces.
                new CompletionPublisher(AwsClients.eventBridge(Budget.REQUEST), settings.eventBusName(), metrics),
                // A schedule run's event is delivered to its notify_url with a link to the file.
                new LinkSigner(AwsClients.presigner(settings), settings.exportBucket()), settings.linkTtl());
    }

    /** Logs through the engine's logger, bound per invocation to the context's. */
    public OrderExportHandler(ExportEngine exporter, Clock clock) {
        this.exporter = exporter;
        this.log = exporter.log();
        this.clock = clock;
    }

    /** Runs the per-order path on in-process clients ({@link ExportPriming}), so a restored container starts warm. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            ExportPriming.run();
        } catch (RuntimeException e) {
            // A cold first export is better than no snapshot at all.
            log.warn("priming failed, the snapshot goes on without it", e);
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // the clients reconnect on their own
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        Instant deadline = clock.instant().plus(context == null ? DEFAULT_BUDGET
                : Duration.ofMillis(context.getRemainingTimeInMillis()));
        Log invocation = log.forInvocation(context, null);
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        for (DynamodbEvent.DynamodbStreamRecord record : records) {
            Log recordLog = invocation;
            try {
                Map<String, AttributeValue> keys = record.getDynamodb().getKeys();
                String store = keys.get("store_id").getS();
                String jobId = keys.get("job_id").getS();
                if (!StoreId.isValid(store)) {
                    continue; // not a job of ours (e.g. an idempotency record): nothing to export
                }
                recordLog = invocation.with("store_id", store).with("job_id", jobId);
                if (JobStatus.CANCELLED.wire().equals(statusOf(record))) {
                    exporter.cancelled(new StoreId(store), jobId, recordLog);
                    continue;
                }
                OrderExporter.Outcome outcome = exporter.export(new StoreId(store), jobId, turnOf(record), deadline,
                        recordLog);
                if (outcome == OrderExporter.Outcome.BUSY) {
                    // Held by a live run: if that run died, its lease lapses soon and a retry takes over.
                    return failedFrom(record);
                }
            } catch (RuntimeException e) {
                recordLog.error("export not recorded; the record will be retried", e,
                        "event_id", record.getEventID(), "sequence_number", record.getDynamodb().getSequenceNumber());
                return failedFrom(record);
            }
        }
        return new StreamsEventResponse(List.of());
    }

    /** The job's status in the record's new image, or null. */
    static String statusOf(DynamodbEvent.DynamodbStreamRecord record) {
        Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
        AttributeValue status = image == null ? null : image.get("status");
        return status == null ? null : status.getS();
    }

    /** Which of the job's turns the record stands for: the one its new image names, 0 for a new job's. */
    static long turnOf(DynamodbEvent.DynamodbStreamRecord record) {
        Map<String, AttributeValue> image = record.getDynamodb().getNewImage();
        AttributeValue turn = image == null ? null : image.get(ExportLeases.TURN_ATTRIBUTE);
        return turn == null || turn.getN() == null ? 0 : Long.parseLong(turn.getN());
    }

    /** Lambda retries from the first failed record, so the records after it are retried too. */
    private static StreamsEventResponse failedFrom(DynamodbEvent.DynamodbStreamRecord record) {
        return new StreamsEventResponse(List.of(
                new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber())));
    }
}
