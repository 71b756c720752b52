package com.orderexport.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionEventTest {

    static final List<String> FIELDS = List.of("store_id", "job_id", "job_type", "status", "error", "row_count",
            "file_size", "crc64nvme", "created_at", "completed_at", "schedule_id", "due_at", "window_from", "window_to",
            "link", "link_expires_at");
    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aCompletedJobsDetail_hasEveryFieldAndNoError() throws Exception {
        CompletionEvent event = new CompletionEvent("store-a", "j-1", "order_export", "complete", null, 22L, 7202L,
                "ZG+Msrrl8UU=", Instant.parse("2026-11-28T21:14:16.857Z"), Instant.parse("2026-11-28T21:14:17.496Z"));

        JsonNode detail = mapper.readTree(event.detailJson());

        assertThat(event.detailType()).isEqualTo("Export Job Completed");
        assertThat(names(detail)).containsExactlyElementsOf(FIELDS);
        assertThat(detail.get("row_count").asLong()).isEqualTo(22);
        assertThat(detail.get("file_size").asLong()).isEqualTo(7202);
        assertThat(detail.get("crc64nvme").asText()).isEqualTo("ZG+Msrrl8UU=");
        assertThat(detail.get("created_at").asText()).isEqualTo("2026-11-28T21:14:16.857Z");
        assertThat(detail.get("error").isNull()).isTrue();
        assertThat(event.detailJson()).doesNotContain("http");
    }

    @Test
    void aFailedJobsDetail_hasItsErrorAndNullFileFacts() throws Exception {
        CompletionEvent event = new CompletionEvent("store-a", "j-2", "order_export", "failed",
                "No results matched the supplied filter", null, null, null,
                Instant.parse("2026-11-28T21:14:16Z"), Instant.parse("2026-11-28T21:14:18Z"));

        JsonNode detail = mapper.readTree(event.detailJson());

        assertThat(event.detailType()).isEqualTo("Export Job Failed");
        assertThat(names(detail)).containsExactlyElementsOf(FIELDS);
        assertThat(detail.get("error").asText()).isEqualTo("No results matched the supplied filter");
        assertThat(detail.get("row_count").isNull()).isTrue();
        assertThat(detail.get("crc64nvme").isNull()).isTrue();
    }

    @Test
    void aScheduledRunsDetail_namesItsScheduleAndWindow_andCarriesTheFilesLink() throws Exception {
        CompletionEvent event = new CompletionEvent("store-a", "j-3", "order_export", "complete", null, 5L, 900L,
                "ZG+Msrrl8UU=", Instant.parse("2026-11-29T02:02:00Z"), Instant.parse("2026-11-29T02:02:09Z"))
                .ofRun("s-1", Instant.parse("2026-11-29T02:00:00Z"), Instant.parse("2026-11-28T02:00:00Z"),
                        Instant.parse("2026-11-29T02:00:00Z"))
                .withLink("https://bucket.example/file.csv?X-Amz-Signature=abc", Instant.parse("2026-11-29T03:02:09Z"));

        JsonNode detail = mapper.readTree(event.detailJson());

        assertThat(names(detail)).containsExactlyElementsOf(FIELDS);
        assertThat(detail.get("schedule_id").asText()).isEqualTo("s-1");
        assertThat(detail.get("due_at").asText()).isEqualTo("2026-11-29T02:00:00Z");
        assertThat(detail.get("window_from").asText()).isEqualTo("2026-11-28T02:00:00Z");
        assertThat(detail.get("window_to").asText()).isEqualTo("2026-11-29T02:00:00Z");
        assertThat(detail.get("link").asText()).isEqualTo("https://bucket.example/file.csv?X-Amz-Signature=abc");
        assertThat(detail.get("link_expires_at").asText()).isEqualTo("2026-11-29T03:02:09Z");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
