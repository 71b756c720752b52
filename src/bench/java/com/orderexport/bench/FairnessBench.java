package com.orderexport.bench;

import com.orderexport.exporter.ExportTuning;
import com.orderexport.exporter.OrderExporter;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * P9 and P10: several stores exporting at once under P3's latency (100 ms a page, 200 ms a part), each store
 * on a stream lane of its own ({@link StreamLanes}), with the deployed tuning. P9: how long a small export
 * takes while three other stores' long exports run, against the same export alone. P10: rows per second of
 * four stores exporting at once, against one store alone. The stubs answer every request after its latency
 * without a throughput limit, so what one export costs another here is this process's CPU (2 cores on the
 * reference machine), which the figures report beside the ratios.
 */
final class FairnessBench {

    /** How long the long exports run before the small one is queued: their first pages are in flight. */
    private static final Duration RAMP = Duration.ofMillis(300);
    /** The deployed function's tuning: ExportTuning.DEFAULT with the template's default quantum. */
    private static final ExportTuning DEPLOYED = ExportTuning.DEFAULT.withQuantum(Duration.ofMinutes(2));
    /** The quantum for the shared-lane facts: short against a long export here, as 2 minutes is in AWS. */
    private static final Duration SHORT_QUANTUM = Duration.ofSeconds(1);

    private FairnessBench() {}

