package com.orderexport.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.csv.OrderCsvWriter;
import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.JobProblem;
import com.orderexport.orders.Order;
import com.orderexport.testing.Orders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExportFormatsTest {

    final ObjectMapper mapper = new ObjectMapper();
    final List<Order> orders = List.of(
            Orders.typicalOrder("o1", Instant.parse("2024-03-05T14:40:33Z")).build(),
            Orders.typicalOrder("o2", Instant.parse("2024-03-06T09:00:00Z"))
                    .customer("c2", "Line\nBreak", "line.break@example.com").build());

    @Test
    void csv_writesWhatTheCsvWriterWrites_headerOnlyWhenAsked() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (OrderCsvWriter csv = new OrderCsvWriter(expected, false)) {
            for (Order order : orders) {
                csv.write(order);
            }
        }

        assertThat(written(ExportFormats.CSV, false)).isEqualTo(expected.toByteArray());
        assertThat(new String(written(ExportFormats.CSV, true), StandardCharsets.UTF_8)).startsWith("id,order_number,");
    }

    @Test
    void jsonLines_writesEachStoredDocumentOnALineOfItsOwn() throws IOException {
        List<String> lines = new String(written(ExportFormats.of("jsonl"), true), StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(2);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = mapper.readTree(lines.get(i));
            assertThat(line).isEqualTo(mapper.readTree(orders.get(i).document()));
            assertThat(line.path("data").path("id").asText()).isEqualTo(orders.get(i).id());
        }
    }

    @Test
    void eachFormat_namesItsFileAndItsContentType() {
        assertThat(ExportFormats.names()).containsExactly("csv", "jsonl");
        assertThat(ExportFormats.CSV.fileExtension()).isEqualTo("csv");
        assertThat(ExportFormats.CSV.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(ExportFormats.of("jsonl").fileExtension()).isEqualTo("jsonl");
        assertThat(ExportFormats.of("jsonl").contentType()).isEqualTo("application/jsonl; charset=utf-8");
    }

    @Test
    void options_withoutAFormatAreTheDefaultCsv_andAnUnknownFormatIsRefusedByName() throws JobProblem {
        assertThat(ExportOptions.of(Optional.empty())).isEqualTo(ExportOptions.DEFAULT);
        assertThat(ExportOptions.of(Optional.of("jsonl")).exportFormat().name()).isEqualTo("jsonl");
        assertThatThrownBy(() -> ExportOptions.of(Optional.of("xml"))).isInstanceOf(JobProblem.class)
                .hasMessage("Unsupported format 'xml'; supported formats: csv, jsonl");
        assertThatThrownBy(() -> ExportOptions.of(Optional.of("CSV"))).isInstanceOf(JobProblem.class);
    }

    private byte[] written(ExportFormat format, boolean header) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExportFormat.RowWriter writer = format.open(out, header)) {
            for (Order order : orders) {
                assertThat(writer.write(order)).isEqualTo(1);
            }
        }
        return out.toByteArray();
    }
}
