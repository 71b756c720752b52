package com.orderexport.filter;

/**
 * Finds UTF-16 surrogates that are not half of a pair. A JSON escape can carry one into a filter, and such text
 * has no UTF-8 form, so a job holding it could never be written to the jobs table nor echoed in an error body.
 */
final class Utf16 {

    private Utf16() {
    }

    /** The index of the first unpaired surrogate in {@code text}, or -1 when it is valid Unicode. */
    static int firstUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} with each unpaired surrogate shown as U+FFFD, as a UTF-8 decoder shows bytes it cannot read. */
    static String withReplacementCharacters(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                shown.append(c).append(text.charAt(++i));
            } else {
                shown.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return shown.toString();
    }
}
