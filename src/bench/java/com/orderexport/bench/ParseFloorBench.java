package com.orderexport.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.orderexport.filter.OrderFilter;
import com.orderexport.orders.OrderStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * P2f: the least CPU any export of the stored form can spend per row, against the drain loop P2 compares with. One
 * thread pages through the same Query and merely walks every stored document's JSON tokens (no bind, no CSV, no
 * upload), against the same loop without the walk. An export must parse each document at least this once, so
 * P2's {@code cpu_export_over_drain} cannot fall below this ratio while orders are kept as JSON text.
 */
final class ParseFloorBench {

    private static final JsonFactory JSON = new JsonFactory();

    private ParseFloorBench() {}

    static Figure run(Scale scale, ExportRig rig) throws Exception {
        OrderItems items = OrderItems.of(scale.exportOrders());
        rig.serve(items);
        // Process CPU per run, the stub's share included on both sides, as P2 measures its cpu_export_over_drain.
        List<Double> oursCpu = new ArrayList<>();
        List<Double> baselineCpu = new ArrayList<>();
        SideBySide.Samples samples = SideBySide.run(scale.exportWarmups(), scale.exportRounds(),
                () -> cpuSecondsOf(() -> {
                    long tokens = pageThroughAll(rig, items, true);
                    if (tokens < items.count()) {
                        throw new IllegalStateException("walked " + tokens + " tokens of " + items.count() + " orders");
                    }
                }, oursCpu),
                () -> cpuSecondsOf(() -> pageThroughAll(rig, items, false), baselineCpu));
        double ours = items.count() / samples.oursMedian();
        double baseline = items.count() / samples.baselineMedian();
        double cpuRatio = SideBySide.median(oursCpu) / SideBySide.median(baselineCpu);
        return Figure.of("P2f", "CPU: drain + parse each doc / drain", cpuRatio, ours, baseline, "rows/s", "report",
                true, Map.of("orders", items.count(), "rounds", scale.exportRounds()),
                items.count() + " orders × " + scale.exportRounds() + " rounds after " + scale.exportWarmups()
                        + " warm-ups, run back to back; ours: P2's drain loop walking every stored document's JSON"
                        + " tokens as it goes (what any bind of the document must at least do); baseline: P2's drain"
                        + " loop. The ratio is the process CPU of ours over the baseline's, stubs included, as P2"
                        + " measures: the floor under P2's cpu_export_over_drain while orders are kept as JSON text");
    }

    @FunctionalInterface
    private interface Pass {
        void run() throws Exception;
    }

    /** Runs the pass, adds its process CPU seconds to {@code cpu}, and returns its wall seconds. */
    private static double cpuSecondsOf(Pass pass, List<Double> cpu) throws Exception {
        long cpuBefore = ExportRig.processCpuNanos();
        long start = System.nanoTime();
        pass.run();
        double seconds = SideBySide.secondsSince(start);
        cpu.add((ExportRig.processCpuNanos() - cpuBefore) / 1e9);
        return seconds;
    }

    /** P2's drain loop; with {@code walk}, every document's tokens are read too. Returns the tokens walked. */
    private static long pageThroughAll(ExportRig rig, OrderItems items, boolean walk) throws Exception {
        long tokens = 0;
        long count = 0;
        for (QueryResponse page : rig.dynamo.queryPaginator(
                rig.orders.query(items.store(), OrderFilter.parse(items.filterSelectingAll()).createdAtRange()))) {
            count += page.items().size();
            if (walk) {
                for (Map<String, AttributeValue> item : page.items()) {
                    try (JsonParser parser = JSON.createParser(item.get(OrderStore.DOCUMENT).s())) {
                        while (parser.nextToken() != null) {
                            tokens++;
                        }
                    }
                }
            }
        }
        if (count != items.count()) {
            throw new IllegalStateException("paged through " + count + " of " + items.count() + " orders");
        }
        return tokens;
    }
}
