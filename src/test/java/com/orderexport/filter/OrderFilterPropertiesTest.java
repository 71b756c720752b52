package com.orderexport.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.orderexport.orders.Order;
import com.orderexport.testing.Orders;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/** Properties over generated filters: printing round-trips, garbage fails cleanly, the range bounds matches. */
class OrderFilterPropertiesTest {

    private static final String ALPHABET = "()eqlikeinstatus,:*0123456789 ";
    private static final LocalDate WINDOW_START = LocalDate.of(2024, 3, 10);
    private static final int WINDOW_DAYS = 10;

    @Property
    void parse_printsAndReparsesAnyValidFilterToEqualTerms(@ForAll("validFilters") String filter)
            throws InvalidFilterException {
        OrderFilter parsed = OrderFilter.parse(filter);
        OrderFilter reparsed = OrderFilter.parse(parsed.toString());

        assertThat(reparsed.terms()).isEqualTo(parsed.terms());
        assertThat(reparsed).hasToString(parsed.toString());
    }

    @Property
    void parse_failsOnlyWithInvalidFilterExceptionOnArbitraryText(@ForAll String text) {
        assertParsesOrFailsCleanly(text);
    }

    /** Any char at all, lone surrogates included, as a JSON body's escapes can deliver them. */
    @Property
    void parse_failsOnlyWithInvalidFilterExceptionOnArbitraryUtf16(@ForAll("anyUtf16") String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property
    void parse_rejectsAValidFilterWithAnUnpairedSurrogateInsertedAnywhere(
            @ForAll("filtersWithALoneSurrogate") String text) {
        assertThatThrownBy(() -> OrderFilter.parse(text)).isInstanceOf(InvalidFilterException.class)
                .extracting(e -> ((InvalidFilterException) e).detail(), STRING)
                .matches("(?s)Could not parse the supplied filter: term \\d+ '.*' is not valid Unicode: character \\d+ "
                        + "is an unpaired surrogate \\(U\\+D[89A-F][0-9A-F]{2}\\)");
    }

    @Property
    void parse_failsOnlyWithInvalidFilterExceptionOnTextOfTheFilterAlphabet(@ForAll("alphabetText") String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property
    void parse_failsOnlyWithInvalidFilterExceptionOnNearlyValidFilters(@ForAll("mutatedFilters") String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property
    void test_passesOnlyOrdersCreatedInsideTheTimeRange(
            @ForAll("validFilters") String filter, @ForAll("orders") Order order) throws InvalidFilterException {
        OrderFilter parsed = OrderFilter.parse(filter);

        if (parsed.test(order)) {
            assertThat(parsed.createdAtRange().contains(order.createdAt())).isTrue();
        }
    }

    /** With only created_at terms the range is exact: an order passes exactly when it was created inside it. */
    @Property
    @StatisticsReport(onFailureOnly = true)
    void test_agreesWithTheTimeRangeWhenOnlyCreatedAtIsFiltered(
            @ForAll("createdAtFilters") String filter, @ForAll("windowInstants") Instant createdAt)
            throws InvalidFilterException {
        OrderFilter parsed = OrderFilter.parse(filter);
        boolean passes = parsed.test(Orders.createdAt(createdAt));

        Statistics.label("passes").collect(passes);
        Statistics.label("passes").coverage(coverage -> coverage.check(true).percentage(p -> p > 5));
        assertThat(passes).isEqualTo(parsed.createdAtRange().contains(createdAt));
    }

    private static void assertParsesOrFailsCleanly(String text) {
        try {
            OrderFilter parsed = OrderFilter.parse(text);
            assertThat(parsed.terms()).isNotEmpty().hasSizeLessThanOrEqualTo(OrderFilter.MAX_TERMS);
        } catch (InvalidFilterException e) {
            assertThat(e.detail()).startsWith("Could not parse the supplied filter: ");
            // The detail goes into a JSON body as UTF-8: it must never carry a lone surrogate back.
            assertThat(e.detail().codePoints())
                    .noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
        }
    }

    @Provide
    Arbitrary<String> validFilters() {
        return validTerm().list().ofMinSize(1).ofMaxSize(OrderFilter.MAX_TERMS).map(terms -> String.join(":", terms));
    }

    @Provide
    Arbitrary<String> anyUtf16() {
        Arbitrary<String> filterish = Combinators.combine(validFilters(), Arbitraries.strings().all().ofMaxLength(3))
                .as((filter, noise) -> filter + noise);
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60), filterish);
    }

    /** A valid filter with one surrogate inserted anywhere: whatever it lands next to, one surrogate is unpaired. */
    @Provide
    Arbitrary<String> filtersWithALoneSurrogate() {
        Arbitrary<Character> surrogate = Arbitraries.chars().range(Character.MIN_SURROGATE, Character.MAX_SURROGATE);
        return validFilters().flatMap(filter -> Combinators.combine(
                        Arbitraries.integers().between(0, filter.length()), surrogate)
                .as((at, c) -> filter.substring(0, at) + c + filter.substring(at)));
    }

    @Provide
    Arbitrary<String> alphabetText() {
        return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(60);
    }

    /** A valid filter with one character deleted, replaced or inserted, to probe the edges of the grammar. */
    @Provide
    Arbitrary<String> mutatedFilters() {
        return validFilters().flatMap(filter -> Combinators.combine(
                        Arbitraries.integers().between(0, filter.length() - 1),
                        Arbitraries.of(0, 1, 2),
                        Arbitraries.chars().with(ALPHABET.toCharArray()))
                .as((at, kind, c) -> switch (kind) {
                    case 0 -> filter.substring(0, at) + filter.substring(at + 1);
                    case 1 -> filter.substring(0, at) + c + filter.substring(at + 1);
                    default -> filter.substring(0, at) + c + filter.substring(at);
                }));
    }

    @Provide
    Arbitrary<Order> orders() {
        return Arbitraries.oneOf(
                Arbitraries.of(Orders.FULL, Orders.BARE),
                windowInstants().map(Orders::createdAt));
    }

    @Provide
    Arbitrary<String> createdAtFilters() {
        Arbitrary<String> term = Combinators.combine(
                        Arbitraries.of(Attribute.CREATED_AT.operators()), windowTimeValue())
                .as((op, value) -> op.filterName() + "(created_at," + value + ")");
        return term.list().ofMinSize(1).ofMaxSize(3).map(terms -> String.join(":", terms));
    }

    /** Instants in the window, often exactly at midnight or one nanosecond either side of it. */
    @Provide
    Arbitrary<Instant> windowInstants() {
        Instant start = WINDOW_START.atStartOfDay(ZoneOffset.UTC).toInstant();
        return Combinators.combine(
                        Arbitraries.integers().between(0, WINDOW_DAYS),
                        Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.of(0L, 1L, -1L)),
                                Tuple.of(2, Arbitraries.longs().between(0, 86_399_999_999_999L))))
                .as((day, nanos) -> start.plus(day, ChronoUnit.DAYS).plusNanos(nanos));
    }

    private Arbitrary<String> windowTimeValue() {
        Arbitrary<String> dates = Arbitraries.integers().between(0, WINDOW_DAYS)
                .map(day -> WINDOW_START.plusDays(day).toString());
        Arbitrary<String> millis = windowInstants().map(t -> String.valueOf(t.toEpochMilli()));
        return Arbitraries.oneOf(dates, millis);
    }

    private Arbitrary<String> validTerm() {
        return Arbitraries.of(Attribute.values()).flatMap(attribute -> Arbitraries.of(attribute.operators())
                .flatMap(operator -> Combinators.combine(padded(Arbitraries.just(attribute.filterName())),
                                values(attribute, operator))
                        .as((name, values) -> operator.filterName() + "(" + name + "," + String.join(",", values)
                                + ")")));
    }

    private Arbitrary<List<String>> values(Attribute attribute, Operator operator) {
        return switch (attribute.type()) {
            case AMOUNT -> padded(Arbitraries.longs().map(String::valueOf)).map(List::of);
            case TIME -> padded(Arbitraries.oneOf(anyDate(), Arbitraries.longs().map(String::valueOf))).map(List::of);
            case TEXT, ITEM -> switch (operator) {
                case IN -> padded(word()).list().ofMinSize(1).ofMaxSize(4);
                case LIKE -> padded(likePattern()).map(List::of);
                default -> padded(word()).map(List::of);
            };
        };
    }

    private static Arbitrary<String> anyDate() {
        LocalDate first = LocalDate.of(0, 1, 1);
        long days = ChronoUnit.DAYS.between(first, LocalDate.of(9999, 12, 31));
        return Arbitraries.longs().between(0, days).map(day -> first.plusDays(day).toString());
    }

    private static Arbitrary<String> likePattern() {
        return Combinators.combine(Arbitraries.of("", "*"), Arbitraries.oneOf(word(), Arbitraries.just("")),
                        Arbitraries.of("", "*"))
                .as((start, core, end) -> start + core + end)
                .filter(pattern -> !pattern.isBlank());
    }

    /** Anything a value may hold: no filter punctuation, no wildcard, not blank. */
    private static Arbitrary<String> word() {
        Arbitrary<String> readable = Arbitraries.strings().withChars("abcXYZ019-_.@ é").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> unicode = Arbitraries.strings().all().excludeChars('(', ')', ':', ',', '*').ofMaxLength(12)
                .filter(OrderFilterPropertiesTest::isValidUnicode);
        return Arbitraries.oneOf(readable, unicode).filter(value -> !value.isBlank());
    }

    /** Whether every surrogate in {@code text} is half of a pair, written out here rather than taken from the parser. */
    private static boolean isValidUnicode(String text) {
        return text.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }

    private static Arbitrary<String> padded(Arbitrary<String> value) {
        Arbitrary<String> space = Arbitraries.of("", " ", "  ", "\t");
        return Combinators.combine(space, value, space).as((before, text, after) -> before + text + after);
    }
}
