package com.orderexport.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Crc64NvmeTest {

    @Test
    void value_matchesTheCatalogueCheckValue() {
        Crc64Nvme crc = new Crc64Nvme();
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        crc.update(check, 0, check.length);

        assertThat(crc.value()).isEqualTo(0xAE8B14860A799888L);
    }

    @Test
    void value_ofNothingIsZero() {
        assertThat(new Crc64Nvme().value()).isZero();
    }

    @Test
    void toBase64_isTheBigEndianBytesAsS3PrintsThem() {
        assertThat(Crc64Nvme.toBase64(0xAE8B14860A799888L)).isEqualTo("rosUhgp5mIg=");
    }

    @Property
    void combine_ofTwoPiecesEqualsTheChecksumOfTheWhole(@ForAll byte[] a, @ForAll byte[] b) {
        byte[] whole = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, whole, a.length, b.length);

        assertThat(Crc64Nvme.combine(crcOf(a), crcOf(b), b.length)).isEqualTo(crcOf(whole));
    }

    @Property
    void update_ofAnyRangeEqualsTheRangeByteByByte(@ForAll byte[] bytes, @ForAll @IntRange(max = 40) int from,
                                                   @ForAll @IntRange(max = 40) int to) {
        int offset = Math.min(from, bytes.length);
        int count = Math.max(0, Math.min(bytes.length - offset, bytes.length - to - offset));
        Crc64Nvme byByte = new Crc64Nvme();
        for (int i = offset; i < offset + count; i++) {
            byByte.update(bytes[i]);
        }
        Crc64Nvme range = new Crc64Nvme();
        range.update(bytes, offset, count);

        assertThat(range.value()).isEqualTo(byByte.value());
        assertThat(range.length()).isEqualTo(count);
    }

    @Property
    void update_byteByByteEqualsUpdateInOneGo(@ForAll byte[] bytes) {
        Crc64Nvme single = new Crc64Nvme();
        for (byte b : bytes) {
            single.update(b);
        }

        assertThat(single.value()).isEqualTo(crcOf(bytes));
        assertThat(single.length()).isEqualTo(bytes.length);
    }

    static long crcOf(byte[] bytes) {
        Crc64Nvme crc = new Crc64Nvme();
        crc.update(bytes, 0, bytes.length);
        return crc.value();
    }
}
