package com.orderexport.bench.crac;

/** A resource refused the checkpoint; {@code org.crac} rethrows it as its own. */
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;
}
