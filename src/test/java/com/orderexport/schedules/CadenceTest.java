package com.orderexport.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Due times of the cadences a schedule can state, through zones, summer time and month ends. */
class CadenceTest {

    @Test
    void daily_isDueAtItsTimeEveryDay_inUtcByDefault() throws InvalidCadenceException {
        Cadence nightly = Cadence.parse("day", "02:30", null);

        assertThat(nightly.next(Instant.parse("2026-03-10T01:00:00Z"))).isEqualTo("2026-03-10T02:30:00Z");
        assertThat(nightly.next(Instant.parse("2026-03-10T02:30:00Z"))).isEqualTo("2026-03-11T02:30:00Z");
        assertThat(nightly.latest(Instant.parse("2026-03-10T02:29:59Z"))).isEqualTo("2026-03-09T02:30:00Z");
        assertThat(nightly.latest(Instant.parse("2026-03-10T02:30:00Z"))).isEqualTo("2026-03-10T02:30:00Z");
    }

    @Test
    void daily_inAZone_followsItsOffsetThroughTheYear() throws InvalidCadenceException {
        Cadence berlin = Cadence.parse("day", "06:00", "Europe/Berlin");

        assertThat(berlin.next(Instant.parse("2026-01-15T00:00:00Z"))).isEqualTo("2026-01-15T05:00:00Z"); // CET
        assertThat(berlin.next(Instant.parse("2026-07-15T00:00:00Z"))).isEqualTo("2026-07-15T04:00:00Z"); // CEST
    }

    @Test
    void daily_atATimeTheClocksSkip_isDueWhenTheyResume_shiftedByTheGap() throws InvalidCadenceException {
        // Berlin springs from 02:00 to 03:00 on 29 March 2026.
        Cadence skipped = Cadence.parse("day", "02:30", "Europe/Berlin");

        assertThat(skipped.next(Instant.parse("2026-03-28T12:00:00Z"))).isEqualTo("2026-03-29T01:30:00Z"); // 03:30 CEST
        assertThat(skipped.next(Instant.parse("2026-03-29T01:30:00Z"))).isEqualTo("2026-03-30T00:30:00Z"); // 02:30 CEST
    }

    @Test
    void daily_atATimeTheClocksRepeat_isDueOnce_theFirstTime() throws InvalidCadenceException {
        // Berlin falls back from 03:00 to 02:00 on 25 October 2026: 02:30 happens twice.
        Cadence repeated = Cadence.parse("day", "02:30", "Europe/Berlin");

        Instant first = repeated.next(Instant.parse("2026-10-24T12:00:00Z"));
        assertThat(first).isEqualTo("2026-10-25T00:30:00Z"); // 02:30 CEST
        assertThat(repeated.next(first)).isEqualTo("2026-10-26T01:30:00Z"); // the next day's 02:30 CET
    }

    @Test
    void hourly_countsRealTime_soTheRepeatedHourGetsItsRun_andTheSkippedHourNone() throws InvalidCadenceException {
        Cadence hourly = Cadence.parse("hour", ":15", "Europe/Berlin");

        assertThat(dueBetween(hourly, "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z"))
                .containsExactly("2026-10-24T23:15:00Z", "2026-10-25T00:15:00Z", "2026-10-25T01:15:00Z",
                        "2026-10-25T02:15:00Z");
        assertThat(dueBetween(hourly, "2026-03-28T23:00:00Z", "2026-03-29T03:00:00Z"))
                .containsExactly("2026-03-28T23:15:00Z", "2026-03-29T00:15:00Z", "2026-03-29T01:15:00Z",
                        "2026-03-29T02:15:00Z");
    }

    @Test
    void hourly_inAHalfHourZone_isDueAtItsLocalMinute() throws InvalidCadenceException {
        Cadence kolkata = Cadence.parse("hour", ":00", "Asia/Kolkata");

        assertThat(kolkata.next(Instant.parse("2026-05-01T10:00:00Z"))).isEqualTo("2026-05-01T10:30:00Z");
    }

    @Test
    void weekly_isDueOnItsDayAtItsTime_mondayMidnightByDefault() throws InvalidCadenceException {
        assertThat(Cadence.parse("week", "friday 18:00", "UTC").next(Instant.parse("2026-12-02T00:00:00Z")))
                .isEqualTo("2026-12-04T18:00:00Z");
        assertThat(Cadence.parse("week", null, null).next(Instant.parse("2026-12-02T00:00:00Z")))
                .isEqualTo("2026-12-07T00:00:00Z");
    }