    /** The stores both figures export: four long ones and a small one, served together. */
    private record Stores(List<OrderItems> longs, OrderItems small) {
        static Stores of(Scale scale, ExportRig rig) {
            List<OrderItems> longs = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                longs.add(OrderItems.of("bench-long-" + i, scale.latencyOrders()));
            }
            Stores stores = new Stores(longs, OrderItems.of("bench-small", scale.latencyOrders() / 20));
            List<OrderItems> all = new ArrayList<>(longs);
            all.add(stores.small());
            rig.dynamoStub.serve(all);
            return stores;
        }
    }

    static Figure fairness(Scale scale, ExportRig rig) throws Exception {
        Stores stores = Stores.of(scale, rig);
        OrderExporter exporter = exporter(rig, DEPLOYED);
        int cores = Runtime.getRuntime().availableProcessors();
        List<Double> busy = new ArrayList<>();
        List<Double> machineBusy = new ArrayList<>();
        List<Boolean> outlasted = new ArrayList<>();
        double sharedShort;
        double sharedDefault;
        SideBySide.Samples samples;
        latency(rig, true);
        try (StreamLanes lanes = new StreamLanes(4)) {
            samples = SideBySide.run(1, scale.latencyRounds(),
                    () -> {
                        List<CompletableFuture<Double>> longs = new ArrayList<>();
                        for (int i = 0; i < 3; i++) {
                            longs.add(submit(lanes, i + 1, exporter, rig, stores.longs().get(i)));
                        }
                        Thread.sleep(RAMP.toMillis());
                        long cpu = ExportRig.processCpuNanos();
                        MachineCpu.Snapshot machine = MachineCpu.now();
                        double seconds = submit(lanes, 0, exporter, rig, stores.small()).get();
                        busy.add((ExportRig.processCpuNanos() - cpu) / 1e9 / (seconds * cores));
                        machineBusy.add(MachineCpu.busySince(machine));
                        outlasted.add(longs.stream().noneMatch(CompletableFuture::isDone));
                        for (CompletableFuture<Double> done : longs) {
                            done.get();
                        }
                        return seconds;
                    },
                    () -> submit(lanes, 0, exporter, rig, stores.small()).get());
            OrderExporter shortTurns = exporter(rig, DEPLOYED.withQuantum(SHORT_QUANTUM));
            sharedShort = sharedLane(lanes, shortTurns, rig, stores);
            sharedDefault = sharedLane(lanes, exporter, rig, stores);
        } finally {
            latency(rig, false);
        }
        double contended = samples.oursMedian();
        double alone = samples.baselineMedian();
        double cpuBusy = SideBySide.median(busy);
        double machine = SideBySide.median(machineBusy);
        boolean valid = !outlasted.contains(false);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("small_orders", stores.small().count());
        extra.put("long_orders", stores.longs().get(0).count());
        extra.put("cpu_busy", Figure.round(cpuBusy));
        extra.put("machine_cpu_busy", Double.isNaN(machine) ? null : Figure.round(machine));
        extra.put("load_average", loadAverage());
        extra.put("long_exports_outlasted_it", valid);
        extra.put("shared_lane_quantum_1s_s", Figure.round(sharedShort));
        extra.put("shared_lane_quantum_2min_s", Figure.round(sharedDefault));
        return Figure.of("P9", "small export beside 3 long ones", contended / alone, contended, alone, "s", "<=3",
                valid, extra, stores.small().count() + " orders alone vs. while 3 stores × "
                        + stores.longs().get(0).count() + " orders export, each store on its own lane, the deployed tuning,"
                        + " P3's latency; meanwhile the " + cores + " cores were " + percent(machine) + " busy, "
                        + percent(cpuBusy) + " with this process"
                        + (valid ? "" : " (a long export ended first: NOT side by side)") + ". Sharing a long"
                        + " export's lane it takes " + round(sharedShort) + " s with a 1 s quantum, "
                        + round(sharedDefault) + " s with the 2-minute default (the long export's whole run)");
    }

    static Figure scaling(Scale scale, ExportRig rig) throws Exception {
        Stores stores = Stores.of(scale, rig);
        OrderExporter exporter = exporter(rig, DEPLOYED);
        int cores = Runtime.getRuntime().availableProcessors();
        List<Double> busy = new ArrayList<>();
        List<Double> machineBusy = new ArrayList<>();
        SideBySide.Samples samples;
        latency(rig, true);
        try (StreamLanes lanes = new StreamLanes(4)) {
            samples = SideBySide.run(1, scale.latencyRounds(),
                    () -> {
                        long cpu = ExportRig.processCpuNanos();
                        MachineCpu.Snapshot machine = MachineCpu.now();
                        long start = System.nanoTime();
                        List<CompletableFuture<Double>> all = new ArrayList<>();
                        for (int i = 0; i < 4; i++) {
                            all.add(submit(lanes, i, exporter, rig, stores.longs().get(i)));
                        }
                        for (CompletableFuture<Double> done : all) {
                            done.get();
                        }
                        double seconds = SideBySide.secondsSince(start);
                        busy.add((ExportRig.processCpuNanos() - cpu) / 1e9 / (seconds * cores));
                        machineBusy.add(MachineCpu.busySince(machine));
                        return 4.0 * stores.longs().get(0).count() / seconds;
                    },
                    () -> stores.longs().get(0).count() / submit(lanes, 0, exporter, rig, stores.longs().get(0)).get());
        } finally {
            latency(rig, false);
        }
        double together = samples.oursMedian();
        double alone = samples.baselineMedian();
        double cpuBusy = SideBySide.median(busy);
        double machine = SideBySide.median(machineBusy);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("orders_per_store", stores.longs().get(0).count());
        extra.put("cpu_busy", Figure.round(cpuBusy));
        extra.put("machine_cpu_busy", Double.isNaN(machine) ? null : Figure.round(machine));
        extra.put("load_average", loadAverage());
        return Figure.of("P10", "4 stores at once / 1 store, rows/s", together / alone, together, alone, "rows/s",
                ">=3", true, extra, "4 stores × " + stores.longs().get(0).count() + " orders at once, each on its own"
                        + " lane, vs. one store alone; the deployed tuning, P3's latency; with all four the " + cores
                        + " cores were " + percent(machine) + " busy, " + percent(cpuBusy) + " with this process");
    }

    /** A small export queued behind a long one on the same lane: seconds until it completed. */
    private static double sharedLane(StreamLanes lanes, OrderExporter exporter, ExportRig rig, Stores stores)
            throws Exception {
        CompletableFuture<Double> big = submit(lanes, 0, exporter, rig, stores.longs().get(0));
        Thread.sleep(RAMP.toMillis());
        double seconds = submit(lanes, 0, exporter, rig, stores.small()).get();
        big.get();
        return seconds;
    }

    /** A new job exporting every order of {@code items}, queued on a lane; checked complete with every row. */
    private static CompletableFuture<Double> submit(StreamLanes lanes, int lane, OrderExporter exporter, ExportRig rig,
                                                    OrderItems items) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Job job = Job.pending(items.store(), JobIds.next(now.toEpochMilli()).toString(), items.filterSelectingAll(),
                now);
        rig.jobs.create(job);
        return lanes.submit(lane, exporter, items.store(), job.id()).thenApply(seconds -> {
            Long rows = rig.jobs.find(items.store(), job.id()).orElseThrow().rowCount();
            if (rows == null || rows != items.count()) {
                throw new IllegalStateException("export of " + items.store() + " wrote " + rows + " of "
                        + items.count() + " rows");
            }
            return seconds;
        });
    }

    private static OrderExporter exporter(ExportRig rig, ExportTuning tuning) {
        return new OrderExporter(rig.leases, rig.orders, rig.s3, ExportRig.BUCKET, tuning, Clock.systemUTC());
    }

    private static void latency(ExportRig rig, boolean on) {
        rig.dynamoStub.queryDelay(on ? LatencyBench.PAGE_LATENCY : Duration.ZERO);
        rig.s3Stub.partDelay(on ? LatencyBench.PART_LATENCY : Duration.ZERO);
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "?%" : Math.round(fraction * 100) + "%";
    }

    /** The machine's 1-minute load average when the figure was taken: other processes' share of the cores. */
    private static Double loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : Figure.round(load);
    }

    private static String round(double value) {
        return String.valueOf(Figure.round(value));
    }
}
