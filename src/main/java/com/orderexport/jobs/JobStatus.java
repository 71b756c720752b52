package com.orderexport.jobs;

import java.util.Locale;

/**
 * Where a job is in its life: pending → processing → complete or failed, as Elastic Path's jobs go; a cancel takes
 * a pending job to cancelled and a processing one to cancelling, then cancelled once its run has stopped.
 */
public enum JobStatus {
    PENDING, PROCESSING, COMPLETE, FAILED, CANCELLING, CANCELLED;

    /** The lowercase name clients see and the table stores. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Complete, failed and cancelled jobs never change again. */
    public boolean isFinal() {
        return this == COMPLETE || this == FAILED || this == CANCELLED;
    }

    public static JobStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
