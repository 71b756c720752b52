package com.orderexport.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LinesTest {

    @Test
    void next_splitsOnLfDropsACrBeforeItAndKeepsALastLineWithoutABreak() throws IOException {
        assertThat(read("a\r\nb\n\nc".getBytes(StandardCharsets.UTF_8))).containsExactly("a", "b", "", "c");
    }

    @Test
    void next_findsNoLineInEmptyInputAndNoExtraLineAfterAFinalBreak() throws IOException {
        assertThat(read(new byte[0])).isEmpty();
        assertThat(read("a\n".getBytes(StandardCharsets.UTF_8))).containsExactly("a");
    }

    @Test
    void decode_refusesOnlyTheLineWhoseBytesAreNotUtf8() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("before é 🚀\n".getBytes(StandardCharsets.UTF_8));
        // A lone surrogate as CESU-8 writes it, then a stray continuation byte, then a cut two-byte sequence.
        bytes.writeBytes(new byte[] {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'});
        bytes.writeBytes(new byte[] {(byte) 0x80, '\n', 'y', (byte) 0xC3, '\n'});
        bytes.writeBytes("after\n".getBytes(StandardCharsets.UTF_8));

        assertThat(read(bytes.toByteArray())).containsExactly("before é 🚀", "NOT UTF-8", "NOT UTF-8", "NOT UTF-8",
                "after");
    }

    @Test
    void next_readsLinesLongerThanItsBufferAndCharactersSplitAcrossReads() throws IOException {
        String longLine = "é".repeat(100_000);
        byte[] bytes = (longLine + "\nshort\n").getBytes(StandardCharsets.UTF_8);
        // One byte per read: every multi-byte character and the line break arrive in pieces.
        ByteArrayInputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };

        assertThat(read(new Utf8Lines(trickle))).containsExactly(longLine, "short");
        assertThat(read(bytes)).containsExactly(longLine, "short");
    }

    private static List<String> read(byte[] bytes) throws IOException {
        return read(new Utf8Lines(new ByteArrayInputStream(bytes)));
    }

    private static List<String> read(Utf8Lines lines) throws IOException {
        List<String> texts = new ArrayList<>();
        while (lines.next()) {
            try {
                texts.add(lines.decode());
            } catch (Utf8Lines.NotUtf8Exception e) {
                texts.add("NOT UTF-8");
            }
        }
        return texts;
    }
}
