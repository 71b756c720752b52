package com.orderexport.jobs;

import java.util.Locale;

/** Where a job is in its life: pending → processing → complete or failed. */
public enum JobStatus {
    PENDING, PROCESSING, COMPLETE, FAILED;

    /** The lowercase name clients see and the table stores. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Complete and failed jobs never change again. */
    public boolean isFinal() {
        return this == COMPLETE || this == FAILED;
    }

    public static JobStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
