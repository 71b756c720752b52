package com.orderexport.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EstimateTest {

    static final Instant SINCE = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aQuarterReadInAMinute_isDoneThreeMinutesLater() {
        Instant now = SINCE.plus(Duration.ofMinutes(1));

        assertThat(Estimate.completionAt(SINCE, 0.0, now, 0.25)).contains(now.plus(Duration.ofMinutes(3)));
    }

    @Test
    void aResumedRun_goesByWhatItReadItself() {
        Instant now = SINCE.plus(Duration.ofMinutes(1));

        // From 0.5 to 0.6 in a minute: the 0.4 left takes four more.
        assertThat(Estimate.completionAt(SINCE, 0.5, now, 0.6)).contains(now.plus(Duration.ofMinutes(4)));
    }

    @Test
    void tooLittleReadOrTooLittleTime_saysNothingYet() {
        assertThat(Estimate.completionAt(SINCE, 0.0, SINCE.plus(Duration.ofMinutes(1)), 0.01)).isEmpty();
        assertThat(Estimate.completionAt(SINCE, 0.0, SINCE.plus(Duration.ofSeconds(2)), 0.5)).isEmpty();
    }

    @Test
    void anUnknownShareOrAFinishedExport_saysNothing() {
        Instant now = SINCE.plus(Duration.ofMinutes(1));

        assertThat(Estimate.completionAt(SINCE, 0.0, now, null)).isEmpty();
        assertThat(Estimate.completionAt(null, null, now, 0.5)).isEmpty();
        assertThat(Estimate.completionAt(SINCE, 0.0, now, 1.0)).isEmpty();
    }
}
