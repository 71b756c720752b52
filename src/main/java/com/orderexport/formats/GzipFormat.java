package com.orderexport.formats;

import com.orderexport.orders.Order;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Any format, gzip-compressed. Each slice of each run writes a gzip member of its own, finished when the slice
 * stops; gzip members concatenate into one valid file (RFC 1952, 2.2), so slices still write in parallel, an export
 * still hands off between invocations, and the file's checksum still combines from its parts. The object is served
 * as {@code application/gzip} with no Content-Encoding, so curl and browsers save the {@code .gz} file as it is
 * rather than unpacking it under a {@code .gz} name.
 */
final class GzipFormat implements ExportFormat {

    /** Fastest deflate: an export's CPU is its speed on Lambda's one vCPU, and level 1 keeps most of the gain. */
    private static final int LEVEL = Deflater.BEST_SPEED;
    private static final int BUFFER = 64 * 1024;

    private final ExportFormat inner;

    GzipFormat(ExportFormat inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String contentType() {
        return "application/gzip";
    }

    @Override
    public String fileExtension() {
        return inner.fileExtension() + ".gz";
    }

    @Override
    public RowWriter open(OutputStream out, boolean header) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(new Unclosable(out), BUFFER) {
            {
                def.setLevel(LEVEL);
            }
        };
        RowWriter rows = inner.open(gzip, header);
        return new RowWriter() {
            @Override
            public int write(Order order) throws IOException {
                return rows.write(order);
            }

            @Override
            public void close() throws IOException {
                rows.close();
                gzip.finish();
            }
        };
    }

    /** The slice's stream outlives the member written onto it; closing the member must not close it. */
    private static final class Unclosable extends OutputStream {
        private final OutputStream out;

        Unclosable(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            // the slice's output stays open for the next member
        }
    }
}
