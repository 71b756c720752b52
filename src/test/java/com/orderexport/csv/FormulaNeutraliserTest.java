package com.orderexport.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormulaNeutraliserTest {

    @Test
    void neutralise_prefixesOnlyTheTriggerCharacters() {
        for (char c = 0; c < 128; c++) {
            String cell = c + "x";
            boolean trigger = "=+-@\t\r".indexOf(c) >= 0;
            assertThat(FormulaNeutraliser.neutralise(cell)).isEqualTo(trigger ? "'" + cell : cell);
        }
        assertThat(FormulaNeutraliser.neutralise("")).isEmpty();
        assertThat(FormulaNeutraliser.neutralise(null)).isNull();
    }
}
