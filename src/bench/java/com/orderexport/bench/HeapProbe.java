package com.orderexport.bench;

import com.orderexport.exporter.ExportTuning;
import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P5's child JVM (run with a small -Xmx and the serial collector): exports N orders from the stubs, which make
 * every page on demand so the heap holds only what the export holds, while a sampler runs a full collection
 * each time the export asks for another Query page and keeps the largest heap a collection left live. Sampling
 * by progress, not by the clock, gives a 10× export the same samples per part it fills as a 1× one: a clock
 * would sample the faster small export less densely, and the peak of fewer samples reads lower. Prints
 * {@code HEAP rows=.. peak_bytes=.. seconds=.. max_heap=..}.
 */
public final class HeapProbe {

    /** How often the sampler looks whether the export has asked for another page. */
    private static final long POLL_MILLIS = 1;
    /** The serial collector's full collections (young ones are "Copy"): what System.gc() runs. */
    private static final GarbageCollectorMXBean FULL_COLLECTOR = ManagementFactory.getGarbageCollectorMXBeans()
            .stream().filter(gc -> gc.getName().equals("MarkSweepCompact"))
            .map(GarbageCollectorMXBean.class::cast).findFirst()
            .orElseThrow(() -> new IllegalStateException("run with -XX:+UseSerialGC"));
    /** A collection's record also covers metaspace and code; the heap is these pools. */
    private static final List<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).toList();

    private HeapProbe() {}

    public static void main(String[] args) {
        try {
            probe(Integer.parseInt(args[0]));
        } catch (Throwable e) {
            // The stubs' server threads would keep a failed child alive; the parent must see it exit.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void probe(int orders) throws Exception {
        AtomicLong peak = new AtomicLong();
        try (ExportRig rig = ExportRig.start(0)) {
            rig.serve(OrderItems.of(orders));
            Thread sampler = new Thread(() -> {
                long pages = rig.dynamoStub.queries();
                while (!Thread.currentThread().isInterrupted()) {
                    long now = rig.dynamoStub.queries();
                    if (now != pages) {
                        pages = now;
                        sample(peak);
                    }
                    try {
                        Thread.sleep(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            ExportRig.Run run = rig.exportAll(ExportTuning.sequential());
            sampler.interrupt();
            sampler.join();
            sample(peak);
            System.out.printf(Locale.ROOT, "HEAP rows=%d peak_bytes=%d seconds=%.2f max_heap=%d%n", run.rows(),
                    peak.get(), run.seconds(), Runtime.getRuntime().maxMemory());
        }
        System.out.flush();
    }

    /**
     * The heap a full collection left live, as the collector recorded it at its end. Reading the heap's usage
     * after {@code System.gc()} returns would also count what the export allocated since, and the longer the
     * sampler waits for a core the more: a large export, sampled more often, would catch more of those moments.
     */
    private static void sample(AtomicLong peak) {
        System.gc();
        GcInfo full = FULL_COLLECTOR.getLastGcInfo();
        if (full != null) {
            long live = HEAP_POOLS.stream().mapToLong(pool -> full.getMemoryUsageAfterGc().get(pool).getUsed()).sum();
            peak.accumulateAndGet(live, Math::max);
        }
    }

}
