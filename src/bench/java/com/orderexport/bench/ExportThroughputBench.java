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
        return Figure.of("P2", "full export throughput", ours / baseline, ours, baseline, "rows/s", ">=0.85", true,
                Map.of("orders", items.count(), "pages", rig.dynamoStub.queries() == 0 ? 0 : pagesOf(rig)),
                items.count() + " orders, ExportTuning.DEFAULT, stub pages ~1 MB; baseline: queryPaginator over"
                        + " OrderStore.query(...) on the same client, items discarded");
    }

    private static long pagesOf(ExportRig rig) throws Exception {
        long before = rig.dynamoStub.queries();
        rig.pageThroughAll();
        return rig.dynamoStub.queries() - before;
    }
}
