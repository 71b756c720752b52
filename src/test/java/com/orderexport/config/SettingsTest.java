package com.orderexport.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The export quantum, the admission limit and the signing keys: their defaults and what the environment may set. */
class SettingsTest {

    @Test
    void quantumAndLimit_defaultToTwoMinutesAndTenJobs() {
        Settings settings = Settings.from(Map.of());

        assertThat(settings.exportQuantum()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.maxUnfinishedJobsPerStore()).isEqualTo(10);
    }

    @Test
    void quantumAndLimit_areReadFromTheEnvironment() {
        Settings settings = Settings.from(Map.of(Settings.EXPORT_QUANTUM_SECONDS, "45",
                Settings.MAX_UNFINISHED_JOBS_PER_STORE, "3"));

        assertThat(settings.exportQuantum()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.maxUnfinishedJobsPerStore()).isEqualTo(3);
    }

    @Test
    void quantumAndLimit_refuseValuesThatMakeNoSense() {
        assertThatThrownBy(() -> Settings.from(Map.of(Settings.EXPORT_QUANTUM_SECONDS, "0")))
                .hasMessageContaining(Settings.EXPORT_QUANTUM_SECONDS);
        assertThatThrownBy(() -> Settings.from(Map.of(Settings.EXPORT_QUANTUM_SECONDS, "2m")))
                .hasMessageContaining(Settings.EXPORT_QUANTUM_SECONDS);
        assertThatThrownBy(() -> Settings.from(Map.of(Settings.MAX_UNFINISHED_JOBS_PER_STORE, "0")))
                .hasMessageContaining(Settings.MAX_UNFINISHED_JOBS_PER_STORE);
        assertThatThrownBy(() -> Settings.from(Map.of(Settings.MAX_UNFINISHED_JOBS_PER_STORE, "ten")))
                .hasMessageContaining(Settings.MAX_UNFINISHED_JOBS_PER_STORE);
    }

    @Test
    void signingKeys_areTheStacksOwnUntilRotated_andStayVerifyingAfter() {
        Settings own = Settings.from(Map.of(Settings.SIGNING_KEY_ID, "own"));
        Settings rotated = Settings.from(Map.of(Settings.SIGNING_KEY_ID, "own", Settings.SIGNING_KEY_ARN, "next",
                Settings.RETIRED_SIGNING_KEY_ARNS, " older ,, oldest "));

        assertThat(own.activeSigningKey()).isEqualTo("own");
        assertThat(own.verifyingKeys()).containsExactly("own");
        assertThat(rotated.activeSigningKey()).isEqualTo("next");
        assertThat(rotated.verifyingKeys()).containsExactly("next", "own", "older", "oldest");
    }

    @Test
    void signingKeys_withoutTheStacksOwnKey_failAtStartUpNamingTheVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of()).activeSigningKey())
                .hasMessageContaining(Settings.SIGNING_KEY_ID);
    }
}
