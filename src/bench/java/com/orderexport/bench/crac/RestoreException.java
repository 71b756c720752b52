package com.orderexport.bench.crac;

/** A resource failed after the restore; {@code org.crac} rethrows it as its own. */
public class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;
}
