package com.orderexport.jobs;

/** How an attempt to store a new job ended. */
public sealed interface Creation {

    /** The job is stored, and counted against its store's limit. */
    record Stored() implements Creation {}

    /** Nothing is written: the store already has as many unfinished jobs as it may. */
    record AtLimit() implements Creation {}

    /** Nothing is written: a live idempotency record holds the key, and says which job it created. */
    record Earlier(IdempotencyRecord record) implements Creation {}
}
