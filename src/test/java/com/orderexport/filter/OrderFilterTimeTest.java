package com.orderexport.filter;

import com.orderexport.orders.TimeRange;
import com.orderexport.testing.Orders;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Date and millisecond values of created_at and updated_at, and the created_at range a filter implies. */
class OrderFilterTimeTest {

    /** 2024-03-15T12:00:00Z, in the middle of the day the date rows use. */
    private static final long NOON_MS = 1710504000000L;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            eq(created_at,2024-03-15)    | 2024-03-14T23:59:59.999999999Z | false
            eq(created_at,2024-03-15)    | 2024-03-15T00:00:00Z           | true
            eq(created_at,2024-03-15)    | 2024-03-15T23:59:59.999999999Z | true
            eq(created_at,2024-03-15)    | 2024-03-16T00:00:00Z           | false
            eq(created_at,1710504000000) | 2024-03-15T00:00:00Z           | true
            eq(created_at,1710504000000) | 2024-03-15T23:59:59.999Z       | true
            eq(created_at,1710504000000) | 2024-03-16T00:00:00Z           | false
            eq(created_at,0)             | 1970-01-01T05:00:00Z           | true
            eq(created_at,-1)            | 1969-12-31T00:00:00Z           | true
            eq(created_at,-1)            | 1970-01-01T00:00:00Z           | false
            gt(created_at,2024-03-15)    | 2024-03-15T00:00:00Z           | false
            gt(created_at,2024-03-15)    | 2024-03-15T00:00:00.000000001Z | true
            ge(created_at,2024-03-15)    | 2024-03-15T00:00:00Z           | true
            ge(created_at,2024-03-15)    | 2024-03-14T23:59:59.999999999Z | false
            lt(created_at,2024-03-15)    | 2024-03-15T00:00:00Z           | false
            lt(created_at,2024-03-15)    | 2024-03-14T23:59:59.999999999Z | true
            le(created_at,2024-03-15)    | 2024-03-15T00:00:00Z           | true
            le(created_at,2024-03-15)    | 2024-03-15T00:00:00.000000001Z | false
            gt(created_at,1710504000000) | 2024-03-15T12:00:00Z           | false
            gt(created_at,1710504000000) | 2024-03-15T12:00:00.000000001Z | true
            ge(created_at,1710504000000) | 2024-03-15T12:00:00Z           | true
            lt(created_at,1710504000000) | 2024-03-15T12:00:00Z           | false
            lt(created_at,1710504000000) | 2024-03-15T11:59:59.999Z       | true
            le(created_at,1710504000000) | 2024-03-15T12:00:00Z           | true
            le(created_at,1710504000000) | 2024-03-15T12:00:00.001Z       | false
            """)
    void test_comparesCreatedAtWithTheValuesInstantOrDay(String filter, String createdAt, boolean matches)
            throws InvalidFilterException {
        assertThat(OrderFilter.parse(filter).test(Orders.createdAt(createdAt))).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            eq(updated_at,2024-03-15)    | 2024-03-15T23:59:59.999999999Z | true
            eq(updated_at,2024-03-15)    | 2024-03-16T00:00:00Z           | false
            gt(updated_at,2024-03-15)    | 2024-03-15T00:00:00Z           | false
            ge(updated_at,2024-03-15)    | 2024-03-15T00:00:00Z           | true
            lt(updated_at,1710504000000) | 2024-03-15T12:00:00Z           | false
            le(updated_at,1710504000000) | 2024-03-15T12:00:00Z           | true
            """)
    void test_comparesUpdatedAtTheSameWay(String filter, String updatedAt, boolean matches)
            throws InvalidFilterException {
        assertThat(OrderFilter.parse(filter).test(Orders.updatedAt(updatedAt))).isEqualTo(matches);
    }

    /** Empty cells are unbounded ends. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ge(created_at,2024-03-15)    | 2024-03-15T00:00:00Z           |
            gt(created_at,2024-03-15)    | 2024-03-15T00:00:00.000000001Z |
            lt(created_at,2024-03-15)    |                                | 2024-03-15T00:00:00Z
            le(created_at,2024-03-15)    |                                | 2024-03-15T00:00:00.000000001Z
            eq(created_at,2024-03-15)    | 2024-03-15T00:00:00Z           | 2024-03-16T00:00:00Z
            ge(created_at,1710504000000) | 2024-03-15T12:00:00Z           |
            gt(created_at,1710504000000) | 2024-03-15T12:00:00.000000001Z |
            lt(created_at,1710504000000) |                                | 2024-03-15T12:00:00Z
            le(created_at,1710504000000) |                                | 2024-03-15T12:00:00.000000001Z
            eq(created_at,1710504000000) | 2024-03-15T00:00:00Z           | 2024-03-16T00:00:00Z
            ge(created_at,2024-03-01):lt(created_at,2024-04-01) | 2024-03-01T00:00:00Z | 2024-04-01T00:00:00Z
            ge(created_at,2024-03-01):ge(created_at,2024-03-10):lt(created_at,2024-04-01):le(created_at,2024-03-20) \
                                         | 2024-03-10T00:00:00Z           | 2024-03-20T00:00:00.000000001Z
            eq(created_at,2024-03-15):gt(created_at,1710504000000) | 2024-03-15T12:00:00.000000001Z | 2024-03-16T00:00:00Z
            eq(created_at,2024-03-15):lt(created_at,2024-03-20) | 2024-03-15T00:00:00Z | 2024-03-16T00:00:00Z
            ge(created_at,2024-03-15):le(created_at,2024-03-15) | 2024-03-15T00:00:00Z | 2024-03-15T00:00:00.000000001Z
            eq(status,paid):lt(created_at,2024-03-15):eq(updated_at,2020-01-01) | | 2024-03-15T00:00:00Z
            """)
    void createdAtRange_intersectsTheBoundsOfAllCreatedAtTerms(String filter, Instant from, Instant to)
            throws InvalidFilterException {
        TimeRange range = OrderFilter.parse(filter).createdAtRange();

        assertThat(range).isEqualTo(new TimeRange(from, to));
        assertThat(range.isEmpty()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            eq(status,paid)
            ge(updated_at,2024-03-15):lt(updated_at,2024-03-01)
            """)
    void createdAtRange_isAllWithoutCreatedAtTerms(String filter) throws InvalidFilterException {
        assertThat(OrderFilter.parse(filter).createdAtRange()).isEqualTo(TimeRange.ALL);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            gt(created_at,2024-03-15):lt(created_at,2024-03-15)
            ge(created_at,2024-03-15):lt(created_at,2024-03-15)
            eq(created_at,2024-03-15):eq(created_at,2024-03-16)
            ge(created_at,2024-04-01):le(created_at,2024-03-01)
            gt(created_at,1710504000000):le(created_at,1710504000000)
            """)
    void createdAtRange_isEmptyForContradictoryTermsAndNothingMatches(String filter) throws InvalidFilterException {
        OrderFilter parsed = OrderFilter.parse(filter);

        assertThat(parsed.createdAtRange().isEmpty()).isTrue();
        for (String createdAt : new String[] {"2024-03-01T00:00:00Z", "2024-03-15T00:00:00Z", "2024-03-15T12:00:00Z"}) {
            assertThat(parsed.test(Orders.createdAt(createdAt))).isFalse();
        }
    }

    @Test
    void test_usesMillisecondValuesAsInstants() throws InvalidFilterException {
        Instant noon = Instant.ofEpochMilli(NOON_MS);

        assertThat(OrderFilter.parse("ge(created_at," + NOON_MS + ")").test(Orders.createdAt(noon))).isTrue();
        assertThat(OrderFilter.parse("gt(created_at," + NOON_MS + ")").test(Orders.createdAt(noon))).isFalse();
    }
}
