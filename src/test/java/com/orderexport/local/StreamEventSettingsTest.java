package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.stack.Template;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stream event of template.yaml as the stand-ins read it, and its filters applied to Lambda-shaped records. */
class StreamEventSettingsTest {

    final ObjectMapper mapper = new ObjectMapper();
    final StreamEventSettings jobsStream = StreamEventSettings.of(Template.load(), "OrderExportFunction");

    @Test
    void theJobsStream_runsOneJobPerInvocationOnTenLanesWithThreeRetriesAndTheFailureQueue() {
        assertThat(jobsStream.tableId()).isEqualTo("JobsTable");
        assertThat(jobsStream.startingPosition()).isEqualTo("LATEST");
        assertThat(jobsStream.batchSize()).isEqualTo(1);
        assertThat(jobsStream.parallelizationFactor()).isEqualTo(10);
        assertThat(jobsStream.batchingWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(jobsStream.maximumRetryAttempts()).isEqualTo(3);
        assertThat(jobsStream.maximumRecordAge()).contains(Duration.ofHours(1));
        assertThat(jobsStream.bisectBatchOnFunctionError()).isTrue();
        assertThat(jobsStream.reportBatchItemFailures()).isTrue();
        assertThat(jobsStream.onFailureId()).contains("ExportFailureQueue");
        assertThat(jobsStream.onFailureType()).isEqualTo("SQS");
        assertThat(jobsStream.filters()).hasSize(4);
    }

    @Test
    void theJobsStreamFilters_passNewPendingExportsHandOffsQueuedJobsAndCancelsOnly() throws Exception {
        assertThat(jobsStream.passes(record("INSERT", "{\"status\":{\"S\":\"pending\"},\"job_type\":{\"S\":\"order_export\"}}"))).isTrue();
        assertThat(jobsStream.passes(record("MODIFY", "{\"status\":{\"S\":\"processing\"},\"job_type\":{\"S\":\"order_export\"},"
                + "\"export_stage\":{\"S\":\"handed-off\"}}"))).isTrue();
        assertThat(jobsStream.passes(record("MODIFY", "{\"status\":{\"S\":\"processing\"},\"job_type\":{\"S\":\"order_export\"},"
                + "\"export_stage\":{\"S\":\"running\"}}"))).isFalse();
        assertThat(jobsStream.passes(record("MODIFY", "{\"status\":{\"S\":\"processing\"},\"job_type\":{\"S\":\"order_export\"}}"))).isFalse();
        assertThat(jobsStream.passes(record("INSERT", "{\"status\":{\"S\":\"failed\"},\"job_type\":{\"S\":\"order_export\"}}"))).isFalse();
        assertThat(jobsStream.passes(record("INSERT", "{\"request_hash\":{\"S\":\"h\"}}"))).isFalse();
        assertThat(jobsStream.passes(record("MODIFY", "{\"status\":{\"S\":\"cancelling\"},\"job_type\":{\"S\":\"order_export\"},"
                + "\"export_stage\":{\"S\":\"running\"}}"))).isTrue();
        assertThat(jobsStream.passes(record("MODIFY", "{\"status\":{\"S\":\"cancelled\"},\"job_type\":{\"S\":\"order_export\"}}"))).isTrue();
        assertThat(jobsStream.passes(record("INSERT", "{\"status\":{\"S\":\"cancelled\"},\"job_type\":{\"S\":\"order_export\"}}"))).isFalse();
        // A pending job whose turn came (the store's job before it was decided), and nothing else pending.
        assertThat(jobsStream.passes(record("MODIFY", "{\"status\":{\"S\":\"pending\"},\"job_type\":{\"S\":\"order_export\"},"
                + "\"export_stage\":{\"S\":\"queued\"}}"))).isTrue();
        assertThat(jobsStream.passes(record("MODIFY", "{\"status\":{\"S\":\"pending\"},\"job_type\":{\"S\":\"order_export\"}}")))
                .isFalse();
        // A store's admission item: no job_type.
        assertThat(jobsStream.passes(record("MODIFY", "{\"unfinished_jobs\":{\"SS\":[\"j\"]}}"))).isFalse();
        assertThat(jobsStream.passes(record("REMOVE", "{\"status\":{\"S\":\"pending\"},\"job_type\":{\"S\":\"order_export\"}}"))).isFalse();
    }

    @Test
    void anEventWithoutSettings_takesLambdasDefaults() throws Exception {
        StreamEventSettings defaults = StreamEventSettings.of(mapper.readTree("{\"Stream\":\"T.StreamArn\"}"));

        assertThat(defaults).isEqualTo(new StreamEventSettings("T", "LATEST", 100, Duration.ZERO, 1, -1, Optional.empty(),
                false, false, List.of(), Optional.empty(), "SQS"));
        assertThat(defaults.passes(record("REMOVE", "{}"))).isTrue();
    }

    @Test
    void aParallelizationFactorOutsideOneToTen_isRefused() {
        assertThatThrownBy(() -> StreamEventSettings.of(mapper.readTree("{\"Stream\":\"T.StreamArn\",\"ParallelizationFactor\":11}")))
                .hasMessageContaining("ParallelizationFactor must be 1 to 10");
    }

    private JsonNode record(String eventName, String newImage) throws Exception {
        return mapper.readTree("{\"eventName\":\"" + eventName + "\",\"dynamodb\":{\"Keys\":{\"store_id\":{\"S\":\"s\"}},"
                + "\"NewImage\":" + newImage + "}}");
    }
}
