package com.orderexport.bench;

import com.orderexport.exporter.ExportTuning;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * P2: the whole export (claim, query pages, parse, filter, CSV, hash, multipart upload, decide) in rows per
 * second against stubs answering at once, against a loop that only pages through the same Query with the
 * same SDK client: how much the export adds to merely reading its input.
 */
final class ExportThroughputBench {

    private ExportThroughputBench() {}

    static Figure run(Scale scale, ExportRig rig) throws Exception {
        OrderItems items = OrderItems.of(scale.exportOrders());
        rig.serve(items);
        // Process CPU of each run too (the stubs' share included on both sides): what the rows cost where cores,
        // not waits, are the limit.
        List<Double> oursCpu = new ArrayList<>();
        List<Double> baselineCpu = new ArrayList<>();
        SideBySide.Samples samples = SideBySide.run(scale.exportWarmups(), scale.exportRounds(),
                () -> {
                    ExportRig.Run run = rig.exportAll(ExportTuning.DEFAULT);
                    oursCpu.add(run.cpuSeconds());
                    return run.seconds();
                },
                () -> {
                    long cpu = ExportRig.processCpuNanos();
                    long start = System.nanoTime();
                    rig.pageThroughAll();
                    double seconds = SideBySide.secondsSince(start);
                    baselineCpu.add((ExportRig.processCpuNanos() - cpu) / 1e9);
                    return seconds;
                });
        double ours = items.count() / samples.oursMedian();
        double baseline = items.count() / samples.baselineMedian();
        double cpuRatio = SideBySide.median(oursCpu) / SideBySide.median(baselineCpu);
        // An absolute figure, for the cost sheet only (docs/performance.md): process CPU per exported row, stubs
        // included, so it overstates what the export function itself spends.
        double cpuMicrosPerRow = SideBySide.median(oursCpu) * 1e6 / items.count();
        // The export spreads over both cores and the drain loop uses one, so a neighbour's load moves the two
        // differently: each round's pair runs back to back, and the figure is the median of the rounds' ratios.
        return Figure.of("P2", "full export throughput", samples.baselineOverOursMedian(), ours, baseline, "rows/s",
                ">=0.85", true, Map.of("orders", items.count(), "pages", pagesOf(rig),
                        "rounds", scale.exportRounds(), "warmups", scale.exportWarmups(),
                        "cpu_export_over_drain", Figure.round(cpuRatio), "cpu_us_per_row", Figure.round(cpuMicrosPerRow)),
                items.count() + " orders × " + scale.exportRounds() + " rounds after " + scale.exportWarmups()
                        + " warm-ups (the export's code reaches C2 later than the drain loop's), ExportTuning.DEFAULT,"
                        + " stub pages ~1 MB, ratio = median of the rounds' ratios; baseline: queryPaginator over"
                        + " OrderStore.query(...) on the same client, items discarded. Process CPU per run: the export "
                        + Figure.round(cpuRatio) + "× the drain loop's (the export runs 4 slices on both cores, the"
                        + " drain loop on one: with one core, as Lambda gives 1769 MB, rows/s would be about "
                        + Figure.round(1 / cpuRatio) + " of the drain loop's); process CPU per exported row, stubs"
                        + " included: " + Figure.round(cpuMicrosPerRow) + " µs");
    }

    private static long pagesOf(ExportRig rig) throws Exception {
        long before = rig.dynamoStub.queries();
        rig.pageThroughAll();
        return rig.dynamoStub.queries() - before;
    }
}
