package com.orderexport.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The performance benchmark: {@code mvn -q test-compile exec:java@bench} (add {@code -Dexec.args="--quick"}
 * for a smoke run, or {@code -Dexec.args="--only=P2,P3"} for some figures). Every figure is a ratio of two things measured side by side in this run; it prints a
 * table, then one JSON line with every figure.
 */
public final class Benchmark {

    /** One measurement: the figures it yields (ids, what each measures, targets) and how to run it. */
    private record Measurement(List<String> ids, List<String> measured, List<String> targets, Run run) {
        Measurement(String id, String measured, String target, Run run) {
            this(List.of(id), List.of(measured), List.of(target), run);
        }
    }

    @FunctionalInterface
    private interface Run {
        List<Figure> run(Scale scale, ExportRig rig) throws Exception;
    }

    /** Enough for every page of the largest in-process export (~1.3 KB an order). */
    private static final long PAGE_CACHE_BYTES = 512L * 1024 * 1024;

    static final String USAGE = "usage: Benchmark [--quick] [--only=P1,P2,P2f,P2i,P2j,P2z,...]";

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            if (!arg.equals("--quick") && !arg.startsWith("--only=")) {
                throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
            }
        }
        Scale scale = List.of(args).contains("--quick") ? Scale.quickRun() : Scale.fullRun();
        List<Measurement> measurements = List.of(
                new Measurement("P1", "order → CSV row writer", ">=0.7",
                        (s, rig) -> List.of(CsvWriterBench.run(s))),
                new Measurement("P2", "full export throughput", ">=0.85",
                        (s, rig) -> List.of(ExportThroughputBench.run(s, rig))),
                new Measurement("P2f", "CPU: drain + parse each doc / drain", "report",
                        (s, rig) -> List.of(ParseFloorBench.run(s, rig))),
                new Measurement("P2j", "JSON Lines export / CSV export", ">=0.9",
                        (s, rig) -> List.of(FormatsBench.jsonLines(s, rig))),
                new Measurement("P2z", "gzip CSV export / plain CSV export", ">=0.8",
                        (s, rig) -> List.of(FormatsBench.gzip(s, rig))),
                new Measurement("P2i", "item rows/s / order rows/s (5 items)", "report",
                        (s, rig) -> List.of(FormatsBench.itemRows(s, rig))),
                new Measurement("P2m", "read + bind: JSON text vs map", ">=1",
                        (s, rig) -> List.of(StoredFormBench.run(s, rig))),
                new Measurement(List.of("P3", "P4"),
                        List.of("export wall time under latency", "4-slice export speed-up"),
                        List.of("<=1.05", ">=3"), LatencyBench::run),
                new Measurement("P5", "peak heap, 10× vs 1× orders", "<=1.1", (s, rig) -> List.of(HeapBench.run(s))),
                new Measurement(List.of("P6", "P6b"),
                        List.of("cold start → first create-job", "restored → first create-job"),
                        List.of("<=1.25", "<=1.15"), ColdStartBench::run),
                new Measurement("P7", "warm create-job p50", "<=1.3",
                        (s, rig) -> List.of(WarmCreateBench.run(s, rig))),
                new Measurement(List.of("P8", "P8u"),
                        List.of("items read / items exported", "items read / exported, updated_at"),
                        List.of("<=1.05", "<=1.05"), (s, rig) -> ScanBench.run(s)),
                new Measurement("P9", "small export beside 3 long ones", "<=3",
                        (s, rig) -> List.of(FairnessBench.fairness(s, rig))),
                new Measurement("P10", "4 stores at once / 1 store, rows/s", ">=3",
                        (s, rig) -> List.of(FairnessBench.scaling(s, rig))));
        // --only P2,P5 runs just those measurements (for a quick look at one figure).
        List<String> only = List.of(args).stream().filter(a -> a.startsWith("--only=")).findFirst()
                .map(a -> List.of(a.substring("--only=".length()).split(","))).orElse(List.of());
        if (!only.isEmpty()) {
            measurements = measurements.stream().filter(m -> m.ids().stream().anyMatch(only::contains)).toList();
        }
        // One pair of stubs for every in-process measurement; pages are replayed from memory once made.
        ExportRig rig = ExportRig.start(PAGE_CACHE_BYTES);
        List<Figure> figures = new ArrayList<>();
        for (Measurement m : measurements) {
            long start = System.nanoTime();
            String name = String.join("+", m.ids());
            System.err.println("[bench] " + name + " " + String.join(", ", m.measured()) + " ...");
            try {
                figures.addAll(m.run().run(scale, rig));
            } catch (Exception | Error e) {
                e.printStackTrace();
                for (int i = 0; i < m.ids().size(); i++) {
                    figures.add(Figure.failed(m.ids().get(i), m.measured().get(i), m.targets().get(i), e));
                }
            }
            System.err.printf(Locale.ROOT, "[bench] %s done in %.1f s%n", name, SideBySide.secondsSince(start));
        }
        printTable(figures, scale);
        Map<String, Object> json = new LinkedHashMap<>();
        figures.forEach(f -> json.put(f.id(), f.json()));
        System.out.println(new ObjectMapper().writeValueAsString(json));
        System.out.flush();
        // exec:java waits for non-daemon threads; the SDK's and stubs' threads must not keep the run alive.
        System.exit(0);
    }

    private static void printTable(List<Figure> figures, Scale scale) {
        System.out.println();
        System.out.println("Order-export benchmark" + (scale.quick() ? " (--quick: small sizes, few rounds)" : "")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version"));
        String format = "%-3s %-34s %14s %14s %-8s %8s %-8s %-4s%n";
        System.out.printf(Locale.ROOT, format, "#", "measured", "ours", "baseline", "unit", "ratio", "target", "met");
        for (Figure f : figures) {
            System.out.printf(Locale.ROOT, format, f.id(), f.measured(), number(f.ours()), number(f.baseline()),
                    f.unit() == null ? "" : f.unit(), number(f.ratio()), f.target(),
                    f.met() == null ? "-" : f.met() ? "yes" : "NO");
        }
        System.out.println();
        for (Figure f : figures) {
            System.out.println(f.id() + ": " + f.note());
        }
        System.out.println();
    }

    private static String number(Double value) {
        if (value == null) {
            return "-";
        }
        double rounded = Figure.round(value);
        return rounded == Math.rint(rounded) && Math.abs(rounded) >= 1000
                ? String.format(Locale.ROOT, "%,.0f", rounded) : String.valueOf(rounded);
    }
}
