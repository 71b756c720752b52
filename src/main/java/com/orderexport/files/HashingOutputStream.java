package com.orderexport.files;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Passes bytes through while counting them and hashing them with SHA-256, so a file's facts need no second read. */
public final class HashingOutputStream extends FilterOutputStream {

    private final MessageDigest sha256;
    private long size;

    public HashingOutputStream(OutputStream out) {
        super(out);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        sha256.update(bytes, offset, length);
        size += length;
    }

    public long size() {
        return size;
    }

    /** The hex SHA-256 of everything written; call once, after the last write. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
