package com.orderexport.files;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams bytes into one S3 object through a multipart upload, holding at most one part in memory,
 * so an export of any size runs in constant memory. {@link #close()} completes the object;
 * {@link #abort()} discards every uploaded part so nothing half-written is left behind.
 */
public final class MultipartOutputStream extends OutputStream {

    /** S3's smallest allowed part (all parts but the last). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final byte[] buffer;
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private boolean finished;

    /** Starts the upload at once, so its id can be recorded before any data is sent. */
    public MultipartOutputStream(S3Client s3, String bucket, String key, String contentType,
                                 String contentDisposition, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("parts must be at least " + MIN_PART_SIZE + " bytes");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.buffer = new byte[partSize];
        this.uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)
                .contentDisposition(contentDisposition)).uploadId();
    }

    public String uploadId() {
        return uploadId;
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == buffer.length) {
            uploadBufferedPart();
        }
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        while (length > 0) {
            if (filled == buffer.length) {
                uploadBufferedPart();
            }
            int chunk = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, chunk);
            filled += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    /** Uploads what is buffered as the last part and completes the object. */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        ensureOpen();
        if (filled > 0 || parts.isEmpty()) {
            uploadBufferedPart();
        }
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        finished = true;
    }

    /** Discards the upload and its parts; safe to call more than once and after a failed close. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        abort(s3, bucket, key, uploadId);
    }

    /** Aborts an upload left by an earlier run; an upload that no longer exists is already gone. */
    public static void abort(S3Client s3, String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchUploadException alreadyGone) {
            // completed or aborted before: nothing left to discard
        }
    }

    private void uploadBufferedPart() throws IOException {
        ensureOpen();
        int partNumber = parts.size() + 1;
        String eTag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled))).eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
        filled = 0;
    }

    private void ensureOpen() throws IOException {
        if (finished) {
            throw new IOException("the upload of " + key + " is already completed or aborted");
        }
    }
}
