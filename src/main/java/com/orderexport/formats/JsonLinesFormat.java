package com.orderexport.formats;

import com.orderexport.orders.Order;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON Lines: each order as the document Elastic Path's {@code GET /v2/orders/{id}?include=items} returns
 * ({@code {"data": ..., "included": {"items": [...]}}}), one per line, so a client parses it with the types it
 * already has. The stored document is written as it is: compact JSON has no raw line break to split a line.
 */
final class JsonLinesFormat implements ExportFormat {

    private static final int BUFFER = 64 * 1024;

    @Override
    public String name() {
        return "jsonl";
    }

    @Override
    public String contentType() {
        return "application/jsonl; charset=utf-8";
    }

    @Override
    public String fileExtension() {
        return "jsonl";
    }

    @Override
    public RowWriter open(OutputStream out, boolean header) {
        BufferedOutputStream buffered = new BufferedOutputStream(out, BUFFER);
        return new RowWriter() {
            @Override
            public int write(Order order) throws IOException {
                buffered.write(order.document().getBytes(StandardCharsets.UTF_8));
                buffered.write('\n');
                return 1;
            }

            @Override
            public void close() throws IOException {
                buffered.flush();
            }
        };
    }
}
