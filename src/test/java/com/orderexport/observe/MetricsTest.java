package com.orderexport.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.observe.Metrics.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records follow the Embedded Metric Format specification, so CloudWatch Logs extracts them as metrics. */
class MetricsTest {

    final Lines lines = new Lines();
    final Log log = Log.to(lines, Log.Level.INFO, LogTest.CLOCK);
    final Metrics metrics = new Metrics("OrderExport");

    @Test
    void record_isAnEmfDocumentNamingItsMetricsAndTheirValuesAtTheTopLevel() {
        metrics.record(log).put(Metric.EXPORTS_COMPLETED, 1).put(Metric.EXPORT_DURATION, 640)
                .put(Metric.EXPORT_BYTES, 7202).emit();

        JsonNode record = lines.only();
        JsonNode aws = record.get("_aws");
        assertThat(aws.get("Timestamp").asLong()).isEqualTo(LogTest.CLOCK.millis());
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo("OrderExport");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Service\"]]");
        assertThat(directive.get("Metrics").toString()).isEqualTo("[{\"Name\":\"ExportsCompleted\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"ExportDuration\",\"Unit\":\"Milliseconds\"},{\"Name\":\"ExportBytes\",\"Unit\":\"Bytes\"}]");
        assertThat(record.get("Service").asText()).isEqualTo("order-export");
        assertThat(record.get("ExportsCompleted").asLong()).isEqualTo(1);
        assertThat(record.get("ExportDuration").asLong()).isEqualTo(640);
        assertThat(record.get("ExportBytes").asLong()).isEqualTo(7202);
    }

    @Test
    void everyDimensionIsInTheDimensionSetAndAtTheTopLevel() {
        metrics.record(log).put(Metric.JOBS_REJECTED, 1).dimension("Status", "409").emit();

        JsonNode record = lines.only();
        assertThat(record.get("_aws").get("CloudWatchMetrics").get(0).get("Dimensions").toString())
                .isEqualTo("[[\"Service\",\"Status\"]]");
        assertThat(record.get("Status").asText()).isEqualTo("409");
    }

    @Test
    void record_carriesTheLoggersFieldsAndItsOwnProperties_whichAreNotMetrics() {
        metrics.record(log.with("store_id", "store-a").with("request_id", "r-1")).put(Metric.JOBS_CREATED, 1)
                .property("job_id", "j-1").emit();

        JsonNode record = lines.only();
        assertThat(record.get("store_id").asText()).isEqualTo("store-a");
        assertThat(record.get("request_id").asText()).isEqualTo("r-1");
        assertThat(record.get("job_id").asText()).isEqualTo("j-1");
        assertThat(record.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics")).hasSize(1);
    }

    @Test
    void metrics_areWrittenWhateverTheLoggersMinimumLevel() {
        metrics.put(Log.to(lines, Log.Level.ERROR, LogTest.CLOCK), Metric.EXPORT_HAND_OFFS, 1);

        assertThat(lines.only().get("ExportHandOffs").asLong()).isEqualTo(1);
    }

    @Test
    void aRecordWithoutMetrics_writesNothing() {
        metrics.record(log).property("job_id", "j-1").emit();

        assertThat(lines.lines).isEmpty();
    }

    @Test
    void metricNames_areUniqueAndEveryOneIsWrittenWithItsUnit() {
        List<String> names = Arrays.stream(Metric.values()).map(m -> m.metricName).toList();
        assertThat(names).doesNotHaveDuplicates();

        Metrics.Record record = metrics.record(log);
        Arrays.stream(Metric.values()).forEach(m -> record.put(m, 1));
        record.emit();

        List<String> units = new ArrayList<>();
        lines.only().get("_aws").get("CloudWatchMetrics").get(0).get("Metrics")
                .forEach(definition -> units.add(definition.get("Unit").asText()));
        assertThat(units).hasSize(Metric.values().length).isSubsetOf("Count", "Milliseconds", "Bytes");
    }
}
