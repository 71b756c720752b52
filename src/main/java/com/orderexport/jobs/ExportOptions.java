package com.orderexport.jobs;

import com.orderexport.csv.CsvLayout;
import com.orderexport.csv.OrderColumn;
import com.orderexport.formats.ExportFormat;
import com.orderexport.formats.ExportFormats;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a job's file is shaped, as the caller asked in {@code data} beside the filter and the job keeps it: the
 * record carries it from the request to the export. A job that asks for nothing gets Elastic Path's CSV.
 *
 * @param format      the name of an {@link ExportFormat} ({@code csv}, {@code jsonl})
 * @param compression {@code none} or {@code gzip}
 * @param columns     the CSV's columns by header, in the caller's order; empty for all of them
 * @param timezone    the IANA zone of the CSV's timestamp cells, {@code UTC} by default
 * @param rows        {@code order} (a CSV row per order) or {@code item} (a row per order item); what
 *                    {@code row_count} counts
 */
public record ExportOptions(String format, String compression, List<String> columns, String timezone, String rows) {

    public static final String UTC = "UTC";
    public static final List<String> ROWS = List.of("order", "item");
    public static final ExportOptions DEFAULT = new ExportOptions(ExportFormats.CSV.name(), "none", List.of(), UTC,
            "order");

    public ExportOptions {
        columns = List.copyOf(columns);
    }

    /** Options of this format and compression, every other one its default. */
    public ExportOptions(String format, String compression) {
        this(format, compression, List.of(), UTC, "order");
    }

    /** The options as a request names them; absent ones take their defaults. */
    public record Requested(Optional<String> format, Optional<String> compression, Optional<List<String>> columns,
                            Optional<String> timezone, Optional<String> rows) {
        public static final Requested NONE = new Requested(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * The options a request names, each checked.
     *
     * @throws JobProblem naming the option and what it takes, when one is not valid
     */
    public static ExportOptions of(Requested requested) throws JobProblem {
        String name = requested.format().orElse(DEFAULT.format());
        if (ExportFormats.named(name).isEmpty()) {
            throw JobProblem.invalid("Unsupported format '" + name + "'; supported formats: "
                    + String.join(", ", ExportFormats.names()));
        }
        String packing = requested.compression().orElse(DEFAULT.compression());
        if (!ExportFormats.compressions().contains(packing)) {
            throw JobProblem.invalid("Unsupported compression '" + packing + "'; supported compressions: "
                    + String.join(", ", ExportFormats.compressions()));
        }
        boolean csv = name.equals(ExportFormats.CSV.name());
        List<String> columns = requested.columns().orElse(List.of());
        if (requested.columns().isPresent()) {
            if (!csv) {
                throw JobProblem.invalid("data.columns applies to the csv format only; a " + name
                        + " file holds each order whole");
            }
            checkColumns(columns);
        }
        String zone = requested.timezone().orElse(UTC);
        if (requested.timezone().isPresent()) {
            if (!csv) {
                throw JobProblem.invalid("data.timezone applies to the csv format only; a " + name
                        + " file holds each order's timestamps as stored");
            }
            if (!zone.equals(UTC) && !ZoneId.getAvailableZoneIds().contains(zone)) {
                throw JobProblem.invalid("Unknown timezone '" + zone + "' in data.timezone; use an IANA zone name such as"
                        + " Europe/Berlin,"
                        + " or UTC");
            }
        }
        String rows = requested.rows().orElse(DEFAULT.rows());
        if (!ROWS.contains(rows)) {
            throw JobProblem.invalid("Unsupported rows '" + rows + "'; data.rows is order (a row per order) or item"
                    + " (a row per order item)");
        }
        if (rows.equals("item") && !csv) {
            throw JobProblem.invalid("data.rows applies to the csv format only; a " + name
                    + " file holds each order whole, its items in it");
        }
        return new ExportOptions(name, packing, columns, zone, rows);
    }

    private static void checkColumns(List<String> columns) throws JobProblem {
        if (columns.isEmpty()) {
            throw JobProblem.invalid("data.columns must name at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (CsvLayout.column(column).isEmpty()) {
                throw JobProblem.invalid("Unknown column '" + column + "' in data.columns; the columns are listed in"
                        + " docs/files.md (id, order_number, status, ...)");
            }
            if (!seen.add(column)) {
                throw JobProblem.invalid("Column '" + column + "' is named twice in data.columns");
            }
        }
    }

    /** The file's format with its compression and layout: what the export writes and S3 serves. */
    public ExportFormat exportFormat() {
        return ExportFormats.of(format, compression, layout());
    }

    private CsvLayout layout() {
        if (columns.isEmpty() && timezone.equals(UTC) && rows.equals("order")) {
            return CsvLayout.DEFAULT;
        }
        List<OrderColumn> chosen = new ArrayList<>();
        if (columns.isEmpty()) {
            chosen.addAll(CsvLayout.DEFAULT.columns());
        } else {
            columns.forEach(name -> chosen.add(CsvLayout.column(name).orElseThrow()));
        }
        return new CsvLayout(chosen, timezone.equals(UTC) ? ZoneOffset.UTC : ZoneId.of(timezone), rows.equals("item"));
    }
}
