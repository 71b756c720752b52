package com.orderexport.csv;

/**
 * Stops text cells from being run as formulas when an export is opened in a spreadsheet
 * (OWASP "CSV injection").
 *
 * <p>A text cell whose first character is {@code =}, {@code +}, {@code -}, {@code @}, TAB or CR
 * gets a leading {@code '}: spreadsheets then treat the cell as text and do not show the
 * apostrophe. This is the only place the rule lives. Numeric columns never come here, because a
 * refund of {@code -150} must stay a number a spreadsheet can add up.
 */
final class FormulaNeutraliser {

    private FormulaNeutraliser() {
    }

    /** The cell as it is safe to write: {@code text} itself, or {@code text} behind an apostrophe. */
    static String neutralise(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
            default -> text;
        };
    }
}
