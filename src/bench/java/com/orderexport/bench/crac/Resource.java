package com.orderexport.bench.crac;

/** What {@code org.crac} registers here: a proxy of one of the application's {@code org.crac.Resource}s. */
public interface Resource {

    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
