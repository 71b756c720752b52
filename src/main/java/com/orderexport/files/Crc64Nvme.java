package com.orderexport.files;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * CRC-64/NVME, the checksum S3 keeps for whole objects ({@code ChecksumCRC64NVME}), and the way to combine
 * the checksums of two pieces into the checksum of both: slices written in parallel still yield the
 * checksum of the whole file, and an export resumed in another invocation needs only (crc, length) to go on.
 */
public final class Crc64Nvme {

    /** The NVMe polynomial 0xAD93D23594C93659, bit-reversed for the LSB-first algorithm. */
    private static final long POLY = 0x9A6C9329AC4BC9B5L;
    private static final long[] TABLE = new long[256];
    /**
     * Slicing-by-8: {@code SLICES[k][n]} is the register after byte n and k zero bytes, so eight bytes take eight
     * independent look-ups instead of eight dependent ones. Every byte of an export passes here.
     */
    private static final long[][] SLICES = new long[8][];
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLE[n] = crc;
        }
        SLICES[0] = TABLE;
        for (int k = 1; k < 8; k++) {
            SLICES[k] = new long[256];
            for (int n = 0; n < 256; n++) {
                long previous = SLICES[k - 1][n];
                SLICES[k][n] = (previous >>> 8) ^ TABLE[(int) (previous & 0xFF)];
            }
        }
    }

    private long crc = -1L; // the register, before the final inversion
    private long length;

    public Crc64Nvme() {}

    /** Goes on from the checksum and length of what came before, as if it had been fed here. */
    public static Crc64Nvme resume(long value, long length) {
        Crc64Nvme crc = new Crc64Nvme();
        crc.crc = ~value;
        crc.length = length;
        return crc;
    }

    public void update(byte[] bytes, int offset, int count) {
        long[] t0 = SLICES[0];
        long[] t1 = SLICES[1];
        long[] t2 = SLICES[2];
        long[] t3 = SLICES[3];
        long[] t4 = SLICES[4];
        long[] t5 = SLICES[5];
        long[] t6 = SLICES[6];
        long[] t7 = SLICES[7];
        long c = crc;
        int i = offset;
        int end = offset + count;
        for (; i + 8 <= end; i += 8) {
            long x = c ^ (long) LITTLE_ENDIAN_LONG.get(bytes, i);
            c = t7[(int) (x & 0xFF)] ^ t6[(int) ((x >>> 8) & 0xFF)] ^ t5[(int) ((x >>> 16) & 0xFF)]
                    ^ t4[(int) ((x >>> 24) & 0xFF)] ^ t3[(int) ((x >>> 32) & 0xFF)]
                    ^ t2[(int) ((x >>> 40) & 0xFF)] ^ t1[(int) ((x >>> 48) & 0xFF)] ^ t0[(int) (x >>> 56)];
        }
        for (; i < end; i++) {
            c = t0[(int) ((c ^ bytes[i]) & 0xFF)] ^ (c >>> 8);
        }
        crc = c;
        length += count;
    }

    public void update(int b) {
        crc = TABLE[(int) ((crc ^ b) & 0xFF)] ^ (crc >>> 8);
        length++;
    }

    /** The checksum of everything given so far. */
    public long value() {
        return ~crc;
    }

    public long length() {
        return length;
    }

    /** The checksum of A followed by B, from the checksums of A and B and the length of B (as zlib combines CRC-32). */
    public static long combine(long crcA, long crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        long[] even = new long[64];
        long[] odd = new long[64];
        odd[0] = POLY; // the operator for one zero bit
        long row = 1;
        for (int n = 1; n < 64; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crcA;
        long remaining = lengthB;
        do {
            square(even, odd); // first pass: one zero byte
            if ((remaining & 1) != 0) {
                crc = times(even, crc);
            }
            remaining >>>= 1;
            if (remaining == 0) {
                break;
            }
            square(odd, even);
            if ((remaining & 1) != 0) {
                crc = times(odd, crc);
            }
            remaining >>>= 1;
        } while (remaining != 0);
        return crc ^ crcB;
    }

    /** The checksum as S3 writes it: the 8 big-endian bytes, base64. */
    public static String toBase64(long crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(8).putLong(crc).array());
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] matrix) {
        for (int n = 0; n < 64; n++) {
            square[n] = times(matrix, matrix[n]);
        }
    }
}
