package com.orderexport.exporter;

import java.util.List;

/**
 * An export's progress when an invocation hands it on: the upload and its parts, and per slice where its
 * pages stand and what it holds back. The held-back bytes travel beside it, in {@link CheckpointStore}.
 */
record Checkpoint(String uploadId, List<Part> parts, List<SliceProgress> slices, String dataFrom, String dataTo) {

    /** @param crc64nvme the part's own checksum, which the completion repeats */
    record Part(int number, String eTag, String crc64nvme) {}

    /**
     * @param cursor where the slice's next page starts, as {@link com.orderexport.orders.OrderPage#next()} gave
     *     it (null: the slice has not started)
     * @param headLength bytes of the stash that are the slice's head; the next {@code bufferLength} its buffer
     * @param reached the time, on the read's axis, of the last order the slice read (null: none yet)
     */
    record SliceProgress(String from, String to, String cursor, boolean done, long rows,
                         int firstPartNumber, int nextPartNumber, int headSize, int headLength, int bufferLength,
                         long crc, long length, String reached) {}
}
