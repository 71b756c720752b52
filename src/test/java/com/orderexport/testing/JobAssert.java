package com.orderexport.testing;

import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobStatus;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;

/** Assertions on a {@link Job} in the words of the spec: {@code assertThat(job).isComplete().hasRows(2)}. */
public final class JobAssert extends AbstractObjectAssert<JobAssert, Job> {

    JobAssert(Job actual) {
        super(actual, JobAssert.class);
    }

    public JobAssert hasStatus(JobStatus expected) {
        isNotNull();
        if (actual.status() != expected) {
            failWithActualExpectedAndMessage(actual.status(), expected,
                    "Expected job %s to be %s but it was %s (error: %s)", actual.id(), expected, actual.status(),
                    actual.error());
        }
        return this;
    }

    public JobAssert isPending() {
        return hasStatus(JobStatus.PENDING);
    }

    public JobAssert isProcessing() {
        return hasStatus(JobStatus.PROCESSING);
    }

    public JobAssert isComplete() {
        return hasStatus(JobStatus.COMPLETE);
    }

    /** Failed, and with exactly this reason: the text a client reads in the job's {@code error}. */
    public JobAssert isFailedWith(String reason) {
        return hasStatus(JobStatus.FAILED).hasError(reason);
    }

    public JobAssert hasError(String expected) {
        isNotNull();
        if (!Objects.equals(actual.error(), expected)) {
            failWithActualExpectedAndMessage(actual.error(), expected,
                    "Expected job %s to have the error <%s> but it had <%s>", actual.id(), expected, actual.error());
        }
        return this;
    }

    /** Its {@code row_count}: the orders in its file. */
    public JobAssert hasRows(long expected) {
        isNotNull();
        if (!Objects.equals(actual.rowCount(), expected)) {
            failWithActualExpectedAndMessage(actual.rowCount(), expected,
                    "Expected job %s to have %s rows but it had %s", actual.id(), expected, actual.rowCount());
        }
        return this;
    }

    /** Its {@code crc64nvme} and {@code file_size} are those of this file. */
    public JobAssert hasChecksumAndSizeOf(ExportedFile file) {
        isNotNull();
        if (!Objects.equals(actual.crc64nvme(), file.crc64nvme())) {
            failWithActualExpectedAndMessage(actual.crc64nvme(), file.crc64nvme(),
                    "Expected job %s to have the file's checksum %s but it had %s", actual.id(), file.crc64nvme(),
                    actual.crc64nvme());
        }
        if (!Objects.equals(actual.fileSize(), file.size())) {
            failWithActualExpectedAndMessage(actual.fileSize(), file.size(),
                    "Expected job %s to have the file's size %s but it had %s", actual.id(), file.size(),
                    actual.fileSize());
        }
        return this;
    }
}
