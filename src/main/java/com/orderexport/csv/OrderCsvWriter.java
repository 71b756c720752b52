package com.orderexport.csv;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderItem;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * Streams orders as CSV, one row per order, with the columns of {@link OrderColumn} (all of them in UTC, or those
 * of a {@link CsvLayout} in its zone).
 *
 * <p>The output is RFC 4180: UTF-8 without a byte order mark, a header row first, cells quoted
 * when they need it (Jackson's fast check may also quote a few that do not), and every line, the
 * last too, ending in CRLF, the line break the RFC prescribes. Quoting is left to
 * jackson-dataformat-csv. Unpaired UTF-16 surrogates, which have no UTF-8 form, are written as
 * U+FFFD ({@link WellFormedText}). Rows are never held: each one goes
 * straight into the generator's fixed-size buffer, so memory stays flat however many orders an
 * export has. Not thread-safe; one writer per output.
 */
public final class OrderCsvWriter implements Closeable {

    /** RFC 4180 line break. */
    static final String LINE_SEPARATOR = "\r\n";

    private static final CsvMapper MAPPER = new CsvMapper();
    private static final ItemColumn[] ITEM_COLUMNS = ItemColumn.values();

    // Built once: an ObjectWriter is immutable and thread-safe, so every default export shares it.
    private static final ObjectWriter DEFAULT_CSV = MAPPER.writer(schema(CsvLayout.DEFAULT));

    private final CsvLayout layout;
    private final OrderColumn[] columns;
    private final boolean defaultLayout;
    private final JsonGenerator generator;
    // Reused for every row so writing an order allocates nothing but the cell strings.
    private final String[] row;
    private long rowCount;

    /** Starts an export on {@code out} and writes the header row at once. */
    public OrderCsvWriter(OutputStream out) throws IOException {
        this(out, true);
    }

    /**
     * Starts writing rows on {@code out}; without the header when {@code withHeader} is false, for a slice
     * of a file whose first slice carries it.
     */
    public OrderCsvWriter(OutputStream out, boolean withHeader) throws IOException {
        this(out, withHeader, CsvLayout.DEFAULT);
    }

    /** As {@link #OrderCsvWriter(OutputStream, boolean)}, with the columns and zone of {@code layout}. */
    public OrderCsvWriter(OutputStream out, boolean withHeader, CsvLayout layout) throws IOException {
        Objects.requireNonNull(out, "out");
        this.layout = layout;
        this.columns = layout.columns().toArray(new OrderColumn[0]);
        this.defaultLayout = layout.equals(CsvLayout.DEFAULT);
        this.row = new String[columns.length + (layout.itemRows() ? ITEM_COLUMNS.length : 0)];
        generator = (defaultLayout ? DEFAULT_CSV : MAPPER.writer(schema(layout))).createGenerator(out, JsonEncoding.UTF8);
        if (withHeader) {
            for (int i = 0; i < columns.length; i++) {
                row[i] = layout.header(columns[i]);
            }
            if (layout.itemRows()) {
                for (int i = 0; i < ITEM_COLUMNS.length; i++) {
                    row[columns.length + i] = ITEM_COLUMNS[i].header();
                }
            }
            writeRow();
        }
    }

    /** Writes one order as one row. */
    public void write(Order order) throws IOException {
        Objects.requireNonNull(order, "order");
        // Every cell is read before anything is written, so a failing extractor leaves no half row.
        if (defaultLayout) {
            for (int i = 0; i < columns.length; i++) {
                row[i] = WellFormedText.of(columns[i].cell(order));
            }
        } else {
            for (int i = 0; i < columns.length; i++) {
                row[i] = WellFormedText.of(layout.cell(columns[i], order));
            }
        }
        writeRow();
        rowCount++;
    }

    /**
     * Writes one order as a row per item (its columns repeated on each, then the item's), or, for an order without
     * items, one row whose item cells are empty, so no order is left out; returns the rows written.
     */
    public int writeItems(Order order) throws IOException {
        Objects.requireNonNull(order, "order");
        for (int i = 0; i < columns.length; i++) {
            row[i] = WellFormedText.of(layout.cell(columns[i], order));
        }
        List<OrderItem> items = order.items().isEmpty() ? java.util.Collections.singletonList(null) : order.items();
        for (OrderItem item : items) {
            for (int i = 0; i < ITEM_COLUMNS.length; i++) {
                row[columns.length + i] = WellFormedText.of(ITEM_COLUMNS[i].cell(item));
            }
            writeRow();
            rowCount++;
        }
        return items.size();
    }

    /** Data rows written so far; the header is not counted. */
    public long rowCount() {
        return rowCount;
    }

    /** Pushes buffered rows through to the underlying stream and flushes it. */
    public void flush() throws IOException {
        generator.flush();
    }

    /** Flushes and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        generator.close();
    }

    private void writeRow() throws IOException {
        if (generator.isClosed()) {
            throw new IOException("writer is closed");
        }
        generator.writeArray(row, 0, row.length);
    }

    // The header row is written as an ordinary row by the constructor: Jackson would only write a
    // schema header with the first data row or on close, and an export should start with it.
    private static CsvSchema schema(CsvLayout layout) {
        CsvSchema.Builder builder = CsvSchema.builder()
                .setUseHeader(false)
                .setLineSeparator(LINE_SEPARATOR)
                .setNullValue("");
        for (OrderColumn column : layout.columns()) {
            builder.addColumn(layout.header(column));
        }
        if (layout.itemRows()) {
            for (ItemColumn column : ITEM_COLUMNS) {
                builder.addColumn(column.header());
            }
        }
        return builder.build();
    }
}
