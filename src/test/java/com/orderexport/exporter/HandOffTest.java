package com.orderexport.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When an export run stops at a page boundary and hands off: its deadline less the margin, or its quantum. */
class HandOffTest {

    static final Instant BEGAN = Instant.parse("2026-11-28T12:00:00Z");
    final ExportTuning tuning = ExportTuning.DEFAULT.withQuantum(Duration.ofMinutes(2));

    @Test
    void handOffAt_isTheEndOfTheQuantumWhenTheDeadlineIsFar() {
        Instant deadline = BEGAN.plus(Duration.ofMinutes(15));

        assertThat(ExportRun.handOffAt(BEGAN, deadline, tuning)).isEqualTo(BEGAN.plus(Duration.ofMinutes(2)));
    }

    @Test
    void handOffAt_isTheDeadlineLessTheMarginWhenThatComesFirst() {
        Instant deadline = BEGAN.plus(Duration.ofSeconds(90));

        assertThat(ExportRun.handOffAt(BEGAN, deadline, tuning)).isEqualTo(BEGAN.plus(Duration.ofSeconds(30)));
    }

    @Test
    void handOffAt_withoutAQuantumIsTheDeadlineLessTheMargin() {
        Instant deadline = BEGAN.plus(Duration.ofMinutes(15));

        assertThat(ExportRun.handOffAt(BEGAN, deadline, ExportTuning.DEFAULT))
                .isEqualTo(deadline.minus(ExportTuning.DEFAULT.handOffMargin()));
        assertThat(ExportTuning.sequential().quantum()).isEqualTo(ExportTuning.NO_QUANTUM);
    }
}
