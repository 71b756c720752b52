package com.orderexport.files;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Finishes an upload written as consecutive slices: joins each slice's held-back head to the tail carried
 * from the slices before it, so every part but the last has at least 5 MiB, then completes the object.
 * The parts, in part-number order, are the slices' bytes in slice order: the file a single writer would make.
 */
public final class PartAssembler {

    private PartAssembler() {}

    /** The finished file's CRC-64/NVME and length in bytes. */
    public record AssembledFile(long crc64nvme, long length) {}

    /** Completes the upload. */
    public static AssembledFile complete(MultipartUpload upload, List<SliceOutput> slices) throws IOException {
        AssembledFile file = join(upload, slices);
        upload.complete(file.crc64nvme());
        return file;
    }

    /**
     * Uploads the parts that join the slices and says what completing the upload will make, without completing
     * it: a caller that must note the file first (to recognise it after a crash) completes it after that.
     */
    public static AssembledFile join(MultipartUpload upload, List<SliceOutput> slices) throws IOException {
        ByteArrayOutputStream carry = new ByteArrayOutputStream();
        long crc = 0;
        long length = 0;
        for (SliceOutput slice : slices) {
            carry.write(slice.head());
            if (!slice.allInHead()) {
                // carry + head: at least the head's size (5 MiB), so a valid non-final part.
                if (carry.size() > 0) {
                    upload.uploadPart(slice.firstPartNumber(), carry.toByteArray(), carry.size());
                }
                carry.reset();
                carry.write(slice.tail());
            }
            crc = Crc64Nvme.combine(crc, slice.crc(), slice.length());
            length += slice.length();
        }
        if (carry.size() > 0 || upload.parts().isEmpty()) {
            upload.uploadPart(MultipartUpload.MAX_PART_NUMBER, carry.toByteArray(), carry.size());
        }
        upload.awaitParts();
        return new AssembledFile(crc, length);
    }
}
