package com.orderexport.files;

/**
 * A slice of a file needs more parts than its share of the upload's part numbers: writing on would reuse a part
 * number another slice owns (S3 keeps the last upload of each), so the file is given up before it is wrong.
 */
public final class PartLimitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long bytes;

    PartLimitException(int parts, int partSize) {
        super("a slice of the file needs more than its " + parts + " parts of " + partSize + " bytes");
        this.bytes = (long) parts * partSize;
    }

    /** About the most the slice could hold: its parts times the part size. */
    public long bytes() {
        return bytes;
    }
}
