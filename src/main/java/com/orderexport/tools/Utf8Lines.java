package com.orderexport.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a byte stream line by line, decoding each line strictly as UTF-8 on its own. A reader decoding the
 * whole stream either fails at the first bad byte, which ends the load, or silently turns bad bytes into U+FFFD;
 * decoding line by line lets one line be refused by number while the rest of the file still loads.
 *
 * <p>Lines end at {@code \n}; a {@code \r} before it is dropped. Not thread-safe.
 */
final class Utf8Lines {

    /** A line whose bytes are not UTF-8: a surrogate's own encoding (bytes ED A0..BF), a stray byte, a cut sequence. */
    static final class NotUtf8Exception extends Exception {
        private static final long serialVersionUID = 1L;

        NotUtf8Exception() {
            super("not UTF-8 text");
        }
    }

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int position;
    private int limit;
    private boolean ended;

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /**
     * Whether another line follows; if so, {@link #decode()} gives its text. Reads the whole line even when its
     * bytes turn out not to be UTF-8, so the next line starts where it should.
     */
    boolean next() throws IOException {
        line.reset();
        while (true) {
            if (position == limit) {
                limit = ended ? -1 : in.read(buffer);
                position = 0;
                if (limit < 0) {
                    ended = true;
                    limit = 0;
                    return line.size() > 0;
                }
            }
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, position, i - position);
                    position = i + 1;
                    return true;
                }
            }
            line.write(buffer, position, limit - position);
            position = limit;
        }
    }

    /** The current line's text, without its line break. */
    String decode() throws NotUtf8Exception {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return utf8.reset().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8Exception();
        }
    }
}
