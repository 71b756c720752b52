package com.orderexport.exporter;

import com.orderexport.files.MultipartUpload;
import com.orderexport.files.SliceOutput;
import com.orderexport.formats.ExportFormat;
import com.orderexport.orders.TimeRange;
import com.orderexport.filter.OrderFilter;
import com.orderexport.store.StoreId;
import com.orderexport.orders.Order;
import com.orderexport.orders.OrderPage;
import com.orderexport.orders.OrderStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One time slice of an export (of created_at, or of updated_at when the export reads by it): reads its pages,
 * writes the matching orders as rows of the job's format into its {@link SliceOutput}, and knows where it stands,
 * so it can stop at a page boundary and go on in the next invocation from a {@link Checkpoint}.
 */
final class SliceRun {

    private final TimeRange range;
    private final OrderPage firstPage;
    private final boolean header;
    private final SliceOutput output;
    private final AtomicLong rows;
    private volatile String cursor;
    private volatile boolean done;
    /** The time (on the read's axis) of the last order read: how far through its range the slice is. */
    private volatile Instant reached;

    private SliceRun(TimeRange range, OrderPage firstPage, boolean header, SliceOutput output,
                     String cursor, boolean done, long rows, Instant reached) {
        this.range = range;
        this.firstPage = firstPage;
        this.header = header;
        this.output = output;
        this.cursor = cursor;
        this.done = done;
        this.rows = new AtomicLong(rows);
        this.reached = reached;
    }

    /** A slice not begun; {@code firstPage}, if given, is its first page, already read. */
    static SliceRun fresh(TimeRange range, OrderPage firstPage, boolean header, SliceOutput output) {
        return new SliceRun(range, firstPage, header, output, null, false, 0, null);
    }

    /** The slices of a checkpoint, each going on from where it stopped. The header, if any, is written already. */
    static List<SliceRun> restore(CheckpointStore.Saved saved, MultipartUpload upload, int partSize, int partLimit) {
        List<SliceRun> slices = new ArrayList<>();
        int at = 0;
        List<Checkpoint.SliceProgress> progress = saved.checkpoint().slices();
        for (int i = 0; i < progress.size(); i++) {
            Checkpoint.SliceProgress p = progress.get(i);
            // A slice owns the part numbers up to the next slice's first; the last of all is the file's tail.
            int lastPartNumber = i + 1 < progress.size() ? progress.get(i + 1).firstPartNumber() - 1 : partLimit - 1;
            byte[] head = Arrays.copyOfRange(saved.stash(), at, at + p.headLength());
            at += p.headLength();
            byte[] buffer = Arrays.copyOfRange(saved.stash(), at, at + p.bufferLength());
            at += p.bufferLength();
            SliceOutput output = new SliceOutput(upload, lastPartNumber, partSize, new SliceOutput.Snapshot(p.firstPartNumber(),
                    p.nextPartNumber(), p.headSize(), head, buffer, p.crc(), p.length()));
            slices.add(new SliceRun(new TimeRange(instant(p.from()), instant(p.to())), null, false, output,
                    p.cursor(), p.done(), p.rows(), instant(p.reached())));
        }
        return slices;
    }

    /** The checkpoint of these slices and their held-back bytes; call once every slice has stopped. */
    static CheckpointStore.Saved checkpoint(MultipartUpload upload, List<SliceRun> slices, TimeRange data) {
        ByteArrayOutputStream stash = new ByteArrayOutputStream();
        List<Checkpoint.SliceProgress> progress = new ArrayList<>();
        for (SliceRun slice : slices) {
            SliceOutput.Snapshot snapshot = slice.output.snapshot();
            stash.writeBytes(snapshot.head());
            stash.writeBytes(snapshot.buffer());
            progress.add(new Checkpoint.SliceProgress(text(slice.range.from()), text(slice.range.to()),
                    slice.cursor, slice.done, slice.rows.get(),
                    snapshot.firstPartNumber(), snapshot.nextPartNumber(), snapshot.headSize(), snapshot.head().length,
                    snapshot.buffer().length, snapshot.crc(), snapshot.length(), text(slice.reached)));
        }
        List<Checkpoint.Part> parts = upload.parts().stream()
                .map(p -> new Checkpoint.Part(p.partNumber(), p.eTag(), p.checksumCRC64NVME())).toList();
        return new CheckpointStore.Saved(new Checkpoint(upload.uploadId(), parts, progress,
                data == null ? null : text(data.from()), data == null ? null : text(data.to())), stash.toByteArray());
    }

    /**
     * Writes the slice's orders page by page, the next page fetched while this one is written. After each
     * page it stops if {@code stop} is set; it always finishes at least one page, so every invocation advances.
     */
    void write(OrderStore orders, StoreId store, OrderFilter filter, ExportFormat format, ExecutorService threads,
               AtomicBoolean stop) throws IOException {
        PrefetchedPages pages = new PrefetchedPages(orders, store, range, firstPage, cursor, threads);
        try (ExportFormat.RowWriter writer = format.open(output, header)) {
            for (OrderPage page = pages.next(); page != null; page = pages.next()) {
                for (Order order : page) {
                    if (filter.test(order)) {
                        rows.addAndGet(writer.write(order));
                    }
                }
                page.lastPosition().ifPresent(last -> reached = last);
                cursor = pages.cursor();
                if (cursor == null) {
                    done = true;
                    return;
                }
                if (stop.get()) {
                    return;
                }
            }
            done = true;
        }
    }

    boolean done() {
        return done;
    }

    /** Milliseconds of the data's extent this slice spans, and how many of them it has read. */
    record Coverage(long span, long read) {}

    Coverage coverage(TimeRange data) {
        Instant from = range.from() == null || range.from().isBefore(data.from()) ? data.from() : range.from();
        Instant to = range.to() == null || range.to().isAfter(data.to()) ? data.to() : range.to();
        if (!to.isAfter(from)) {
            return new Coverage(0, 0);
        }
        long span = Duration.between(from, to).toMillis();
        Instant at = reached;
        long read = done ? span : at == null ? 0 : Math.max(0, Math.min(span, Duration.between(from, at).toMillis()));
        return new Coverage(span, read);
    }

    long rows() {
        return rows.get();
    }

    SliceOutput output() {
        return output;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
