package com.orderexport.bench;

import com.orderexport.exporter.ExportTuning;
import com.orderexport.jobs.ExportOptions;
import java.util.Map;

/**
 * The export's shapes against its default CSV, side by side over the same stub pages: P2j, JSON Lines (each order's
 * stored text as it is, where CSV formats 44 cells); P2z, the CSV gzip-compressed.
 */
final class FormatsBench {

    private FormatsBench() {}

    /** P2z: the CSV export gzip-compressed against the plain CSV export, 4 slices each. */
    static Figure gzip(Scale scale, ExportRig rig) throws Exception {
        return againstPlainCsv(scale, rig, "P2z", "gzip CSV export / plain CSV export", ">=0.8",
                new ExportOptions("csv", "gzip"), "4 slices (ExportTuning.DEFAULT), deflate level 1");
    }

    /**
     * P2i: item rows against order rows on orders of five items each: the same orders, a CSV row per item against a
     * row per order. Reported, not a target: five rows an order write about five times the bytes.
     */
    static Figure itemRows(Scale scale, ExportRig rig) throws Exception {
        int perOrder = 5;
        OrderItems items = OrderItems.withItems(scale.exportOrders(), perOrder);
        rig.serve(items);
        ExportOptions itemRows = new ExportOptions("csv", "none", java.util.List.of(), ExportOptions.UTC, "item");
        long rows = (long) items.count() * perOrder;
        SideBySide.Samples samples = SideBySide.run(scale.exportWarmups(), scale.exportRounds(),
                () -> rig.exportAll(ExportTuning.DEFAULT, itemRows, rows).seconds(),
                () -> rig.exportAll(ExportTuning.DEFAULT).seconds());
        double ours = rows / samples.oursMedian();
        double baseline = items.count() / samples.baselineMedian();
        return Figure.of("P2i", "item rows/s / order rows/s (5 items)", (rows / samples.oursMedian()) / baseline, ours,
                baseline, "rows/s", "report", true, Map.of("orders", items.count(), "items_per_order", perOrder,
                        "rounds", scale.exportRounds(), "warmups", scale.exportWarmups()),
                items.count() + " orders of " + perOrder + " items × " + scale.exportRounds() + " rounds after "
                        + scale.exportWarmups() + " warm-ups, 4 slices; ours: item rows per second, baseline: order rows"
                        + " per second of the same orders; ratio of the medians");
    }

    static Figure jsonLines(Scale scale, ExportRig rig) throws Exception {
        return againstPlainCsv(scale, rig, "P2j", "JSON Lines export / CSV export", ">=0.9",
                new ExportOptions("jsonl", "none"), "ExportTuning.DEFAULT");
    }

    /** The same orders exported in the shape {@code options} names against the plain CSV, round by round. */
    private static Figure againstPlainCsv(Scale scale, ExportRig rig, String id, String measured, String target,
                                          ExportOptions options, String tuning) throws Exception {
        OrderItems items = OrderItems.of(scale.exportOrders());
        rig.serve(items);
        SideBySide.Samples samples = SideBySide.run(scale.exportWarmups(), scale.exportRounds(),
                () -> rig.exportAll(ExportTuning.DEFAULT, options).seconds(),
                () -> rig.exportAll(ExportTuning.DEFAULT).seconds());
        double ours = items.count() / samples.oursMedian();
        double baseline = items.count() / samples.baselineMedian();
        return Figure.of(id, measured, samples.baselineOverOursMedian(), ours, baseline, "rows/s", target, true,
                Map.of("orders", items.count(), "rounds", scale.exportRounds(), "warmups", scale.exportWarmups()),
                items.count() + " orders × " + scale.exportRounds() + " rounds after " + scale.exportWarmups()
                        + " warm-ups, " + tuning + ", the same stub pages; ratio = median of the rounds' ratios;"
                        + " baseline: the same export as plain CSV");
    }
}
