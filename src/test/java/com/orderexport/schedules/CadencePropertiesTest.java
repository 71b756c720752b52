package com.orderexport.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of due times over generated cadences, zones with summer time (a half-hour one among them) and instants
 * across several years: next and latest agree, and nothing is due between an instant and the next due time.
 */
class CadencePropertiesTest {

    static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "America/Sao_Paulo",
            "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham");
    static final List<String> CRONS = List.of("0 3 31 * *", "*/20 * * * *", "0,30 8-17 * * mon-fri", "15 2 * * sun",
            "0 0 29 feb *", "0 9 1 * mon", "45 1-3 * * *", "5 * 1,15 * *");

    @Property(tries = 300)
    void next_isLater_andItselfTheLatestDue(@ForAll("cadences") Cadence cadence, @ForAll("instants") Instant t) {
        Instant next = cadence.next(t);

        assertThat(next).isAfter(t);
        assertThat(cadence.latest(next)).isEqualTo(next);
    }

    @Property(tries = 300)
    void nothingIsDue_betweenAnInstantAndTheNextDueTime(@ForAll("cadences") Cadence cadence, @ForAll("instants") Instant t) {
        Instant next = cadence.next(t);
        Instant justBefore = cadence.latest(next.minusMillis(1));

        assertThat(justBefore).isBeforeOrEqualTo(t);
        assertThat(cadence.next(justBefore)).isEqualTo(next);
    }

    @Property(tries = 300)
    void latest_isAtOrBefore_andTheNextAfterItIsLater(@ForAll("cadences") Cadence cadence, @ForAll("instants") Instant t) {
        Instant latest = cadence.latest(t);

        assertThat(latest).isBeforeOrEqualTo(t);
        assertThat(cadence.next(latest)).isAfter(t);
    }

    @Property(tries = 200)
    void aDailyCadence_isDueOnceADay_give_or_takeASummerTimeChange(@ForAll("dailies") Cadence daily,
                                                                    @ForAll("instants") Instant t) {
        Instant first = daily.next(t);
        Duration gap = Duration.between(first, daily.next(first));

        assertThat(gap).isBetween(Duration.ofHours(22), Duration.ofHours(26));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(Instant.parse("2024-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("2030-12-31T00:00:00Z").getEpochSecond()).map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<Cadence> cadences() {
        Arbitrary<String> zone = Arbitraries.of(ZONES);
        Arbitrary<Cadence> hourly = Combinators.combine(Arbitraries.integers().between(0, 59), zone)
                .as((minute, z) -> cadence("hour", String.format(":%02d", minute), z));
        Arbitrary<Cadence> weekly = Combinators.combine(Arbitraries.of("monday", "wed", "Sunday"),
                        Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59), zone)
                .as((day, hour, minute, z) -> cadence("week", String.format("%s %02d:%02d", day, hour, minute), z));
        Arbitrary<Cadence> cron = Combinators.combine(Arbitraries.of(CRONS), zone).as((c, z) -> cadence(c, null, z));
        return Arbitraries.oneOf(hourly, dailies(), weekly, cron);
    }

    @Provide
    Arbitrary<Cadence> dailies() {
        return Combinators.combine(Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59),
                Arbitraries.of(ZONES)).as((hour, minute, z) -> cadence("day", String.format("%02d:%02d", hour, minute), z));
    }

    private static Cadence cadence(String every, String at, String zone) {
        try {
            return Cadence.parse(every, at, zone);
        } catch (InvalidCadenceException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
