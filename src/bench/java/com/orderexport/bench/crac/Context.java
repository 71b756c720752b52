package com.orderexport.bench.crac;

/** A set of resources notified together; {@link Core#getGlobalContext()} is the one the handlers register with. */
public abstract class Context<R extends Resource> implements Resource {

    public abstract void register(R resource);
}
