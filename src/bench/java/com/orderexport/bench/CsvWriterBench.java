package com.orderexport.bench;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.orderexport.csv.OrderColumn;
import com.orderexport.csv.OrderCsvWriter;
import com.orderexport.orders.Order;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * P1: OrderCsvWriter writing Order objects, against jackson's CsvMapper writing the same rows already turned
 * into String[] (every cell precomputed with OrderColumn.cell): what reading cells from orders costs on top
 * of the CSV encoding itself.
 */
final class CsvWriterBench {

    private CsvWriterBench() {}

    static Figure run(Scale scale) throws Exception {
        OrderItems items = OrderItems.of(scale.csvOrders());
        List<Order> orders = new ArrayList<>(items.count());
        for (int i = 0; i < items.count(); i++) {
            orders.add(items.order(i));
        }
        OrderColumn[] columns = OrderColumn.values();
        String[] header = Arrays.stream(columns).map(OrderColumn::header).toArray(String[]::new);
        String[][] rows = new String[orders.size()][];
        for (int i = 0; i < rows.length; i++) {
            String[] row = new String[columns.length];
            for (int c = 0; c < columns.length; c++) {
                row[c] = columns[c].cell(orders.get(i));
            }
            rows[i] = row;
        }
        // The writer's own settings: no schema header (the header is a row), CRLF, null as empty.
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(false).setLineSeparator("\r\n").setNullValue("");
        Arrays.stream(header).forEach(schema::addColumn);
        ObjectWriter plain = new CsvMapper().writer(schema.build());

        // The comparison is fair only if both sides write the same bytes.
        ByteArrayOutputStream oursBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream plainBytes = new ByteArrayOutputStream();
        writeOrders(orders.subList(0, Math.min(2000, orders.size())), oursBytes);
        writeRows(plain, header, Arrays.copyOf(rows, Math.min(2000, rows.length)), plainBytes);
        if (!Arrays.equals(oursBytes.toByteArray(), plainBytes.toByteArray())) {
            throw new IllegalStateException("the two sides do not write the same CSV");
        }

        SideBySide.Samples samples = SideBySide.run(scale.csvWarmups(), scale.csvRounds(), () -> {
            long start = System.nanoTime();
            writeOrders(orders, OutputStream.nullOutputStream());
            return SideBySide.secondsSince(start);
        }, () -> {
            long start = System.nanoTime();
            writeRows(plain, header, rows, OutputStream.nullOutputStream());
            return SideBySide.secondsSince(start);
        });
        double ours = orders.size() / samples.oursMedian();
        double baseline = orders.size() / samples.baselineMedian();
        // Each round's pair ran back to back, so its ratio is what the load of that moment did to both alike.
        return Figure.of("P1", "order → CSV row writer", samples.baselineOverOursMedian(), ours, baseline, "rows/s",
                ">=0.7", true, Map.of("orders", orders.size(), "rounds", scale.csvRounds(),
                        "warmups", scale.csvWarmups()), orders.size() + " orders × " + scale.csvRounds()
                        + " rounds after " + scale.csvWarmups() + " warm-ups, ratio = median of the rounds' ratios;"
                        + " baseline: CsvMapper SequenceWriter of precomputed String[] rows, same bytes");
    }

    private static void writeOrders(List<Order> orders, OutputStream out) throws IOException {
        try (OrderCsvWriter writer = new OrderCsvWriter(out)) {
            for (Order order : orders) {
                writer.write(order);
            }
        }
    }

    private static void writeRows(ObjectWriter plain, String[] header, String[][] rows, OutputStream out)
            throws IOException {
        try (SequenceWriter writer = plain.writeValues(out)) {
            writer.write(header);
            for (String[] row : rows) {
                writer.write(row);
            }
        }
    }
}