    @Test
    void cron_onTheThirtyFirst_skipsTheMonthsWithoutOne() throws InvalidCadenceException {
        Cadence monthEnd = Cadence.parse("0 3 31 * *", null, null);

        assertThat(dueBetween(monthEnd, "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"))
                .containsExactly("2026-01-31T03:00:00Z", "2026-03-31T03:00:00Z", "2026-05-31T03:00:00Z");
    }

    @Test
    void cron_on29February_waitsForTheNextLeapYear() throws InvalidCadenceException {
        assertThat(Cadence.parse("0 0 29 feb *", null, null).next(Instant.parse("2026-03-01T00:00:00Z")))
                .isEqualTo("2028-02-29T00:00:00Z");
    }

    @Test
    void cron_withBothDayFieldsRestricted_isDueWhenEitherMatches_asCronReadsThem() throws InvalidCadenceException {
        // The 1st of the month, or any Monday, at 09:00.
        Cadence either = Cadence.parse("0 9 1 * mon", null, null);

        assertThat(dueBetween(either, "2026-12-01T00:00:00Z", "2026-12-16T00:00:00Z"))
                .containsExactly("2026-12-01T09:00:00Z", "2026-12-07T09:00:00Z", "2026-12-14T09:00:00Z");
    }

    @Test
    void cron_readsListsRangesStepsAndNames() throws InvalidCadenceException {
        Cadence workdays = Cadence.parse("0,30 8-9/1 * * MON-FRI", null, null);

        assertThat(dueBetween(workdays, "2026-12-04T00:00:00Z", "2026-12-08T00:00:00Z")) // Friday to Monday
                .containsExactly("2026-12-04T08:00:00Z", "2026-12-04T08:30:00Z", "2026-12-04T09:00:00Z",
                        "2026-12-04T09:30:00Z", "2026-12-07T08:00:00Z", "2026-12-07T08:30:00Z",
                        "2026-12-07T09:00:00Z", "2026-12-07T09:30:00Z");
        assertThat(Cadence.parse("*/20 * * * *", null, null).next(Instant.parse("2026-12-04T10:41:00Z")))
                .isEqualTo("2026-12-04T11:00:00Z");
        assertThat(Cadence.parse("0 12 * * 7", null, null).next(Instant.parse("2026-12-02T00:00:00Z")))
                .isEqualTo("2026-12-06T12:00:00Z"); // 7 is Sunday, as 0 is
    }

    @Test
    void shortestInterval_isWhatALimitOnHowOftenChecks() throws InvalidCadenceException {
        Instant from = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(Cadence.parse("hour", null, "Europe/Berlin").shortestInterval(from)).isEqualTo(Duration.ofHours(1));
        assertThat(Cadence.parse("*/5 * * * *", null, null).shortestInterval(from)).isEqualTo(Duration.ofMinutes(5));
        // The night the clocks spring forward makes Berlin's day 23 hours long.
        assertThat(Cadence.parse("day", "06:00", "Europe/Berlin").shortestInterval(from)).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void parse_refusesWhatItCannotRead_namingTheField() {
        assertRefused("fortnight", null, null, "every", "every is hour, day, week or a cron expression of five fields");
        assertRefused("0 3 * *", null, null, "every", "not '0 3 * *'");
        assertRefused("61 3 * * *", null, null, "every", "the cron minute field '61' holds '61', not a minute from 0 to 59");
        assertRefused("0 3 5-2 * *", null, null, "every", "a range that runs backwards");
        assertRefused("0 3 * * *", "03:00", null, "at", "a cron expression carries its own time");
        assertRefused("day", "25:00", null, "at", "a daily schedule's at is a time of day, 00:00 to 23:59, not '25:00'");
        assertRefused("hour", "15", null, "at", "the minute past each hour, :00 to :59, not '15'");
        assertRefused("week", "someday 06:00", null, "at", "such as monday 06:00, not 'someday 06:00'");
        assertRefused("day", null, "Mars/Olympus", "timezone", "an IANA zone such as Europe/Berlin, or UTC, not 'Mars/Olympus'");
        assertRefused("day", null, "+02:00", "timezone", "not '+02:00'");
    }

    private static void assertRefused(String every, String at, String zone, String field, String message) {
        assertThatThrownBy(() -> Cadence.parse(every, at, zone)).isInstanceOf(InvalidCadenceException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidCadenceException) e).field()).isEqualTo(field));
    }

    /** Every due time after {@code from} and before {@code to}, as ISO text. */
    private static List<String> dueBetween(Cadence cadence, String from, String to) {
        List<String> due = new ArrayList<>();
        for (Instant t = cadence.next(Instant.parse(from)); t.isBefore(Instant.parse(to)); t = cadence.next(t)) {
            due.add(t.toString());
        }
        return due;
    }
}
