package com.orderexport.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * P5: peak live heap exporting 10× the orders against exporting 1×, each in its own JVM with -Xmx128m
 * ({@link HeapProbe}); an export that streams holds the same whatever its size. The 10× run is also the
 * proof that 1,000,000 orders export under -Xmx128m (in the full run).
 */
final class HeapBench {

    static final String HEAP = "-Xmx128m";
    /** Its full collections record what they leave live (see HeapProbe). */
    static final String COLLECTOR = "-XX:+UseSerialGC";

    private HeapBench() {}

    static Figure run(Scale scale) throws Exception {
        int small = scale.heapOrders();
        int large = small * scale.heapFactor();
        List<Double> smallPeaks = new ArrayList<>();
        List<Double> largePeaks = new ArrayList<>();
        String largeFailure = null;
        double largeSeconds = 0;
        for (int round = 0; round < scale.heapRounds(); round++) {
            boolean smallFirst = round % 2 == 0;
            for (int side = 0; side < 2; side++) {
                boolean isSmall = (side == 0) == smallFirst;
                int orders = isSmall ? small : large;
                ChildJvm.Result result = ChildJvm.run(HeapProbe.class, List.of(HEAP, COLLECTOR), Map.of(), "HEAP",
                        Integer.toString(orders));
                if (result.line() == null || result.exitCode() != 0
                        || Long.parseLong(ChildJvm.field(result.line(), "rows")) != orders) {
                    String failure = "the " + orders + "-order export under " + HEAP + " did not finish (exit "
                            + result.exitCode() + "; see target/bench-HeapProbe.log)";
                    if (isSmall) {
                        throw new IllegalStateException(failure);
                    }
                    largeFailure = failure;
                    continue;
                }
                double peakMb = Long.parseLong(ChildJvm.field(result.line(), "peak_bytes")) / (1024.0 * 1024);
                (isSmall ? smallPeaks : largePeaks).add(peakMb);
                if (!isSmall) {
                    largeSeconds = Double.parseDouble(ChildJvm.field(result.line(), "seconds"));
                }
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("orders_1x", small);
        extra.put("orders_10x", large);
        extra.put("heap", HEAP);
        extra.put("large_export_ok", largeFailure == null);
        if (largeFailure != null) {
            return new Figure("P5", "peak heap, 10× vs 1× orders", null, null, SideBySide.median(smallPeaks), "MB",
                    "<=1.1", false, extra, largeFailure);
        }
        double ours = SideBySide.median(largePeaks);
        double baseline = SideBySide.median(smallPeaks);
        return Figure.of("P5", "peak heap, 10× vs 1× orders", ours / baseline, ours, baseline, "MB", "<=1.1", true,
                extra, "peak live heap as a full collection left it (one at every Query page the export asks for, serial collector), ExportTuning.sequential() (the 4-slice default holds about 4 × (5 MiB + 3 parts) ≈ 116 MB by design), child JVMs " + HEAP
                        + "; " + large + " orders exported under " + HEAP + " in " + Figure.round(largeSeconds)
                        + " s" + (scale.quick() ? " (the full run does 1,000,000)" : ""));
    }
}
