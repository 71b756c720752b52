package com.orderexport.csv;

/**
 * Makes cell text encodable as UTF-8: each UTF-16 surrogate that is not half of a pair becomes U+FFFD, the
 * replacement character, and pairs (emoji and other characters beyond the BMP) stay as they are.
 *
 * <p>A lone surrogate (a JSON escape in a stored order can carry one in) has no UTF-8 form, and the CSV generator
 * refuses it, which would fail the whole export over one character of one order. Surrogates are rare, so every
 * cell is first only scanned for one, and nothing is copied unless an unpaired one is found.
 */
final class WellFormedText {

    static final char REPLACEMENT = '\uFFFD';

    private WellFormedText() {
    }

    /** {@code text} itself when it is valid Unicode (or null), else a copy with its unpaired surrogates replaced. */
    static String of(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return replaceUnpaired(text, i);
            }
        }
        return text;
    }

    private static String replaceUnpaired(String text, int from) {
        StringBuilder fixed = null;
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i += 2;
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (fixed == null) {
                    fixed = new StringBuilder(text);
                }
                fixed.setCharAt(i, REPLACEMENT);
            }
            i++;
        }
        return fixed == null ? text : fixed.toString();
    }
}
