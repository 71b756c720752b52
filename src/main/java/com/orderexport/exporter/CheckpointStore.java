package com.orderexport.exporter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.observe.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Keeps checkpoints next to the export file, under its own prefix: a JSON description and the held-back
 * bytes. Both are named by the attempt that wrote them, so a run that dies while writing one never
 * spoils the checkpoint the job item points to.
 */
final class CheckpointStore {

    /** What a checkpoint's name adds to its file's key, before the attempt that wrote it. */
    static final String CHECKPOINT = ".checkpoint-";

    private final ObjectMapper mapper = new ObjectMapper();
    private final S3Client s3;
    private final String bucket;

    CheckpointStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** What a checkpoint holds: its description and the slices' held-back bytes, back to back. */
    record Saved(Checkpoint checkpoint, byte[] stash) {}

    String save(String fileKey, long attempt, Checkpoint checkpoint, byte[] stash) {
        String key = fileKey + CHECKPOINT + attempt + ".json";
        try {
            s3.putObject(r -> r.bucket(bucket).key(stashKey(key)), RequestBody.fromBytes(stash));
            s3.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromBytes(mapper.writeValueAsBytes(checkpoint)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key;
    }

    Saved load(String key) {
        try {
            Checkpoint checkpoint = mapper.readValue(
                    s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray(), Checkpoint.class);
            byte[] stash = s3.getObjectAsBytes(r -> r.bucket(bucket).key(stashKey(key))).asByteArray();
            return new Saved(checkpoint, stash);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + key + " is unreadable", e);
        }
    }

    /** Removes a checkpoint once it is used up; what fails to go is swept by the bucket's 7-day lifecycle. */
    void delete(String key, Log log) {
        try {
            s3.deleteObject(r -> r.bucket(bucket).key(key));
            s3.deleteObject(r -> r.bucket(bucket).key(stashKey(key)));
        } catch (RuntimeException e) {
            log.warn("used checkpoint not deleted; the bucket's lifecycle removes it", e, "checkpoint", key);
        }
    }

    /**
     * Removes every checkpoint of the file's export, the one the job names and any a run saved but could not hand
     * on, once the job is decided.
     */
    void deleteAll(String fileKey, Log log) {
        try {
            removeAll(fileKey);
        } catch (RuntimeException e) {
            log.warn("checkpoints not deleted; the bucket's lifecycle removes them", e, "file", fileKey);
        }
    }

    /** {@link #deleteAll}, for a caller that must know they are gone: a failure goes up. */
    void removeAll(String fileKey) {
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(fileKey + CHECKPOINT)).contents()
                .forEach(object -> s3.deleteObject(r -> r.bucket(bucket).key(object.key())));
    }

    private static String stashKey(String key) {
        return key.replace(".json", ".bin");
    }
}
