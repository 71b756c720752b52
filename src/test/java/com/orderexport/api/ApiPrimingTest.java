package com.orderexport.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Priming runs every route to a success, on clients that answer in-process (this test needs no emulator). */
class ApiPrimingTest {

    @Test
    void run_answersCreateGetListFileAndKeyedCreateWithSuccess() {
        Settings settings = Settings.from(Map.of(Settings.JOBS_TABLE, "jobs", Settings.EXPORT_BUCKET, "bucket"));

        assertThat(ApiPriming.run(settings)).containsExactly(202, 200, 200, 200, 409, 202);
    }

    @Test
    void run_succeedsUnderACustomStoreClaimAndPathStyleLinks() {
        Settings settings = Settings.from(Map.of(Settings.JOBS_TABLE, "jobs", Settings.EXPORT_BUCKET, "bucket",
                Settings.STORE_CLAIM, "custom:store", Settings.S3_FORCE_PATH_STYLE, "true"));

        assertThat(ApiPriming.run(settings)).containsExactly(202, 200, 200, 200, 409, 202);
    }
}
