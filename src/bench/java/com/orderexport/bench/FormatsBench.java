package com.orderexport.bench;

import com.orderexport.exporter.ExportTuning;
import com.orderexport.jobs.ExportOptions;
import java.util.Map;

/**
 * P2j: a whole export written as JSON Lines against the same export written as CSV, side by side over the same
 * stub pages. JSON Lines writes each order's stored text as it is, where CSV formats 44 cells.
 */
final class FormatsBench {

    private FormatsBench() {}

    static Figure jsonLines(Scale scale, ExportRig rig) throws Exception {
        OrderItems items = OrderItems.of(scale.exportOrders());
        rig.serve(items);
        ExportOptions jsonl = new ExportOptions("jsonl", "none");
        SideBySide.Samples samples = SideBySide.run(scale.exportWarmups(), scale.exportRounds(),
                () -> rig.exportAll(ExportTuning.DEFAULT, jsonl).seconds(),
                () -> rig.exportAll(ExportTuning.DEFAULT).seconds());
        double ours = items.count() / samples.oursMedian();
        double baseline = items.count() / samples.baselineMedian();
        return Figure.of("P2j", "JSON Lines export / CSV export", samples.baselineOverOursMedian(), ours, baseline,
                "rows/s", ">=0.9", true, Map.of("orders", items.count(), "rounds", scale.exportRounds(),
                        "warmups", scale.exportWarmups()),
                items.count() + " orders × " + scale.exportRounds() + " rounds after " + scale.exportWarmups()
                        + " warm-ups, ExportTuning.DEFAULT, the same stub pages; ratio = median of the rounds' ratios;"
                        + " baseline: the same export in CSV");
    }
}
