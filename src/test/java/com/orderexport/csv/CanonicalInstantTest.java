package com.orderexport.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalInstantTest {

    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_9999_END = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    private static final String FIXED_WIDTH = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2018-09-01T02:56:24Z                 | 2018-09-01T02:56:24.000Z",
        "2018-09-01T02:56:24.100Z             | 2018-09-01T02:56:24.100Z",
        "2024-02-29T23:59:59.999999999Z       | 2024-02-29T23:59:59.999Z",
        "2024-03-01T12:00:00.000999Z          | 2024-03-01T12:00:00.000Z",
        "1969-12-31T23:59:59.999999999Z       | 1969-12-31T23:59:59.999Z",
        "0001-01-01T00:00:00Z                 | 0001-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.123456Z          | 9999-12-31T23:59:59.123Z"})
    void format_writesMillisecondsAlwaysAndTruncatesFinerDigits(String instant, String cell) {
        assertThat(CanonicalInstant.format(Instant.parse(instant))).isEqualTo(cell).hasSize(CanonicalInstant.LENGTH);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2024-03-01T12:00:00Z           | 2024-03-01T12:00:00.000Z",
        "2024-03-01T12:00:00.5Z         | 2024-03-01T12:00:00.500Z",
        "2024-03-01T12:00:00.12Z        | 2024-03-01T12:00:00.120Z",
        "2024-03-01T12:00:00.000Z       | 2024-03-01T12:00:00.000Z",
        "2017-03-28T10:03:08.153Z       | 2017-03-28T10:03:08.153Z",
        "2024-03-01T12:00:00.1239Z      | 2024-03-01T12:00:00.123Z",
        "2024-03-01T12:00:00.123400Z    | 2024-03-01T12:00:00.123Z",
        "2024-03-01T12:00:00.000000001Z | 2024-03-01T12:00:00.000Z",
        "2024-02-29T23:59:59.999999999Z | 2024-02-29T23:59:59.999Z",
        "0000-01-01T00:00:00Z           | 0000-01-01T00:00:00.000Z"})
    void reshape_givesWhatFormattingTheParsedInstantGives(String text, String cell) {
        assertThat(CanonicalInstant.reshape(text)).isEqualTo(cell);
        assertThat(CanonicalInstant.format(Instant.parse(text))).isEqualTo(cell);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-01T12:00:00.153Z", "2024-03-01T12:00:00.000Z"})
    void reshape_copiesNothingWhenTheTextHasMillisecondsAlready(String text) {
        assertThat(CanonicalInstant.reshape(text)).isSameAs(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-01T12:00:00+00:00", "2024-03-01T13:00:00.5+01:00", "2024-03-01t12:00:00z",
        "2024-03-01T12:00:00z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z", "2024-03-00T00:00:00Z", "2024-03-01T24:00:00Z", "2024-03-01T12:60:00Z",
        "2024-12-31T23:59:60Z", "2024-03-01 12:00:00Z", "2024-03-01T12:00Z", "+12024-03-01T12:00:00Z",
        "2024-03-01T12:00:00.Z", "2024-03-01T12:00:00.1234567890Z", "2024-03-01T12:00:00.12a Z",
        "2024-03-01T12:00:00.123", "2024-03-01T12:00:00,123Z", "2024-03-01T12:00:00", "", "not a timestamp at all",
        "２０２４-03-01T12:00:00Z"})
    void reshape_leavesAnythingElseToBeParsed(String text) {
        assertThat(CanonicalInstant.reshape(text)).isNull();
    }

    @Property(tries = 2000)
    void format_isFixedWidthAndParsesBackToTheInstantTruncatedToMilliseconds(@ForAll("instants") Instant instant) {
        String cell = CanonicalInstant.format(instant);

        assertThat(cell).hasSize(CanonicalInstant.LENGTH).matches(FIXED_WIDTH);
        assertThat(Instant.parse(cell)).isEqualTo(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    @Property(tries = 2000)
    void reshape_acceptsEveryFourDigitYearInstantAsInstantPrintsIt(@ForAll("instants") Instant instant) {
        assertThat(CanonicalInstant.reshape(instant.toString())).isEqualTo(CanonicalInstant.format(instant));
    }

    @Property(tries = 2000)
    void reshape_acceptsAnyNumberOfFractionDigitsUpToNine(@ForAll("instants") Instant instant,
            @ForAll("fractionDigits") int digits) {
        String nanos = String.format("%09d", instant.getNano());
        String text = instant.truncatedTo(ChronoUnit.SECONDS).toString()
                .replace("Z", "." + nanos.substring(0, digits) + "Z");

        assertThat(CanonicalInstant.reshape(text)).isEqualTo(CanonicalInstant.format(Instant.parse(text)));
    }

    @Property(tries = 5000)
    void reshape_onlyAcceptsTextItGivesTheParsedCellFor(@ForAll("nearlyTimestamps") String text) {
        // Only this direction matters for correctness: a rejected text is parsed, which is merely slower.
        String cell = CanonicalInstant.reshape(text);
        if (cell != null) {
            assertThat(cell).isEqualTo(CanonicalInstant.format(Instant.parse(text)));
        }
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Integer> nanos = Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(millis -> millis * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(micros -> micros * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
        return Combinators.combine(Arbitraries.longs().between(YEAR_0, YEAR_9999_END), nanos)
                .as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<Integer> fractionDigits() {
        return Arbitraries.integers().between(1, 9);
    }

    /** Printed instants with one character replaced, removed or added. */
    @Provide
    Arbitrary<String> nearlyTimestamps() {
        Arbitrary<Character> noise = Arbitraries.of('0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 'Z', 't', 'z',
                '+', ' ');
        return Combinators.combine(instants(), Arbitraries.integers().between(0, 29), noise,
                        Arbitraries.integers().between(0, 2))
                .as((instant, at, c, edit) -> {
                    StringBuilder text = new StringBuilder(instant.toString());
                    int i = Math.min(at, text.length() - 1);
                    switch (edit) {
                        case 0 -> text.setCharAt(i, c);
                        case 1 -> text.deleteCharAt(i);
                        default -> text.insert(i, c);
                    }
                    return text.toString();
                });
    }
}
