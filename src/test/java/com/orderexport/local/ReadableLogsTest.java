package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The local console shows the functions' JSON records as lines a person reads. */
class ReadableLogsTest {

    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final ReadableLogs logs = new ReadableLogs(new PrintStream(console, true, StandardCharsets.UTF_8),
            "OrderExportFunction");
    final Log log = Log.to(logs, Log.Level.INFO,
            Clock.fixed(Instant.parse("2026-11-28T21:14:17.496Z"), ZoneOffset.UTC)).with("store_id", "demo-store-a");

    @Test
    void aLogRecord_isOneLineOfTimeLevelFunctionMessageAndFields() {
        log.info("export complete", "job_id", "j-1", "rows", 22);

        assertThat(shown()).isEqualTo(
                "21:14:17.496 INFO  OrderExportFunction  export complete  store_id=demo-store-a job_id=j-1 rows=22\n");
    }

    @Test
    void aMetricRecord_showsItsValuesWithUnits_andItsFields() {
        new Metrics("OrderExport").record(log).put(Metrics.Metric.EXPORTS_COMPLETED, 1)
                .put(Metrics.Metric.EXPORT_DURATION, 640).emit();

        assertThat(shown()).isEqualTo(
                "21:14:17.496 METRIC OrderExportFunction  ExportsCompleted=1 ExportDuration=640ms  store_id=demo-store-a\n");
    }

    @Test
    void anErrorsStackTrace_isIndentedUnderItsLine() {
        log.error("export failed unexpectedly", new IllegalStateException("boom"));

        String[] lines = shown().split("\n");
        assertThat(lines[0]).startsWith("21:14:17.496 ERROR OrderExportFunction  export failed unexpectedly")
                .contains("error_type=java.lang.IllegalStateException error_message=boom");
        assertThat(lines[1]).isEqualTo("    java.lang.IllegalStateException: boom");
        assertThat(lines[2]).startsWith("    \tat com.orderexport.local.ReadableLogsTest");
    }

    @Test
    void textThatIsNotAJsonRecord_isShownAsItCame() {
        logs.log("plain words");
        logs.log("{not json".getBytes(StandardCharsets.UTF_8));

        assertThat(shown()).isEqualTo("plain words\n{not json\n");
    }

    @Test
    void render_keepsEveryFieldOfTheRecord() throws Exception {
        String rendered = ReadableLogs.render(new ObjectMapper().readTree(
                "{\"timestamp\":\"2026-11-28T21:14:17.496Z\",\"level\":\"WARN\",\"message\":\"m\",\"a\":1,\"b\":\"x y\"}"),
                "JobsApiFunction");

        assertThat(rendered).isEqualTo("21:14:17.496 WARN  JobsApiFunction  m  a=1 b=x y");
    }

    private String shown() {
        return console.toString(StandardCharsets.UTF_8);
    }
}
