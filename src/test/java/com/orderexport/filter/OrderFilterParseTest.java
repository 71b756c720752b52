package com.orderexport.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What the parser accepts, how it prints it back, and the exact explanation for everything it rejects. */
class OrderFilterParseTest {

    private static final String PREFIX = "Could not parse the supplied filter: ";

    private static final String ATTRIBUTES = "status, payment, shipping, currency, name, email, customer_id, "
            + "account_id, account_member_id, contact.name, contact.email, shipping_postcode, billing_postcode, "
            + "external_ref, order_number, with_tax, without_tax, product_id, product_sku, created_at, updated_at";

    @Test
    void parse_trimsNamesAndValuesAndKeepsValueCase() throws InvalidFilterException {
        OrderFilter filter = OrderFilter.parse(" eq ( status , Paid ) : in( contact.email ,  A@b.c , d@E.f ) ");

        assertThat(filter.terms()).containsExactly(
                new Term(Attribute.STATUS, Operator.EQ, List.of("Paid")),
                new Term(Attribute.CONTACT_EMAIL, Operator.IN, List.of("A@b.c", "d@E.f")));
        assertThat(filter).hasToString("eq(status,Paid):in(contact.email,A@b.c,d@E.f)");
    }

    @Test
    void parse_keepsSpacesInsideValues() throws InvalidFilterException {
        assertThat(OrderFilter.parse("eq(name, Ada  Lovelace )").terms().get(0).values())
                .containsExactly("Ada  Lovelace");
    }

    @Test
    void toString_parsesBackToEqualTerms() throws InvalidFilterException {
        OrderFilter filter = OrderFilter.parse(
                "like(name, *ada* ):ge(created_at,2024-01-01):lt(created_at,1710498600000):in(product_sku,a,b)");

        assertThat(OrderFilter.parse(filter.toString()).terms()).isEqualTo(filter.terms());
    }

    @Test
    void parse_acceptsExactlyTenTerms() throws InvalidFilterException {
        String filter = String.join(":", Collections.nCopies(OrderFilter.MAX_TERMS, "eq(status,paid)"));

        assertThat(OrderFilter.parse(filter).terms()).hasSize(10);
    }

    @Test
    void parse_acceptsExactlyTheByteLimitCountingUtf8() throws InvalidFilterException {
        String prefix = "in(name,";
        // 'é' is two bytes in UTF-8, so the filter has fewer characters than bytes.
        int room = OrderFilter.MAX_BYTES - prefix.length() - 1;
        String filter = prefix + "é".repeat(room / 2) + "x".repeat(room % 2) + ")";

        assertThat(filter.getBytes(StandardCharsets.UTF_8)).hasSize(OrderFilter.MAX_BYTES);
        assertThat(OrderFilter.parse(filter).terms()).hasSize(1);
        assertRejected(filter + " ", "the filter is 8193 bytes; at most 8192 are allowed");
    }

