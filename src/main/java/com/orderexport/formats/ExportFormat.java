package com.orderexport.formats;

import com.orderexport.orders.Order;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/** One shape of export file: how it is named and served, and how orders become its rows. */
public interface ExportFormat {

    /** The name a job's {@code format} option gives it, e.g. {@code csv}. */
    String name();

    /** The object's Content-Type, which the download is served with. */
    String contentType();

    /** The file name's extension, without the dot: the object key's and the download's. */
    String fileExtension();

    /**
     * A writer of rows onto {@code out} (one slice of the file). With {@code header}, the file's header comes
     * first: only the first slice asks for it, so the slices joined in order make one file.
     */
    RowWriter open(OutputStream out, boolean header) throws IOException;

    /** Writes orders as rows; closing it flushes what it buffers (it does not close the stream). */
    interface RowWriter extends Closeable {

        /** Writes the order's rows and says how many (a row per order, or per item in an item-row shape). */
        int write(Order order) throws IOException;
    }
}
