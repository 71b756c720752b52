package com.orderexport.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Timestamps are read exactly as {@link Instant#parse} reads them, the plain UTC form without its formatter. */
class TimestampsTest {

    @Property(tries = 3000)
    void parse_agreesWithInstantParseOnAnyInstantAsText(@ForAll("instants") Instant instant) {
        String text = instant.toString();

        assertThat(Timestamps.parse(text)).isEqualTo(instant);
        assertThat(Timestamps.plainUtc(text)).as("takes the fast way").isEqualTo(instant);
    }

    @Property(tries = 3000)
    void parse_agreesWithInstantParseOnNearlyPlainText(@ForAll("nearlyPlain") String text) {
        assertThat(Timestamps.parse(text)).as(text).isEqualTo(reference(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-01T12:00:00Z", "2024-03-01T12:00:00.5Z", "2024-03-01T12:00:00.000000001Z",
        "2024-02-29T23:59:59.999Z", "2023-02-29T00:00:00Z", "2024-03-01T24:00:00Z", "2016-12-31T23:59:60Z",
        "2024-03-01T13:00:00+01:00", "2024-03-01t12:00:00z", "2024-03-01T12:00:00.Z", "2024-03-01T12:00Z",
        "+12024-03-01T12:00:00Z", "0000-01-01T00:00:00Z", "2024-03-01T12:00:00.1234567891Z", "", " "})
    void parse_agreesWithInstantParseOnTheEdges(String text) {
        assertThat(Timestamps.parse(text)).isEqualTo(reference(text));
    }

    @Provide
    Arbitrary<Instant> instants() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999)
                .map(ms -> ms * 1_000_000), Arbitraries.integers().between(0, 999_999_999));
        return seconds.flatMap(s -> nanos.map(n -> Instant.ofEpochSecond(s, n)));
    }

    /** An instant's text with one character replaced, or with digits added or removed before the Z. */
    @Provide
    Arbitrary<String> nearlyPlain() {
        Arbitrary<String> plain = instants().map(Instant::toString);
        Arbitrary<Character> replacement = Arbitraries.of('0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 't', 'Z',
                'z', '+', ' ', '6', '4');
        return Arbitraries.oneOf(
                plain.flatMap(text -> Arbitraries.integers().between(0, text.length() - 1).flatMap(at ->
                        replacement.map(c -> text.substring(0, at) + c + text.substring(at + 1)))),
                plain.flatMap(text -> Arbitraries.strings().numeric().ofMaxLength(4).map(digits ->
                        text.substring(0, text.length() - 1) + digits + "Z")),
                plain.map(text -> text.substring(0, text.length() - 2) + "Z"));
    }

    private static Instant reference(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
