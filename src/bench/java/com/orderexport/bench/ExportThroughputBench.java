package com.orderexport.bench;

import com.orderexport.export.ExportTuning;
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
        SideBySide.Samples samples = SideBySide.run(scale.exportWarmups(), scale.exportRounds(),
                () -> rig.exportAll(ExportTuning.DEFAULT).seconds(),
                () -> {
                    long start = System.nanoTime();
                    rig.pageThroughAll();
                    return SideBySide.secondsSince(start);
                });
        double ours = items.count() / samples.oursMedian();
        double baseline = items.count() / samples.baselineMedian();
        // The export spreads over both cores and the drain loop uses one, so a neighbour's load moves the two
        // differently: each round's pair runs back to back, and the figure is the median of the rounds' ratios.
        return Figure.of("P2", "full export throughput", samples.baselineOverOursMedian(), ours, baseline, "rows/s",
                ">=0.85", true, Map.of("orders", items.count(), "pages", pagesOf(rig),
                        "rounds", scale.exportRounds(), "warmups", scale.exportWarmups()),
                items.count() + " orders × " + scale.exportRounds() + " rounds after " + scale.exportWarmups()
                        + " warm-ups (the export's code reaches C2 later than the drain loop's), ExportTuning.DEFAULT,"
                        + " stub pages ~1 MB, ratio = median of the rounds' ratios; baseline: queryPaginator over"
                        + " OrderStore.query(...) on the same client, items discarded");
    }

    private static long pagesOf(ExportRig rig) throws Exception {
        long before = rig.dynamoStub.queries();
        rig.pageThroughAll();
        return rig.dynamoStub.queries() - before;
    }
}
