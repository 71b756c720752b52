package com.orderexport.bench;

import com.orderexport.exporter.ExportTuning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * P3 and P4: exports under network latency (100 ms per Query page, 200 ms per UploadPart).
 * P3: a sequential export against the least one Query chain can take: every page's wait, plus receiving and
 * unmarshalling each page (the next request needs this page's last key, so that time cannot overlap the next
 * wait; measured here as the drain-only loop's time per page without latency), plus the last part's upload,
 * which can only start after the last page. It meets its target only if all our own work overlaps the waits.
 * P4: four created_at slices against one, which must be faster and write the very same file.
 */
final class LatencyBench {

    static final Duration PAGE_LATENCY = Duration.ofMillis(100);
    static final Duration PART_LATENCY = Duration.ofMillis(200);

    private LatencyBench() {}

    static List<Figure> run(Scale scale, ExportRig rig) throws Exception {
        OrderItems items = OrderItems.of(scale.latencyOrders());
        rig.serve(items);
        ExportTuning sequential = ExportTuning.sequential();
        ExportTuning p3 = new ExportTuning(sequential.partSize(), 2, sequential.slices(), sequential.handOffMargin());
        ExportTuning oneSlice = ExportTuning.DEFAULT.withSlices(1);
        ExportTuning fourSlices = ExportTuning.DEFAULT.withSlices(4);
        // Today P3's tuning is P4's one-slice tuning; then one run serves both and the rounds stay short.
        boolean shared = p3.equals(oneSlice);

        List<Double> cpu = new ArrayList<>();
        List<Double> perPage = new ArrayList<>();
        long drainPages = 0;
        List<Double> pageWait = new ArrayList<>();
        List<Double> p3Wall = new ArrayList<>();
        List<Double> oneWall = new ArrayList<>();
        List<Double> fourWall = new ArrayList<>();
        Set<String> files = new HashSet<>();
        long pages = 0;
        rig.s3Stub.keepObjects(true);
        try {
            rig.exportAll(p3); // warm-up, without latency
            rig.exportAll(fourSlices);
            for (int round = 0; round < scale.latencyRounds(); round++) {
                latency(rig, false);
                cpu.add(rig.exportAll(p3).cpuSeconds());
                long queries = rig.dynamoStub.queries();
                long start = System.nanoTime();
                rig.pageThroughAll();
                double drain = SideBySide.secondsSince(start);
                drainPages = rig.dynamoStub.queries() - queries;
                perPage.add(drain / drainPages);
                latency(rig, true);
                List<Runnable> order = new ArrayList<>();
                order.add(() -> {
                    ExportRig.Run run = rig.exportAll(p3);
                    p3Wall.add(run.seconds());
                    pageWait.add(run.queries() * PAGE_LATENCY.toMillis() / 1000.0);
                    if (shared) {
                        oneWall.add(run.seconds());
                        files.add(run.sha256());
                    }
                });
                if (!shared) {
                    order.add(() -> {
                        ExportRig.Run run = rig.exportAll(oneSlice);
                        oneWall.add(run.seconds());
                        files.add(run.sha256());
                    });
                }
                order.add(() -> {
                    ExportRig.Run run = rig.exportAll(fourSlices);
                    fourWall.add(run.seconds());
                    files.add(run.sha256());
                });
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                order.forEach(Runnable::run);
            }
            pages = Math.round(SideBySide.median(pageWait) * 1000 / PAGE_LATENCY.toMillis());
        } finally {
            latency(rig, false);
            rig.s3Stub.keepObjects(false);
        }

        double wall = SideBySide.median(p3Wall);
        double wait = SideBySide.median(pageWait);
        double cpuSeconds = SideBySide.median(cpu);
        double unmarshal = SideBySide.median(perPage);
        double part = PART_LATENCY.toMillis() / 1000.0;
        double floor = wait + drainPages * unmarshal + part;
        Map<String, Object> p3Extra = new LinkedHashMap<>();
        p3Extra.put("orders", items.count());
        p3Extra.put("pages", pages);
        p3Extra.put("floor_s", Figure.round(floor));
        p3Extra.put("page_wait_s", Figure.round(wait));
        p3Extra.put("unmarshal_per_page_ms", Figure.round(unmarshal * 1000));
        p3Extra.put("last_part_s", part);
        p3Extra.put("cpu_s", Figure.round(cpuSeconds));
        p3Extra.put("wall_over_page_wait", Figure.round(wall / wait));
        Figure p3Figure = Figure.of("P3", "export wall time under latency", wall / floor, wall, floor, "s", "<=1.05",
                true, p3Extra, items.count() + " orders, " + pages + " queries; tuning sequential() with partsInFlight"
                        + " 2; baseline: the single-chain floor " + round(floor) + " s = page wait " + round(wait)
                        + " s + " + drainPages + " pages × receive/unmarshal " + round(unmarshal * 1000) + " ms"
                        + " (drain-only loop without latency) + last part " + part + " s; process CPU without latency "
                        + round(cpuSeconds) + " s");

        double one = SideBySide.median(oneWall);
        double four = SideBySide.median(fourWall);
        boolean identical = files.size() == 1 && !files.contains(null);
        Map<String, Object> p4Extra = new LinkedHashMap<>();
        p4Extra.put("orders", items.count());
        p4Extra.put("identical", identical);
        Figure p4Figure = Figure.of("P4", "4-slice export speed-up", one / four, four, one, "s", ">=3", identical,
                p4Extra, "DEFAULT.withSlices(4) vs withSlices(1) under P3's latency; ratio = sequential / parallel"
                        + " time; files " + (identical ? "byte-identical" : "DIFFER") + " (SHA-256 of the parts"
                        + " S3 received)");
        return List.of(p3Figure, p4Figure);
    }

    private static void latency(ExportRig rig, boolean on) {
        rig.dynamoStub.queryDelay(on ? PAGE_LATENCY : Duration.ZERO);
        rig.s3Stub.partDelay(on ? PART_LATENCY : Duration.ZERO);
    }

    private static String round(double value) {
        return String.valueOf(Figure.round(value));
    }
}
