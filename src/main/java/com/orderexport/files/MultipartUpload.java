package com.orderexport.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * One S3 multipart upload whose parts go up in the background, a bounded number at a time, so writing the
 * next part overlaps the upload of the last one and memory stays about (in flight + 1) × part size. The upload
 * carries a full-object CRC-64/NVME: each part goes up with its own, and the completion names the whole file's,
 * so S3 itself refuses an object whose parts do not add up to the file that was written.
 */
public final class MultipartUpload {

    /** S3's smallest allowed part (all parts but the last). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** S3's largest part number. */
    public static final int MAX_PART_NUMBER = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final ExecutorService uploads;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private boolean finished;

    private MultipartUpload(S3Client s3, String bucket, String key, String uploadId, ExecutorService uploads,
                            int maxInFlight, List<CompletedPart> done) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = uploadId;
        this.uploads = uploads;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.parts.addAll(done);
    }

    public static MultipartUpload start(S3Client s3, String bucket, String key, String contentType,
                                        String contentDisposition, ExecutorService uploads, int maxInFlight) {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)
                .contentDisposition(contentDisposition).checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME)
                .checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        return new MultipartUpload(s3, bucket, key, id, uploads, maxInFlight, List.of());
    }

    /** Continues an upload an earlier invocation started; {@code done} are the parts it had uploaded. */
    public static MultipartUpload resume(S3Client s3, String bucket, String key, String uploadId,
                                         List<CompletedPart> done, ExecutorService uploads, int maxInFlight) {
        return new MultipartUpload(s3, bucket, key, uploadId, uploads, maxInFlight, done);
    }

    public String uploadId() {
        return uploadId;
    }

    public String key() {
        return key;
    }

    /**
     * Uploads {@code length} bytes of {@code bytes} as part {@code partNumber} in the background, taking
     * ownership of the array. Blocks while the maximum number of parts is in flight.
     */
    public void uploadPart(int partNumber, byte[] bytes, int length) throws IOException {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(bytes, 0, length);
        uploadPart(partNumber, bytes, length, crc.value());
    }

    /** {@link #uploadPart(int, byte[], int)} of bytes whose CRC-64/NVME the caller has already computed. */
    public void uploadPart(int partNumber, byte[] bytes, int length, long crc64) throws IOException {
        rethrowFailure();
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to upload part " + partNumber, e);
        }
        uploads.execute(() -> {
            try {
                // Given, not left to the SDK: its CRC-64/NVME needs the CRT library, which the function does without.
                String checksum = Crc64Nvme.toBase64(crc64);
                String eTag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                                .contentLength((long) length).checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME)
                                .checksumCRC64NVME(checksum),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                                "application/octet-stream")).eTag();
                synchronized (parts) {
                    parts.removeIf(p -> p.partNumber() == partNumber);
                    parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).checksumCRC64NVME(checksum)
                            .build());
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                inFlight.release();
            }
        });
    }

    /** Waits until every part handed over so far is uploaded; rethrows the first failure. */
    public void awaitParts() throws IOException {
        try {
            inFlight.acquire(maxInFlight);
            inFlight.release(maxInFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for parts of " + key, e);
        }
        rethrowFailure();
    }

    /** The uploaded parts in part-number order. */
    public List<CompletedPart> parts() {
        synchronized (parts) {
            return parts.stream().sorted(Comparator.comparingInt(CompletedPart::partNumber)).toList();
        }
    }

    /** Completes the object, which S3 accepts only if its parts add up to {@code crc64nvme}. */
    public void complete(long crc64nvme) throws IOException {
        awaitParts();
        List<CompletedPart> ordered = parts();
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .checksumCRC64NVME(Crc64Nvme.toBase64(crc64nvme)).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(ordered)));
        finished = true;
    }

    /** Discards the upload and its parts; a no-op once completed. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            awaitParts();
        } catch (IOException ignored) {
            // the upload is being thrown away anyway
        }
        abort(s3, bucket, key, uploadId);
    }

    /** Whether the upload is still open: not completed, aborted, or removed by the bucket's lifecycle. */
    public static boolean exists(S3Client s3, String bucket, String key, String uploadId) {
        try {
            s3.listParts(r -> r.bucket(bucket).key(key).uploadId(uploadId).maxParts(1));
            return true;
        } catch (NoSuchUploadException gone) {
            return false;
        }
    }

    /** Whether a failure says the upload it wrote to no longer exists. */
    public static boolean isGone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoSuchUploadException) {
                return true;
            }
        }
        return false;
    }

    /** Aborts an upload by id; one that no longer exists is already gone. */
    public static void abort(S3Client s3, String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException alreadyGone) {
            // completed or aborted before: nothing left to discard
        }
    }

    private void rethrowFailure() throws IOException {
        Throwable t = failure.get();
        if (t instanceof Error crash) {
            throw crash; // out of memory and the like: the caller's run has crashed, not merely failed
        }
        if (t != null) {
            throw new IOException("uploading a part of " + key + " failed: " + t.getMessage(), t);
        }
    }
}
