package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventPatternsTest {

    final ObjectMapper mapper = new ObjectMapper();
    final JsonNode event = json("""
            {"source":"order-export","detail-type":"Export Job Completed",
             "detail":{"schedule_id":"s-1","row_count":22,"tags":["a","b"],"error":null}}""");

    @Test
    void aPatternOfExactValues_matchesTheEventThatHasOneOfThemInEveryField() {
        assertThat(matches("""
                {"source":["order-export"],"detail":{"schedule_id":["s-0","s-1"]}}""")).isTrue();
    }

    @Test
    void aPatternNamingAnotherValue_orAFieldTheEventLacks_doesNotMatch() {
        assertThat(matches("""
                {"source":["order-export"],"detail":{"schedule_id":["s-2"]}}""")).isFalse();
        assertThat(matches("""
                {"detail":{"job_id":["j-1"]}}""")).isFalse();
    }

    @Test
    void numbersMatchByValue_nullMatchesNull_andAnArrayInTheEventMatchesByAnyElement() {
        assertThat(matches("""
                {"detail":{"row_count":[22.0]}}""")).isTrue();
        assertThat(matches("""
                {"detail":{"error":[null]}}""")).isTrue();
        assertThat(matches("""
                {"detail":{"tags":["b"]}}""")).isTrue();
        assertThat(matches("""
                {"detail":{"row_count":["22"]}}""")).isFalse();
    }

    @Test
    void aContentFilter_isRefusedRatherThanGuessedAt() {
        assertThatThrownBy(() -> matches("""
                {"detail":{"schedule_id":[{"prefix":"s-"}]}}"""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content filters");
    }

    private boolean matches(String pattern) {
        return EventPatterns.matches(json(pattern), event);
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
