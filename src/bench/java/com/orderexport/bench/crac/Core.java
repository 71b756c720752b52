package com.orderexport.bench.crac;

import java.util.ArrayList;
import java.util.List;

/**
 * The global context and the checkpoint itself, as SnapStart runs them: every registered resource's
 * {@code beforeCheckpoint}, the last registered first, then (where SnapStart would snapshot and later restore)
 * every {@code afterRestore} in registration order.
 */
public final class Core {

    private static final Global GLOBAL = new Global();

    private Core() {}

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    public static void checkpointRestore() throws CheckpointException, RestoreException {
        CheckpointException refused = null;
        try {
            GLOBAL.beforeCheckpoint(null);
        } catch (Exception e) {
            refused = new CheckpointException();
            refused.addSuppressed(e);
        }
        if (refused != null) {
            throw refused;
        }
        try {
            GLOBAL.afterRestore(null);
        } catch (Exception e) {
            RestoreException failed = new RestoreException();
            failed.addSuppressed(e);
            throw failed;
        }
    }

    /** How many resources have registered: a handler that registered none was not primed. */
    public static int registered() {
        synchronized (GLOBAL) {
            return GLOBAL.resources.size();
        }
    }

    private static final class Global extends Context<Resource> {

        // Held strongly: the child JVM's handler lives as long as the process anyway.
        private final List<Resource> resources = new ArrayList<>();

        @Override
        public synchronized void register(Resource resource) {
            resources.add(resource);
        }

        @Override
        public synchronized void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).beforeCheckpoint(this);
            }
        }

        @Override
        public synchronized void afterRestore(Context<? extends Resource> context) throws Exception {
            for (Resource resource : resources) {
                resource.afterRestore(this);
            }
        }
    }
}
