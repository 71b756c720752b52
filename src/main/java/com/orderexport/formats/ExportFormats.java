package com.orderexport.formats;

import com.orderexport.csv.CsvLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The formats a job may ask for, by name; CSV when it asks for none, as Elastic Path's jobs always are. */
public final class ExportFormats {

    public static final ExportFormat CSV = new CsvFormat(CsvLayout.DEFAULT);

    private static final Map<String, ExportFormat> BY_NAME = new LinkedHashMap<>();

    static {
        for (ExportFormat format : List.of(CSV, new JsonLinesFormat())) {
            BY_NAME.put(format.name(), format);
        }
    }

    private ExportFormats() {}

    public static Optional<ExportFormat> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The format of that name, for a name already validated when the job was created. */
    public static ExportFormat of(String name) {
        return named(name).orElseThrow(() -> new IllegalArgumentException("no export format " + name));
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The compressions a job may ask for: none, or gzip around any format. */
    public static List<String> compressions() {
        return List.of("none", "gzip");
    }

    /** The format of that name, compressed as named ({@code none} or {@code gzip}). */
    public static ExportFormat of(String name, String compression) {
        return of(name, compression, CsvLayout.DEFAULT);
    }

    /** As {@link #of(String, String)}, a CSV laid out as {@code layout} says (other formats have no columns). */
    public static ExportFormat of(String name, String compression, CsvLayout layout) {
        ExportFormat format = name.equals(CSV.name()) && !layout.equals(CsvLayout.DEFAULT) ? new CsvFormat(layout) : of(name);
        return switch (compression) {
            case "none" -> format;
            case "gzip" -> new GzipFormat(format);
            default -> throw new IllegalArgumentException("no compression " + compression);
        };
    }
}
