package com.orderexport.files;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The bytes of one slice of a file, cut into parts of one {@link MultipartUpload}. The slice owns the part
 * numbers from {@code firstPartNumber}; it keeps back its first {@code headSize} bytes and its last partial
 * part, because only when the slices before it are done can they be joined into parts of at least 5 MiB
 * ({@link PartAssembler}). Counts and checksums every byte: each byte is read once for the checksum, when its
 * part is cut (the part's checksum goes up with it and is folded into the slice's), or when the slice's is asked for.
 */
public final class SliceOutput extends OutputStream {

    private final MultipartUpload upload;
    private final int firstPartNumber;
    private final int lastPartNumber;
    private final int partSize;
    private final byte[] head;
    private int headFilled;
    private byte[] buffer;
    private int filled;
    private int nextPartNumber;
    /** The checksum of the head up to {@link #headCounted}, the parts cut, then the buffer up to {@link #bufferCounted}. */
    private Crc64Nvme counted;
    private int headCounted;
    private int bufferCounted;

    /** A slice that owns the part numbers from {@code firstPartNumber} to {@code lastPartNumber}, both included. */
    public SliceOutput(MultipartUpload upload, int firstPartNumber, int lastPartNumber, int partSize, int headSize) {
        this(upload, lastPartNumber, partSize,
                new Snapshot(firstPartNumber, firstPartNumber + 1, headSize, new byte[0], new byte[0], 0, 0));
    }

    /** Goes on where a {@link #snapshot()} taken in an earlier invocation left off. */
    public SliceOutput(MultipartUpload upload, int lastPartNumber, int partSize, Snapshot from) {
        this.upload = upload;
        this.firstPartNumber = from.firstPartNumber();
        this.lastPartNumber = lastPartNumber;
        this.partSize = partSize;
        this.head = Arrays.copyOf(from.head(), from.headSize());
        this.headFilled = from.head().length;
        this.buffer = Arrays.copyOf(from.buffer(), partSize);
        this.filled = from.buffer().length;
        this.nextPartNumber = from.nextPartNumber();
        // The snapshot's checksum covers everything it holds, the head and the buffer included.
        this.counted = Crc64Nvme.resume(from.crc(), from.length());
        this.headCounted = headFilled;
        this.bufferCounted = filled;
    }

    /**
     * Everything a slice holds that S3 does not: its part numbers, the bytes held back and its checksum.
     * Taken after the parts handed to the upload have gone up, it is all a later invocation needs.
     */
    public record Snapshot(int firstPartNumber, int nextPartNumber, int headSize, byte[] head, byte[] buffer,
                           long crc, long length) {}

    public Snapshot snapshot() {
        Crc64Nvme all = checksumSoFar();
        return new Snapshot(firstPartNumber, nextPartNumber, head.length, head(), tail(), all.value(), all.length());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (headFilled < head.length) {
            int chunk = Math.min(length, head.length - headFilled);
            System.arraycopy(bytes, offset, head, headFilled, chunk);
            headFilled += chunk;
            offset += chunk;
            length -= chunk;
        }
        while (length > 0) {
            if (filled == partSize) {
                if (nextPartNumber > lastPartNumber) {
                    // S3 keeps the last upload of a part number: going on would overwrite another slice's bytes.
                    throw new PartLimitException(lastPartNumber - firstPartNumber + 1, partSize);
                }
                cutPart();
            }
            int chunk = Math.min(length, partSize - filled);
            System.arraycopy(bytes, offset, buffer, filled, chunk);
            filled += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    /** Uploads the full buffer as the next part, with its checksum, which the slice's takes in. */
    private void cutPart() throws IOException {
        countHead();
        Crc64Nvme part = new Crc64Nvme();
        part.update(buffer, 0, filled);
        if (bufferCounted == 0) {
            counted = Crc64Nvme.resume(Crc64Nvme.combine(counted.value(), part.value(), filled), counted.length() + filled);
        } else {
            // Resumed mid-part: the snapshot's checksum already holds the buffer's first bytes.
            counted.update(buffer, bufferCounted, filled - bufferCounted);
        }
        upload.uploadPart(nextPartNumber++, buffer, filled, part.value());
        buffer = new byte[partSize];
        filled = 0;
        bufferCounted = 0;
    }

    /** Folds the head into the slice's checksum: it comes before any byte of the buffer. */
    private void countHead() {
        if (headCounted < headFilled) {
            counted.update(head, headCounted, headFilled - headCounted);
            headCounted = headFilled;
        }
    }

    private Crc64Nvme checksumSoFar() {
        Crc64Nvme all = Crc64Nvme.resume(counted.value(), counted.length());
        all.update(head, headCounted, headFilled - headCounted);
        all.update(buffer, bufferCounted, filled - bufferCounted);
        return all;
    }

    int firstPartNumber() {
        return firstPartNumber;
    }

    /** The part numbers this slice may still use: its own run, up to the next slice's first. */
    int nextPartNumber() {
        return nextPartNumber;
    }

    byte[] head() {
        return Arrays.copyOf(head, headFilled);
    }

    /** True when every byte of the slice still sits in the head: nothing was cut into parts. */
    boolean allInHead() {
        return filled == 0 && nextPartNumber == firstPartNumber + 1;
    }

    byte[] tail() {
        return Arrays.copyOf(buffer, filled);
    }

    public long crc() {
        return checksumSoFar().value();
    }

    public long length() {
        return counted.length() + (headFilled - headCounted) + (filled - bufferCounted);
    }
}
