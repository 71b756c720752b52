package com.orderexport.jobs;

import com.orderexport.formats.ExportFormat;
import com.orderexport.formats.ExportFormats;
import java.util.Optional;

/**
 * How a job's file is shaped, as the caller asked in {@code data} beside the filter and the job keeps it: the
 * record carries it from the request to the export. A job that asks for nothing gets Elastic Path's CSV.
 *
 * @param format      the name of an {@link ExportFormat} ({@code csv}, {@code jsonl})
 * @param compression {@code none} or {@code gzip}
 */
public record ExportOptions(String format, String compression) {

    public static final ExportOptions DEFAULT = new ExportOptions(ExportFormats.CSV.name(), "none");

    /**
     * The options a request names, each checked; absent ones take their defaults.
     *
     * @throws JobProblem naming the option and the values it takes, when one is not valid
     */
    public static ExportOptions of(Optional<String> format, Optional<String> compression) throws JobProblem {
        String name = format.orElse(DEFAULT.format());
        if (ExportFormats.named(name).isEmpty()) {
            throw JobProblem.invalid("Unsupported format '" + name + "'; supported formats: "
                    + String.join(", ", ExportFormats.names()));
        }
        String packing = compression.orElse(DEFAULT.compression());
        if (!ExportFormats.compressions().contains(packing)) {
            throw JobProblem.invalid("Unsupported compression '" + packing + "'; supported compressions: "
                    + String.join(", ", ExportFormats.compressions()));
        }
        return new ExportOptions(name, packing);
    }

    /** The file's format with its compression: what the export writes and S3 serves. */
    public ExportFormat exportFormat() {
        return ExportFormats.of(format, compression);
    }
}
