package com.orderexport.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.orderexport.exporter.ExportEngine;
import com.orderexport.exporter.OrderExporter.Outcome;
import com.orderexport.observe.Log;
import com.orderexport.store.StoreId;
import com.orderexport.testing.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The export function's stream adapter on the sample event Lambda would send (events/export-job-stream.json),
 * against a stand-in of the engine: which job it asks for, with which turn and deadline, and what it tells Lambda.
 */
class OrderExportHandlerTest {

    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    /** The engine's side of the seam: records each call and answers as it is told. */
    static final class RecordingEngine implements ExportEngine {
        record Call(StoreId store, String jobId, long turn, Instant deadline) {}

        final List<Call> calls = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();
        final Supplier<Outcome> answer;
        final LogCapture logs = new LogCapture();

        RecordingEngine(Supplier<Outcome> answer) {
            this.answer = answer;
        }

        @Override
        public Outcome export(StoreId store, String jobId, long turn, Instant deadline, Log jobLog) {
            calls.add(new Call(store, jobId, turn, deadline));
            return answer.get();
        }

        @Override
        public void cancelled(StoreId store, String jobId, Log jobLog) {
            cancelled.add(store.value() + "/" + jobId);
        }

        @Override
        public Log log() {
            return Log.to(logs, Log.Level.INFO, Clock.fixed(NOW, ZoneOffset.UTC));
        }
    }

    private static StreamsEventResponse handle(DynamodbEvent event, RecordingEngine engine) {
        return new OrderExportHandler(engine, Clock.fixed(NOW, ZoneOffset.UTC)).handleRequest(event, null);
    }

    @ParameterizedTest
    @Event(value = "events/export-job-stream.json", type = DynamodbEvent.class)
    void aRecordOfACancelledJob_isAnnouncedAndNotExported(DynamodbEvent event) {
        event.getRecords().get(0).getDynamodb().getNewImage()
                .put("status", new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue()
                        .withS("cancelled"));
        RecordingEngine engine = new RecordingEngine(() -> Outcome.COMPLETE);

        StreamsEventResponse response = handle(event, engine);

        assertThat(engine.calls).isEmpty();
        assertThat(engine.cancelled).containsExactly("demo-store-a/0190f6b4-6d4e-7c1a-9c2e-3b5a1f2e4d6c");
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "events/export-job-stream.json", type = DynamodbEvent.class)
    void theSampleRecord_exportsTheJobItsKeysName_asItsFirstTurn_withinFifteenMinutes(DynamodbEvent event) {
        RecordingEngine engine = new RecordingEngine(() -> Outcome.COMPLETE);

        StreamsEventResponse response = handle(event, engine);

        assertThat(engine.calls).containsExactly(new RecordingEngine.Call(new StoreId("demo-store-a"),
                "0190f6b4-6d4e-7c1a-9c2e-3b5a1f2e4d6c", 0, NOW.plus(Duration.ofMinutes(15))));
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "events/export-job-stream.json", type = DynamodbEvent.class)
    void aHandOffRecord_passesTheTurnItsNewImageNames(DynamodbEvent event) {
        event.getRecords().get(0).getDynamodb().getNewImage().put("turn", new AttributeValue().withN("3"));
        RecordingEngine engine = new RecordingEngine(() -> Outcome.HANDED_OFF);

        handle(event, engine);

        assertThat(engine.calls).singleElement().extracting(RecordingEngine.Call::turn).isEqualTo(3L);
    }

    @ParameterizedTest
    @Event(value = "events/export-job-stream.json", type = DynamodbEvent.class)
    void aJobALiveRunHolds_isReportedAsABatchItemFailure_soLambdaRetriesIt(DynamodbEvent event) {
        RecordingEngine engine = new RecordingEngine(() -> Outcome.BUSY);

        StreamsEventResponse response = handle(event, engine);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(event.getRecords().get(0).getDynamodb().getSequenceNumber());
    }

    @ParameterizedTest
    @Event(value = "events/export-job-stream.json", type = DynamodbEvent.class)
    void anOutcomeThatCouldNotBeRecorded_isABatchItemFailure_andIsLoggedWithTheJob(DynamodbEvent event) {
        RecordingEngine engine = new RecordingEngine(() -> {
            throw new IllegalStateException("the jobs table did not answer");
        });

        StreamsEventResponse response = handle(event, engine);

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(engine.logs.records()).anySatisfy(record -> {
            assertThat(record.path("level").asText()).isEqualTo("ERROR");
            assertThat(record.path("job_id").asText()).isEqualTo("0190f6b4-6d4e-7c1a-9c2e-3b5a1f2e4d6c");
        });
    }

    @ParameterizedTest
    @Event(value = "events/export-job-stream.json", type = DynamodbEvent.class)
    void aRecordThatIsNoJobOfAStore_isLeftAlone(DynamodbEvent event) {
        event.getRecords().get(0).getDynamodb().getKeys().put("store_id", new AttributeValue("demo-store-a#admission"));
        RecordingEngine engine = new RecordingEngine(() -> Outcome.COMPLETE);

        StreamsEventResponse response = handle(event, engine);

        assertThat(engine.calls).isEmpty();
        assertThat(response.getBatchItemFailures()).isEmpty();
    }
}
