package com.orderexport.testing;

import com.orderexport.jobs.Job;

/**
 * The kit's AssertJ entry points, to import statically beside {@code Assertions.assertThat}:
 * {@code assertThat(job).isComplete().hasRows(2)}, {@code assertThat(file).hasIds("o3", "o4")}.
 */
public final class KitAssertions {

    private KitAssertions() {}

    public static JobAssert assertThat(Job actual) {
        return new JobAssert(actual);
    }

    public static ExportedFileAssert assertThat(ExportedFile actual) {
        return new ExportedFileAssert(actual);
    }
}
