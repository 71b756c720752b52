package com.orderexport.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The half-open range of creation times, with null meaning unbounded. */
class TimeRangeTest {

    private static final Instant T = Instant.parse("2024-03-15T00:00:00Z");

    @Test
    void contains_acceptsEverythingButNullWhenUnbounded() {
        assertThat(TimeRange.ALL.contains(Instant.MIN)).isTrue();
        assertThat(TimeRange.ALL.contains(Instant.MAX)).isTrue();
        assertThat(TimeRange.ALL.contains(null)).isFalse();
        assertThat(TimeRange.ALL.isEmpty()).isFalse();
    }

    @Test
    void contains_includesFromAndExcludesTo() {
        TimeRange range = new TimeRange(T, T.plusSeconds(1));

        assertThat(range.contains(T)).isTrue();
        assertThat(range.contains(T.plusNanos(999_999_999))).isTrue();
        assertThat(range.contains(T.plusSeconds(1))).isFalse();
        assertThat(range.contains(T.minusNanos(1))).isFalse();
    }

    /** Empty cells are unbounded ends. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
                                 |                                | false
            2024-03-15T00:00:00Z |                                | false
                                 | 2024-03-15T00:00:00Z           | false
            2024-03-15T00:00:00Z | 2024-03-15T00:00:00.000000001Z | false
            2024-03-15T00:00:00Z | 2024-03-15T00:00:00Z           | true
            2024-03-16T00:00:00Z | 2024-03-15T00:00:00Z           | true
            """)
    void isEmpty_onlyWhenFromIsNotBeforeTo(Instant from, Instant to, boolean empty) {
        assertThat(new TimeRange(from, to).isEmpty()).isEqualTo(empty);
    }

    @Test
    void intersect_keepsTheLaterStartAndTheEarlierEnd() {
        TimeRange a = new TimeRange(T, null);
        TimeRange b = new TimeRange(T.minusSeconds(5), T.plusSeconds(5));

        assertThat(a.intersect(b)).isEqualTo(new TimeRange(T, T.plusSeconds(5)));
        assertThat(b.intersect(TimeRange.ALL)).isEqualTo(b);
    }
}
