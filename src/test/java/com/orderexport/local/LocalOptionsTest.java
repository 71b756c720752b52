package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack's command line and the environment variables that stand for its options. */
class LocalOptionsTest {

    @Test
    void aName_fixesTheResourceSuffixFromTheCommandLineOrTheEnvironment() {
        assertThat(LocalOptions.parse(new String[] {"--name", "dev"}, Map.of()).name()).isEqualTo("dev");
        assertThat(LocalOptions.parse(new String[0], Map.of("LOCAL_STACK_NAME", "mine")).name()).isEqualTo("mine");
        assertThat(LocalOptions.parse(new String[] {"--name", "dev"}, Map.of("LOCAL_STACK_NAME", "mine")).name()).isEqualTo("dev");
        assertThat(LocalOptions.parse(new String[0], Map.of()).name()).matches("local-[0-9a-f]{6}");
    }

    @Test
    void aNameThatWouldMakeAnInvalidBucketName_isRefused() {
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--name", "Dev_1"}, Map.of()))
                .hasMessageContaining("--name must be");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--name", "x".repeat(41)}, Map.of()))
                .hasMessageContaining("--name must be");
    }

    @Test
    void scheduleEvery_takesPositiveSecondsFromTheCommandLineOrTheEnvironment() {
        assertThat(LocalOptions.parse(new String[] {"--schedule-every", "5"}, Map.of()).scheduleEvery())
                .contains(Duration.ofSeconds(5));
        assertThat(LocalOptions.parse(new String[0], Map.of("LOCAL_SCHEDULE_EVERY", "7")).scheduleEvery())
                .contains(Duration.ofSeconds(7));
        assertThat(LocalOptions.parse(new String[0], Map.of()).scheduleEvery()).isEmpty();
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--schedule-every", "0"}, Map.of()))
                .hasMessageContaining("positive number of seconds");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--schedule-every", "soon"}, Map.of()))
                .hasMessageContaining("positive number of seconds");
    }

    @Test
    void streamOrdering_isByStoreUnlessItemIsAsked() {
        assertThat(LocalOptions.parse(new String[0], Map.of()).byItem()).isFalse();
        assertThat(LocalOptions.parse(new String[0], Map.of("LOCAL_STREAM_ORDERING", "item")).byItem()).isTrue();
        assertThatThrownBy(() -> LocalOptions.parse(new String[0], Map.of("LOCAL_STREAM_ORDERING", "job")))
                .hasMessageContaining("store or item");
    }
}
