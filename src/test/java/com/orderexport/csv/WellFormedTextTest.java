package com.orderexport.csv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WellFormedTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain ascii", "Zoë 中文", "🚀", "a🚀b🔔👍", "\uFFFD already"})
    void of_returnsValidTextItselfWithoutCopying(String text) {
        assertThat(WellFormedText.of(text)).isSameAs(text);
    }

    @Test
    void of_replacesEachUnpairedSurrogateAndKeepsThePairsAroundIt() {
        assertThat(WellFormedText.of("\ud800🚀\udc00\ud83d\ud83d\ude80\ude80")).isEqualTo("\uFFFD🚀\uFFFD\uFFFD🚀\uFFFD");
    }

    @Test
    void of_passesNullThrough() {
        assertThat(WellFormedText.of(null)).isNull();
    }
}
