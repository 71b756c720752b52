package com.orderexport.jobs;

/** A run tried to change a job that another run has taken over (or that has already been decided). */
public final class LeaseLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LeaseLostException(String jobId) {
        super("job " + jobId + " is no longer held by this run");
    }
}
