package com.orderexport.bench;

import com.orderexport.export.ExportTuning;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P5's child JVM (run with a small -Xmx): exports N orders from the stubs, which make every page on demand
 * so the heap holds only what the export holds, while a sampler collects garbage every few hundred
 * milliseconds and keeps the largest heap still in use afterwards. Prints
 * {@code HEAP rows=.. peak_bytes=.. seconds=.. max_heap=..}.
 */
public final class HeapProbe {

    private static final long SAMPLE_EVERY_MILLIS = 200;

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
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample(peak);
                try {
                    Thread.sleep(SAMPLE_EVERY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        try (ExportRig rig = ExportRig.start(0)) {
            rig.serve(OrderItems.of(orders));
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

    /** Heap in use right after a full collection: what is live, not what is merely not yet collected. */
    private static void sample(AtomicLong peak) {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peak.accumulateAndGet(used, Math::max);
    }
}
