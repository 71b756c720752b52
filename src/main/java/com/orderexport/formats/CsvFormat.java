package com.orderexport.formats;

import com.orderexport.csv.CsvLayout;
import com.orderexport.csv.OrderCsvWriter;
import com.orderexport.orders.Order;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The CSV every Elastic Path client gets by default: one row per order, the columns of docs/files.md, or those
 * its job chose, in the zone it chose.
 */
final class CsvFormat implements ExportFormat {

    private final CsvLayout layout;

    CsvFormat(CsvLayout layout) {
        this.layout = layout;
    }

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String contentType() {
        return "text/csv; charset=utf-8";
    }

    @Override
    public String fileExtension() {
        return "csv";
    }

    @Override
    public RowWriter open(OutputStream out, boolean header) throws IOException {
        OrderCsvWriter csv = new OrderCsvWriter(out, header, layout);
        return new RowWriter() {
            @Override
            public int write(Order order) throws IOException {
                if (layout.itemRows()) {
                    return csv.writeItems(order);
                }
                csv.write(order);
                return 1;
            }

            @Override
            public void close() throws IOException {
                csv.close();
            }
        };
    }
}
