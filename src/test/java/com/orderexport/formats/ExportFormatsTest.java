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
    void gzip_ofEachFormat_decompressesToThePlainFileByteForByte() throws IOException {
        for (String name : ExportFormats.names()) {
            byte[] plain = written(ExportFormats.of(name, "none"), true);

            byte[] packed = written(ExportFormats.of(name, "gzip"), true);

            assertThat(gunzip(packed)).as(name).isEqualTo(plain);
            assertThat(packed.length).as(name).isLessThan(plain.length + 64);
        }
    }

    @Test
    void gzip_membersWrittenOneAfterAnother_makeOneFileOfTheirRowsInOrder() throws IOException {
        // Two slices (or two runs of one slice), each its own member: the joined file is the one-member file's rows.
        ExportFormat gzip = ExportFormats.of("csv", "gzip");
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        try (ExportFormat.RowWriter first = gzip.open(joined, true)) {
            first.write(orders.get(0));
        }
        gzip.open(joined, false).close(); // a slice with no matching orders still leaves a valid, empty member
        try (ExportFormat.RowWriter second = gzip.open(joined, false)) {
            second.write(orders.get(1));
        }

        assertThat(gunzip(joined.toByteArray())).isEqualTo(written(ExportFormats.CSV, true));
    }

    @Test
    void eachFormat_namesItsFileAndItsContentType() {
        assertThat(ExportFormats.of("csv", "gzip").fileExtension()).isEqualTo("csv.gz");
        assertThat(ExportFormats.of("jsonl", "gzip").fileExtension()).isEqualTo("jsonl.gz");
        assertThat(ExportFormats.of("csv", "gzip").contentType()).isEqualTo("application/gzip");
        assertThat(ExportFormats.names()).containsExactly("csv", "jsonl");
        assertThat(ExportFormats.CSV.fileExtension()).isEqualTo("csv");
        assertThat(ExportFormats.CSV.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(ExportFormats.of("jsonl").fileExtension()).isEqualTo("jsonl");
        assertThat(ExportFormats.of("jsonl").contentType()).isEqualTo("application/jsonl; charset=utf-8");
    }

    @Test
    void options_withoutAFormatAreTheDefaultCsv_andAnUnknownFormatIsRefusedByName() throws JobProblem {
        assertThat(ExportOptions.of(requested(null, null, null, null))).isEqualTo(ExportOptions.DEFAULT);
        assertThat(ExportOptions.of(requested("jsonl", null, null, null)).exportFormat().name()).isEqualTo("jsonl");
        assertThatThrownBy(() -> ExportOptions.of(requested("xml", null, null, null))).isInstanceOf(JobProblem.class)
                .hasMessage("Unsupported format 'xml'; supported formats: csv, jsonl");
        assertThatThrownBy(() -> ExportOptions.of(requested("CSV", null, null, null))).isInstanceOf(JobProblem.class);
        assertThatThrownBy(() -> ExportOptions.of(requested(null, "zip", null, null))).isInstanceOf(JobProblem.class)
                .hasMessage("Unsupported compression 'zip'; supported compressions: none, gzip");
    }

    @Test
    void columnsAndTimezone_areCheckedByName_andApplyToCsvOnly() throws JobProblem {
        ExportOptions chosen = ExportOptions.of(requested(null, null, List.of("id", "created_at"), "Europe/Berlin"));

        assertThat(chosen.columns()).containsExactly("id", "created_at");
        assertThat(chosen.timezone()).isEqualTo("Europe/Berlin");
        assertThat(ExportOptions.of(requested(null, null, null, "UTC"))).isEqualTo(ExportOptions.DEFAULT);
        assertThatThrownBy(() -> ExportOptions.of(requested(null, null, List.of("id", "colour"), null)))
                .hasMessageStartingWith("Unknown column 'colour' in data.columns");
        assertThatThrownBy(() -> ExportOptions.of(requested(null, null, List.of("id", "id"), null)))
                .hasMessage("Column 'id' is named twice in data.columns");
        assertThatThrownBy(() -> ExportOptions.of(requested(null, null, List.of(), null)))
                .hasMessage("data.columns must name at least one column");
        assertThatThrownBy(() -> ExportOptions.of(requested("jsonl", null, List.of("id"), null)))
                .hasMessageStartingWith("data.columns applies to the csv format only");
        assertThatThrownBy(() -> ExportOptions.of(requested(null, null, null, "Mars/Olympus_Mons")))
                .hasMessageStartingWith("Unknown timezone 'Mars/Olympus_Mons'");
        assertThatThrownBy(() -> ExportOptions.of(requested(null, null, null, "+02:00")))
                .hasMessageStartingWith("Unknown timezone '+02:00'");
        assertThatThrownBy(() -> ExportOptions.of(requested("jsonl", null, null, "Europe/Berlin")))
                .hasMessageStartingWith("data.timezone applies to the csv format only");
        assertThat(ExportOptions.of(new ExportOptions.Requested(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("item"))).rows()).isEqualTo("item");
        assertThatThrownBy(() -> ExportOptions.of(new ExportOptions.Requested(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("line")))).hasMessageStartingWith("Unsupported rows 'line'");
        assertThatThrownBy(() -> ExportOptions.of(new ExportOptions.Requested(Optional.of("jsonl"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("item"))))
                .hasMessageStartingWith("data.rows applies to the csv format only");
    }

    private static ExportOptions.Requested requested(String format, String compression, List<String> columns,
                                                     String timezone) {
        return new ExportOptions.Requested(Optional.ofNullable(format), Optional.ofNullable(compression),
                Optional.ofNullable(columns), Optional.ofNullable(timezone), Optional.empty());
    }

    private static byte[] gunzip(byte[] packed) throws IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(packed))) {
            return in.readAllBytes();
        }
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
