package com.orderexport.jobs;

/**
 * A request the job service refuses, with the client-facing reason. The kind decides the HTTP status;
 * the detail is safe to show (it never carries AWS or stack-trace text).
 */
public final class JobProblem extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, from the client's side. */
    public enum Kind {
        INVALID, NOT_FOUND, CONFLICT,
        /** The store has as many unfinished jobs as it may; the client retries after {@link Admission#RETRY_AFTER}. */
        AT_LIMIT
    }

    private final Kind kind;

    public JobProblem(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return getMessage();
    }

    static JobProblem invalid(String detail) {
        return new JobProblem(Kind.INVALID, detail);
    }

    static JobProblem notFound(String detail) {
        return new JobProblem(Kind.NOT_FOUND, detail);
    }
}