    @Test
    void parse_acceptsOnlyTheTableOperatorsForEachAttribute() {
        assertThat(Attribute.STATUS.operators()).containsExactly(Operator.EQ, Operator.IN);
        assertThat(Attribute.NAME.operators()).containsExactly(Operator.EQ, Operator.LIKE, Operator.IN);
        assertThat(Attribute.WITH_TAX.operators())
                .containsExactly(Operator.EQ, Operator.GT, Operator.GE, Operator.LT, Operator.LE);
        assertThat(Attribute.PRODUCT_SKU.operators()).containsExactly(Operator.EQ, Operator.IN);
        assertThat(Attribute.CREATED_AT.operators())
                .containsExactly(Operator.EQ, Operator.GT, Operator.GE, Operator.LT, Operator.LE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            eq(status,paid):eq(status       | term 2 'eq(status' has no closing parenthesis
            eq(colour,red)                  | unknown attribute 'colour' in term 1; supported: ATTRIBUTES
            eq(STATUS,paid)                 | unknown attribute 'STATUS' in term 1; supported: ATTRIBUTES
            like(status,paid*)              | operator 'like' is not allowed for 'status' (allowed: eq, in) in term 1
            gt(status,a)                    | operator 'gt' is not allowed for 'status' (allowed: eq, in) in term 1
            like(product_id,a*)             | operator 'like' is not allowed for 'product_id' (allowed: eq, in) in term 1
            in(created_at,2024-01-01)       | operator 'in' is not allowed for 'created_at' (allowed: eq, gt, ge, lt, le) in term 1
            like(with_tax,1*)               | operator 'like' is not allowed for 'with_tax' (allowed: eq, gt, ge, lt, le) in term 1
            equal(status,paid)              | unknown operator 'equal' in term 1; supported: eq, like, in, gt, ge, lt, le
            EQ(status,paid)                 | unknown operator 'EQ' in term 1; supported: eq, like, in, gt, ge, lt, le
            eq(status,paid)::eq(payment,paid) | term 2 is empty (check for '::' or a ':' at either end)
            eq(status,paid):                | term 2 is empty (check for '::' or a ':' at either end)
            :eq(status,paid)                | term 1 is empty (check for '::' or a ':' at either end)
            status=paid                     | term 1 'status=paid' is not of the form op(attribute,value)
            eq(status,(paid))               | term 1 'eq(status,(paid))' has nested parentheses; a value cannot contain '(' or ')'
            eq(status,paid))                | term 1 'eq(status,paid))' has text after its closing parenthesis
            eq(status,paid) x               | term 1 'eq(status,paid) x' has text after its closing parenthesis
            eq)status,paid(                 | term 1 'eq)status,paid(' has ')' before '('
            (status,paid)                   | term 1 '(status,paid)' has no operator before '('
            eq( ,paid)                      | term 1 'eq( ,paid)' has no attribute
            eq(status)                      | term 1 'eq(status)' has no value
            eq(status,)                     | term 1 'eq(status,)' has an empty value
            eq(status,   )                  | term 1 'eq(status,   )' has an empty value
            in(status,paid,,complete)       | term 1 'in(status,paid,,complete)' has an empty value
            in(status,paid,)                | term 1 'in(status,paid,)' has an empty value
            eq(status,paid,complete)        | term 1 'eq(status,paid,complete)' has more than one value; only 'in' takes a list
            like(name,a*b)                  | 'a*b' in term 1 has a '*' inside it; like allows the wildcard only at the start or end
            like(name,***)                  | '***' in term 1 has a '*' inside it; like allows the wildcard only at the start or end
            in(status,paid,comp*)           | 'comp*' in term 1 contains '*'; 'in' takes no wildcards (use like)
            eq(name,ada*)                   | 'ada*' in term 1 contains '*'; 'eq' takes no wildcards (use like)
            eq(product_sku,*)               | '*' in term 1 contains '*'; 'eq' takes no wildcards (use like)
            gt(with_tax,12.50)              | '12.50' in term 1 is not an integer amount (use minor units, e.g. 10000 for 100.00)
            gt(with_tax,+5)                 | '+5' in term 1 is not an integer amount (use minor units, e.g. 10000 for 100.00)
            gt(with_tax,1e3)                | '1e3' in term 1 is not an integer amount (use minor units, e.g. 10000 for 100.00)
            gt(with_tax,-)                  | '-' in term 1 is not an integer amount (use minor units, e.g. 10000 for 100.00)
            gt(with_tax,١٢٣)                | '١٢٣' in term 1 is not an integer amount (use minor units, e.g. 10000 for 100.00)
            gt(with_tax,99999999999999999999) | '99999999999999999999' in term 1 is too large an amount
            gt(created_at,yesterday)        | 'yesterday' in term 1 is not a date (use YYYY-MM-DD or epoch milliseconds)
            gt(created_at,2018-2-3)         | '2018-2-3' in term 1 is not a date (use YYYY-MM-DD or epoch milliseconds)
            gt(created_at,+12018-02-03)     | '+12018-02-03' in term 1 is not a date (use YYYY-MM-DD or epoch milliseconds)
            gt(created_at,2018-02-03T10)    | '2018-02-03T10' in term 1 is not a date (use YYYY-MM-DD or epoch milliseconds)
            gt(updated_at,1.5)              | '1.5' in term 1 is not a date (use YYYY-MM-DD or epoch milliseconds)
            eq(created_at,2018-02-30)       | '2018-02-30' in term 1 is not a real calendar date
            eq(created_at,2019-02-29)       | '2019-02-29' in term 1 is not a real calendar date
            eq(updated_at,2018-13-01)       | '2018-13-01' in term 1 is not a real calendar date
            lt(created_at,99999999999999999999) | '99999999999999999999' in term 1 is too large a number of epoch milliseconds
            eq(colour,red):eq(status        | unknown attribute 'colour' in term 1; supported: ATTRIBUTES
            """)
    void parse_explainsWhatIsWrongAndWhere(String filter, String reason) {
        assertRejected(filter, reason.replace("ATTRIBUTES", ATTRIBUTES));
    }

    static Stream<Arguments> blankFilters() {
        return Stream.of(Arguments.of((String) null), Arguments.of(""), Arguments.of(" \t\n"));
    }

    @ParameterizedTest
    @MethodSource("blankFilters")
    void parse_rejectsABlankFilter(String filter) {
        assertRejected(filter, "the filter is empty");
    }

    @Test
    void parse_rejectsMoreThanTenTerms() {
        assertRejected(String.join(":", Collections.nCopies(11, "eq(status,paid)")),
                "11 terms; at most 10 are allowed");
    }

    @Test
    void parse_rejectsAFilterOverTheByteLimit() {
        assertRejected("eq(name," + "x".repeat(9000 - 9) + ")", "the filter is 9000 bytes; at most 8192 are allowed");
    }

    @Test
    void parse_shortensLongTermsInTheDetail() {
        String term = "eq(name," + "x".repeat(200);

        assertRejected(term, "term 1 '" + term.substring(0, 80) + "...' has no closing parenthesis");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            eq(status,\ud800)                | term 1 'eq(status,\ufffd)' is not valid Unicode: character 11 is an unpaired surrogate (U+D800)
            eq(name,\udc00abc)               | term 1 'eq(name,\ufffdabc)' is not valid Unicode: character 9 is an unpaired surrogate (U+DC00)
            eq(name,a\udc00\ud83d)          | term 1 'eq(name,a\ufffd\ufffd)' is not valid Unicode: character 10 is an unpaired surrogate (U+DC00)
            eq(name,\ud83d\ude80\ud83d)    | term 1 'eq(name,\ud83d\ude80\ufffd)' is not valid Unicode: character 11 is an unpaired surrogate (U+D83D)
            eq(status,paid):in(name,a,\udbff) | term 2 'in(name,a,\ufffd)' is not valid Unicode: character 11 is an unpaired surrogate (U+DBFF)
            eq(sta\udfffus,paid)             | term 1 'eq(sta\ufffdus,paid)' is not valid Unicode: character 7 is an unpaired surrogate (U+DFFF)
            eq(status,paid\ud800             | term 1 'eq(status,paid\ufffd' is not valid Unicode: character 15 is an unpaired surrogate (U+D800)
            """)
    void parse_rejectsTextThatIsNotValidUnicodeShowingWhereWithoutEchoingIt(String filter, String reason) {
        assertRejected(filter, reason);
        assertThatThrownBy(() -> OrderFilter.parse(filter))
                .extracting(e -> ((InvalidFilterException) e).detail())
                .matches(detail -> detail.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE),
                        "is valid Unicode");
    }

    @Test
    void parse_acceptsPairedSurrogates() throws InvalidFilterException {
        assertThat(OrderFilter.parse("eq(name,\ud83d\ude80 \ud835\udc9c)").terms().get(0).values())
                .containsExactly("🚀 𝒜");
    }

    @Test
    void parse_shortensALongTermWithAnUnpairedSurrogateWithoutSplittingAPair() {
        String term = "eq(name," + "x".repeat(71) + "\ud83d\ude80" + "y".repeat(20) + "\ud800)";

        assertRejected(term, "term 1 '" + "eq(name," + "x".repeat(71) + "...' is not valid Unicode: "
                + "character 102 is an unpaired surrogate (U+D800)");
    }

    @Test
    void parse_acceptsTheWildcardsLikeAllows() throws InvalidFilterException {
        assertThat(OrderFilter.parse("like(name,*):like(name,**):like(name,*a):like(name,a*):like(name,*a*)").terms())
                .extracting(term -> term.values().get(0))
                .containsExactly("*", "**", "*a", "a*", "*a*");
    }

    @Test
    void parse_acceptsDatesAndMillisecondsAtTheirExtremes() throws InvalidFilterException {
        String filter = "gt(created_at,0000-01-01):lt(created_at,9999-12-31)"
                + ":gt(updated_at,-9223372036854775808):lt(updated_at,9223372036854775807)";

        assertThat(OrderFilter.parse(filter).terms()).hasSize(4);
    }

    private static void assertRejected(String filter, String reason) {
        assertThatThrownBy(() -> OrderFilter.parse(filter))
                .isInstanceOf(InvalidFilterException.class)
                .extracting(e -> ((InvalidFilterException) e).detail())
                .isEqualTo(PREFIX + reason);
    }
}
