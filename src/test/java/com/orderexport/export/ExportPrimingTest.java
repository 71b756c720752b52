package com.orderexport.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Priming reads, filters and writes its page of orders, on clients that answer in-process (no emulator). */
class ExportPrimingTest {

    @Test
    void run_writesTheSampleOrdersThePrimingFilterSelects() {
        // 200 sample orders, every other one with SKU-1; all else the filter asks holds for each of them.
        assertThat(ExportPriming.run()).isEqualTo(100);
    }
}
