package com.orderexport.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalInstantTest {

    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_9999_END = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-01T12:00:00Z", "2024-02-29T23:59:59.999Z", "2017-03-28T10:03:08.153Z",
        "2024-03-01T12:00:00.123400Z", "2024-03-01T12:00:00.000000001Z", "0001-01-01T00:00:00Z"})
    void isCanonical_acceptsWhatInstantPrints(String text) {
        assertThat(CanonicalInstant.isCanonical(text)).isTrue();
        assertThat(Instant.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-01T12:00:00.000Z", "2024-03-01T12:00:00.123000Z", "2024-03-01T12:00:00.5Z",
        "2024-03-01T12:00:00+00:00", "2024-03-01t12:00:00z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
        "2024-13-01T00:00:00Z", "2024-03-01T24:00:00Z", "2024-12-31T23:59:60Z", "2024-03-01 12:00:00Z",
        "2024-03-01T12:00Z", "+12024-03-01T12:00:00Z", "", "not a timestamp at all"})
    void isCanonical_rejectsAnythingInstantWouldPrintDifferently(String text) {
        assertThat(CanonicalInstant.isCanonical(text)).isFalse();
    }

    @Property(tries = 2000)
    void isCanonical_acceptsEveryFourDigitYearInstant(@ForAll("instants") Instant instant) {
        assertThat(CanonicalInstant.isCanonical(instant.toString())).isTrue();
    }

    @Property(tries = 5000)
    void isCanonical_onlyAcceptsTextThatSurvivesParsingUnchanged(@ForAll("nearlyTimestamps") String text) {
        // Only this direction matters for correctness: a rejected text is parsed, which is merely slower.
        if (CanonicalInstant.isCanonical(text)) {
            assertThat(Instant.parse(text).toString()).isEqualTo(text);
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
