package com.orderexport.jobs;

/** A run tried to change a job that another run has taken over (or that has already been decided). */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(String jobId) {
        super("job " + jobId + " is no longer held by this run");
    }
}
