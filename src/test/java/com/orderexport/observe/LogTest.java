package com.orderexport.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LogTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T21:14:17.496Z"), ZoneOffset.UTC);

    final Lines lines = new Lines();
    final Log log = Log.to(lines, Log.Level.INFO, CLOCK);

    @Test
    void info_writesOneJsonObjectWithTimestampLevelMessageAndFieldsAtTheTopLevel() {
        log.with("store_id", "store-a").info("export complete", "job_id", "j-1", "rows", 22L, "bytes", 7202L);

        JsonNode record = lines.only();
        assertThat(record.get("timestamp").asText()).isEqualTo("2026-11-28T21:14:17.496Z");
        assertThat(record.get("level").asText()).isEqualTo("INFO");
        assertThat(record.get("message").asText()).isEqualTo("export complete");
        assertThat(record.get("store_id").asText()).isEqualTo("store-a");
        assertThat(record.get("job_id").asText()).isEqualTo("j-1");
        assertThat(record.get("rows").isNumber()).isTrue();
        assertThat(record.get("bytes").asLong()).isEqualTo(7202L);
    }

    @Test
    void records_reachTheLambdaLoggerAsBytesWithTheirLevel() {
        log.warn("lease lost");
        log.info("claimed");

        assertThat(lines.lines).extracting(Lines.Line::level).containsExactly(LogLevel.WARN, LogLevel.INFO);
        assertThat(lines.lines).allSatisfy(line -> assertThat(line.text()).endsWith("}\n").doesNotContain("}\n{"));
    }

    @Test
    void debug_isNotWrittenAtInfo_andIsAtDebug() {
        log.debug("filter", "filter", "eq(email,ron@swanson.com)");
        assertThat(lines.lines).isEmpty();

        Log.to(lines, Log.Level.DEBUG, CLOCK).debug("filter", "filter", "eq(email,ron@swanson.com)");
        assertThat(lines.only().get("filter").asText()).isEqualTo("eq(email,ron@swanson.com)");
    }

    @Test
    void error_carriesTheExceptionsClassMessageAndStackTraceInTheSameRecord() {
        IllegalStateException error = new IllegalStateException("upload broke",
                new UncheckedIOException(new IOException("connection reset")));

        log.error("export failed", error, "attempt", 2);

        JsonNode record = lines.only();
        assertThat(record.get("level").asText()).isEqualTo("ERROR");
        assertThat(record.get("error_type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(record.get("error_message").asText()).isEqualTo("upload broke");
        assertThat(record.get("stack_trace").asText())
                .contains("java.lang.IllegalStateException: upload broke")
                .contains("\tat com.orderexport.observe.LogTest.")
                .contains("Caused by: java.io.UncheckedIOException")
                .contains("Caused by: java.io.IOException: connection reset");
        assertThat(record.get("attempt").asInt()).isEqualTo(2);
    }

    @Test
    void with_bindsAFieldForEveryLine_andANullValueLeavesItOut() {
        Log bound = log.with("store_id", "store-a").with("job_id", "j-1");

        bound.info("one");
        bound.with("job_id", null).info("two", "outcome", null);

        assertThat(lines.json().get(0).get("job_id").asText()).isEqualTo("j-1");
        assertThat(lines.json().get(1).has("job_id")).isFalse();
        assertThat(lines.json().get(1).has("outcome")).isFalse();
        assertThat(lines.json().get(1).get("store_id").asText()).isEqualTo("store-a");
    }

    @Test
    void fields_mustComeInPairs_andMayNotReplaceTheLoggersOwn() {
        assertThatThrownBy(() -> log.info("odd", "rows")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.with("level", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.info("m", "message", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forInvocation_writesToTheContextsLoggerWithItsRequestId() {
        Lines contextLines = new Lines();

        log.forInvocation(context("req-123", contextLines), null).info("hello");
        log.forInvocation(context("req-123", contextLines), "api-gw-456").info("hello");
        log.forInvocation(null, null).info("no context");

        assertThat(contextLines.json()).extracting(r -> r.get("request_id").asText())
                .containsExactly("req-123", "api-gw-456");
        assertThat(lines.only().has("request_id")).isFalse();
    }

    @Test
    void parse_readsLambdasLevelNames() {
        assertThat(Log.Level.parse("debug")).isEqualTo(Log.Level.DEBUG);
        assertThat(Log.Level.parse("TRACE")).isEqualTo(Log.Level.DEBUG);
        assertThat(Log.Level.parse(" WARN ")).isEqualTo(Log.Level.WARN);
        assertThat(Log.Level.parse("FATAL")).isEqualTo(Log.Level.ERROR);
    }

    @Property(tries = 300)
    void anyText_survivesAsJson(@ForAll String text) {
        Lines collected = new Lines();

        Log.to(collected, Log.Level.INFO, CLOCK).info(text, "value", text);

        JsonNode record = collected.only();
        assertThat(record.get("message").asText()).isEqualTo(text);
        assertThat(record.get("value").asText()).isEqualTo(text);
        assertThat(collected.lines.get(0).text().strip()).doesNotContain("\n", "\u2028", "\u2029");
    }

    static Context context(String requestId, LambdaLogger logger) {
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "group"; }
            @Override public String getLogStreamName() { return "stream"; }
            @Override public String getFunctionName() { return "fn"; }
            @Override public String getFunctionVersion() { return "1"; }
            @Override public String getInvokedFunctionArn() { return "arn"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 1000; }
            @Override public int getMemoryLimitInMB() { return 128; }
            @Override public LambdaLogger getLogger() { return logger; }
        };
    }
}
