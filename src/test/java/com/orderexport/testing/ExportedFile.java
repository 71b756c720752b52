package com.orderexport.testing;

import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.orderexport.csv.OrderCsvWriter;
import com.orderexport.files.Crc64Nvme;
import com.orderexport.orders.Order;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * An export's CSV file as a client gets it, read back with Jackson (not with the code that wrote it): its
 * records, its orders' ids, its CRC-64/NVME. Also writes orders the way an export does, for unit tests.
 */
public final class ExportedFile {

    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private final byte[] bytes;

    private ExportedFile(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    public static ExportedFile of(byte[] bytes) {
        return new ExportedFile(bytes);
    }

    /** The file {@link OrderCsvWriter} writes for these orders, in this order. */
    public static byte[] export(Order... orders) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OrderCsvWriter writer = new OrderCsvWriter(out)) {
            for (Order order : orders) {
                writer.write(order);
            }
        }
        return out.toByteArray();
    }

    /** Every record of {@code csv}, header first. */
    public static List<String[]> parse(byte[] csv) throws IOException {
        try (MappingIterator<String[]> records = CSV.readerFor(String[].class).readValues(csv)) {
            return records.readAll();
        }
    }

    /** The checksum S3 and the job's {@code crc64nvme} give for these bytes, as a number. */
    public static long crc64nvmeOf(byte[] bytes) {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(bytes, 0, bytes.length);
        return crc.value();
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public long size() {
        return bytes.length;
    }

    /** A gzip file's content, every member read: the plain file a client gets from {@code gunzip}. */
    public ExportedFile gunzipped() {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return new ExportedFile(in.readAllBytes());
        } catch (IOException e) {
            throw new AssertionError("not a gzip file", e);
        }
    }

    /** What {@code gzip -t} says of the file: 0 when it is a valid gzip file, every member and checksum. */
    public int gzipTest() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("export", ".gz");
            java.nio.file.Files.write(file, bytes);
            Process gzip = new ProcessBuilder("gzip", "-t", file.toString()).inheritIO().start();
            int exit = gzip.waitFor();
            java.nio.file.Files.delete(file);
            return exit;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A JSON Lines file's lines, each parsed: the order documents it holds, in order. */
    public List<JsonNode> documents() {
        ObjectMapper mapper = new ObjectMapper();
        return new String(bytes, StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return mapper.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("line is not JSON: " + line, e);
            }
        }).toList();
    }

    /** Every record, header first, each as a list of cells. */
    public List<List<String>> rows() {
        try {
            return parse(bytes).stream().map(Arrays::asList).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of records after the header: the job's {@code row_count} for a complete export. */
    public int rowCount() {
        return rows().size() - 1;
    }

    /** One column's cells, by its header, for every record after the header. */
    public List<String> column(String header) {
        List<List<String>> rows = rows();
        int index = rows.get(0).indexOf(header);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + header + " in " + rows.get(0));
        }
        return rows.subList(1, rows.size()).stream().map(row -> row.get(index)).toList();
    }

    /** The first cell, the order id, of every record after the header. */
    public List<String> ids() {
        List<List<String>> rows = rows();
        return rows.subList(1, rows.size()).stream().map(row -> row.get(0)).toList();
    }

    /** The checksum in the form the job and S3 give it: base64 of the 8 big-endian bytes. */
    public String crc64nvme() {
        return Crc64Nvme.toBase64(crc64nvmeOf(bytes));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExportedFile file && Arrays.equals(bytes, file.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "an exported file of " + bytes.length + " bytes";
    }
}
