package com.orderexport.filter;

import com.orderexport.orders.TimeRange;
import com.orderexport.orders.Order;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Turns filter text into terms and their per-order checks, explaining precisely what is wrong when it cannot.
 * One file because the grammar is one walk: each check (term shape, operator per attribute, value per type)
 * sits next to the error text it produces, which is what keeps every message precise.
 */
final class FilterParser {

    /** Long terms and values are cut in error details so a client is not sent back kilobytes of its own input. */
    private static final int MAX_QUOTED = 80;

    private final List<Term> terms = new ArrayList<>();
    private final List<Predicate<Order>> conditions = new ArrayList<>();
    private TimeRange createdAtRange = TimeRange.ALL;
    private TimeRange updatedAtRange = TimeRange.ALL;

    private FilterParser() {
    }

    static OrderFilter parse(String filter) throws InvalidFilterException {
        if (filter == null || filter.isBlank()) {
            throw new InvalidFilterException("the filter is empty");
        }
        int bytes = filter.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > OrderFilter.MAX_BYTES) {
            throw new InvalidFilterException(
                    "the filter is " + bytes + " bytes; at most " + OrderFilter.MAX_BYTES + " are allowed");
        }
        // Splitting on ':' first is safe because no value may contain one.
        String[] texts = filter.split(":", -1);
        for (int i = 0; i < texts.length; i++) {
            if (texts[i].isBlank()) {
                throw new InvalidFilterException(
                        "term " + (i + 1) + " is empty (check for '::' or a ':' at either end)");
            }
        }
        if (texts.length > OrderFilter.MAX_TERMS) {
            throw new InvalidFilterException(
                    texts.length + " terms; at most " + OrderFilter.MAX_TERMS + " are allowed");
        }
        FilterParser parser = new FilterParser();
        for (int i = 0; i < texts.length; i++) {
            parser.addTerm(i + 1, texts[i].strip());
        }
        return new OrderFilter(parser.terms, parser.conditions, parser.createdAtRange, parser.updatedAtRange);
    }

    private void addTerm(int index, String text) throws InvalidFilterException {
        // First, so that no later detail quotes text that cannot be encoded into the JSON error body.
        int unpaired = Utf16.firstUnpairedSurrogate(text);
        if (unpaired >= 0) {
            throw new InvalidFilterException("term " + index + " " + quote(Utf16.withReplacementCharacters(text))
                    + " is not valid Unicode: character " + (unpaired + 1) + " is an unpaired surrogate (U+"
                    + Integer.toHexString(text.charAt(unpaired)).toUpperCase(Locale.ROOT) + ")");
        }
        String where = "term " + index + " " + quote(text);
        int open = text.indexOf('(');
        int close = text.indexOf(')');
        if (open < 0) {
            throw new InvalidFilterException(where + " is not of the form op(attribute,value)");
        }
        if (close < 0) {
            throw new InvalidFilterException(where + " has no closing parenthesis");
        }
        if (close < open) {
            throw new InvalidFilterException(where + " has ')' before '('");
        }
        String body = text.substring(open + 1, close);
        if (body.indexOf('(') >= 0) {
            throw new InvalidFilterException(where + " has nested parentheses; a value cannot contain '(' or ')'");
        }
        if (!text.substring(close + 1).isBlank()) {
            throw new InvalidFilterException(where + " has text after its closing parenthesis");
        }

        String operatorName = text.substring(0, open).strip();
        if (operatorName.isEmpty()) {
            throw new InvalidFilterException(where + " has no operator before '('");
        }
        Operator operator = Operator.forFilterName(operatorName).orElseThrow(() -> new InvalidFilterException(
                "unknown operator " + quote(operatorName) + " in term " + index + "; supported: "
                        + Operator.supported()));

        String[] parts = body.split(",", -1);
        String attributeName = parts[0].strip();
        if (attributeName.isEmpty()) {
            throw new InvalidFilterException(where + " has no attribute");
        }
        Attribute attribute = Attribute.forFilterName(attributeName).orElseThrow(() -> new InvalidFilterException(
                "unknown attribute " + quote(attributeName) + " in term " + index + "; supported: "
                        + Attribute.supported()));
        if (!attribute.allows(operator)) {
            throw new InvalidFilterException("operator '" + operator.filterName() + "' is not allowed for '"
                    + attribute.filterName() + "' (allowed: " + attribute.allowedOperators() + ") in term " + index);
        }

        if (parts.length < 2) {
            throw new InvalidFilterException(where + " has no value");
        }
        if (parts.length > 2 && operator != Operator.IN) {
            throw new InvalidFilterException(where + " has more than one value; only 'in' takes a list");
        }
        List<String> values = Arrays.stream(parts, 1, parts.length).map(String::strip).toList();
        if (values.contains("")) {
            throw new InvalidFilterException(where + " has an empty value");
        }

        Term term = new Term(attribute, operator, values);
        conditions.add(condition(index, term));
        terms.add(term);
    }

    private Predicate<Order> condition(int index, Term term) throws InvalidFilterException {
        Attribute attribute = term.attribute();
        Operator operator = term.operator();
        String value = term.values().get(0);
        return switch (attribute.type()) {
            case TEXT -> Conditions.text(attribute, textTest(index, operator, term.values()));
            case ITEM -> Conditions.item(attribute, textTest(index, operator, term.values()));
            case AMOUNT -> Conditions.amount(attribute, operator, amount(index, value));
            case TIME -> {
                TimeRange range = Conditions.timeRange(operator, instant(index, value));
                if (attribute == Attribute.CREATED_AT) {
                    createdAtRange = createdAtRange.intersect(range);
                } else if (attribute == Attribute.UPDATED_AT) {
                    updatedAtRange = updatedAtRange.intersect(range);
                }
                yield Conditions.time(attribute, range);
            }
        };
    }

    private static Predicate<String> textTest(int index, Operator operator, List<String> values)
            throws InvalidFilterException {
        if (operator == Operator.LIKE) {
            String pattern = values.get(0);
            boolean anyPrefix = pattern.startsWith("*");
            boolean anySuffix = pattern.length() > 1 && pattern.endsWith("*");
            String core = pattern.substring(anyPrefix ? 1 : 0, pattern.length() - (anySuffix ? 1 : 0));
            if (core.indexOf('*') >= 0) {
                throw new InvalidFilterException(quote(pattern) + " in term " + index
                        + " has a '*' inside it; like allows the wildcard only at the start or end");
            }
            return Conditions.like(core, anyPrefix, anySuffix);
        }
        for (String value : values) {
            if (value.indexOf('*') >= 0) {
                throw new InvalidFilterException(quote(value) + " in term " + index + " contains '*'; '"
                        + operator.filterName() + "' takes no wildcards (use like)");
            }
        }
        return Conditions.anyOf(values);
    }

    private static long amount(int index, String value) throws InvalidFilterException {
        if (!isInteger(value)) {
            throw new InvalidFilterException(quote(value) + " in term " + index
                    + " is not an integer amount (use minor units, e.g. 10000 for 100.00)");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidFilterException(quote(value) + " in term " + index + " is too large an amount");
        }
    }

    /** A {@code YYYY-MM-DD} date as its UTC midnight, or an integer as epoch milliseconds. */
    private static Instant instant(int index, String value) throws InvalidFilterException {
        if (isInteger(value)) {
            try {
                // Every long millisecond count is within Instant's range, so only the parse can fail.
                return Instant.ofEpochMilli(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new InvalidFilterException(
                        quote(value) + " in term " + index + " is too large a number of epoch milliseconds");
            }
        }
        if (!looksLikeDate(value)) {
            throw new InvalidFilterException(quote(value) + " in term " + index
                    + " is not a date (use YYYY-MM-DD or epoch milliseconds)");
        }
        try {
            // ISO_LOCAL_DATE resolves strictly, so 2018-02-30 fails instead of becoming 2018-02-28.
            return LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidFilterException(quote(value) + " in term " + index + " is not a real calendar date");
        }
    }

    /** An optional minus sign, then ASCII digits: Long.parseLong alone also takes '+' and other scripts' digits. */
    private static boolean isInteger(String value) {
        int start = value.startsWith("-") ? 1 : 0;
        return value.length() > start && value.chars().skip(start).allMatch(FilterParser::isAsciiDigit);
    }

    /** Exactly YYYY-MM-DD in ASCII digits; ISO_LOCAL_DATE alone would also take signed years of five or more digits. */
    private static boolean looksLikeDate(String value) {
        if (value.length() != 10) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = i == 4 || i == 7 ? c == '-' : isAsciiDigit(c);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static String quote(String text) {
        if (text.length() <= MAX_QUOTED) {
            return "'" + text + "'";
        }
        // Never cut a surrogate pair in half: the detail is serialised into the JSON error body.
        int end = Character.isHighSurrogate(text.charAt(MAX_QUOTED - 1)) ? MAX_QUOTED - 1 : MAX_QUOTED;
        return "'" + text.substring(0, end) + "...'";
    }
}
