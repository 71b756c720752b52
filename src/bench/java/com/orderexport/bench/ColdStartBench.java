package com.orderexport.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * P6 and P6b, both in fresh child JVMs talking to the DynamoDB stub through {@code -Daws.endpointUrl}.
 * P6: process start to the first create-job response — JobsApiHandler as Lambda would construct and invoke it
 * ({@link ColdCreateJob}) against the bare handler ({@link BareCreateHandler}), with the classes each loads
 * (one more run of each side with {@code -Xlog:class+load}, lists in {@code target/bench-classes-*.txt}).
 * P6b: what SnapStart restores ({@link PrimedCreateJob}): the handler constructed and its checkpoint hooks run,
 * then the first create-job request, against the bare handler after its constructor.
 */
final class ColdStartBench {

    /** As Lambda's java17 runtime starts the JVM: C1 only and the serial collector. */
    static final List<String> LAMBDA_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    private ColdStartBench() {}

    static List<Figure> run(Scale scale, ExportRig rig) throws Exception {
        List<String> options = new ArrayList<>(LAMBDA_JVM);
        options.add("-Daws.endpointUrl=" + rig.dynamoStub.endpoint());
        options.add("-Daws.region=us-east-1");
        options.add("-Daws.accessKeyId=bench");
        options.add("-Daws.secretAccessKey=bench");
        Map<String, String> environment = Map.of("JOBS_TABLE", ExportRig.JOBS_TABLE,
                "EXPORT_BUCKET", ExportRig.BUCKET, "S3_FORCE_PATH_STYLE", "true");
        return List.of(cold(scale, options, environment), primed(scale, options, environment));
    }

    private static Figure cold(Scale scale, List<String> options, Map<String, String> environment) throws Exception {
        SideBySide.Samples samples = SideBySide.run(1, scale.coldRounds(),
                () -> start(ColdCreateJob.class, options, environment).secondsToLine(),
                () -> start(BareCreateHandler.class, options, environment).secondsToLine());
        Map<String, Long> ours = loadedClasses(ColdCreateJob.class, options, environment, "ours");
        Map<String, Long> bare = loadedClasses(BareCreateHandler.class, options, environment, "bare");
        double oursMillis = samples.oursMedian() * 1000;
        double bareMillis = samples.baselineMedian() * 1000;
        Map<String, Long> extraByPackage = extraByPackage(ours, bare);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("classes_ours", count(ours));
        extra.put("classes_baseline", count(bare));
        extra.put("extra_classes_by_package", extraByPackage);
        return Figure.of("P6", "cold start → first create-job", oursMillis / bareMillis, oursMillis, bareMillis, "ms",
                "<=1.25", true, extra, "process start to response, " + scale.coldRounds() + " rounds, JVM flags "
                        + String.join(" ", LAMBDA_JVM) + "; classes loaded (-Xlog:class+load) ours " + count(ours)
                        + ", bare " + count(bare) + "; most of ours' extra: " + extraByPackage.entrySet().stream()
                        .limit(4).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    }

    private static Figure primed(Scale scale, List<String> options, Map<String, String> environment)
            throws Exception {
        List<String> withRuntime = new ArrayList<>(options);
        withRuntime.add("-Dorg.crac.Core.Compat=com.orderexport.bench.crac");
        List<String> oursLines = new ArrayList<>();
        List<String> bareLines = new ArrayList<>();
        SideBySide.Samples samples = SideBySide.run(1, scale.coldRounds(),
                () -> firstMillis(withRuntime, environment, "ours", oursLines),
                () -> firstMillis(withRuntime, environment, "bare", bareLines));
        String ours = oursLines.get(oursLines.size() - 1);
        String bare = bareLines.get(bareLines.size() - 1);
        boolean primed = Integer.parseInt(ChildJvm.field(ours, "resources")) > 0;
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("registered_resources", Integer.parseInt(ChildJvm.field(ours, "resources")));
        extra.put("classes_first_request_ours", Integer.parseInt(ChildJvm.field(ours, "classes_first")));
        extra.put("classes_first_request_baseline", Integer.parseInt(ChildJvm.field(bare, "classes_first")));
        return Figure.of("P6b", "restored → first create-job", samples.oursMedian() / samples.baselineMedian(),
                samples.oursMedian(), samples.baselineMedian(), "ms", "<=1.15", primed, extra,
                "constructor and checkpoint hooks (org.crac, as SnapStart runs them) then the first request, timed"
                        + " from the restore; bare: constructor only; " + scale.coldRounds() + " rounds; classes"
                        + " the first request loads: ours " + ChildJvm.field(ours, "classes_first") + ", bare "
                        + ChildJvm.field(bare, "classes_first") + (primed ? "" : "; NO RESOURCE REGISTERED"));
    }

    private static double firstMillis(List<String> options, Map<String, String> environment, String side,
                                      List<String> lines) throws Exception {
        ChildJvm.Result result = ChildJvm.run(PrimedCreateJob.class, options, environment, "RESPONSE", side);
        check(result, PrimedCreateJob.class);
        lines.add(result.line());
        return Double.parseDouble(ChildJvm.field(result.line(), "first_ms"));
    }

    private static ChildJvm.Result start(Class<?> main, List<String> options, Map<String, String> environment)
            throws Exception {
        return check(ChildJvm.run(main, options, environment, "RESPONSE"), main);
    }

    private static ChildJvm.Result check(ChildJvm.Result result, Class<?> main) {
        if (result.line() == null || !"202".equals(ChildJvm.field(result.line(), "status"))) {
            throw new IllegalStateException(main.getSimpleName() + " gave no 202 (exit " + result.exitCode()
                    + "): " + result.line() + "; see target/bench-" + main.getSimpleName() + ".log");
        }
        return result;
    }

    /**
     * One more, untimed, run of a side with the JVM's class-load log: the classes it loaded until it exited, by
     * name, each generated class (lambda, method handle form) under its maker's name with how many were made.
     */
    private static Map<String, Long> loadedClasses(Class<?> main, List<String> options,
                                                   Map<String, String> environment, String side) throws Exception {
        Path log = Path.of("target", "bench-classes-" + side + ".log").toAbsolutePath();
        Files.deleteIfExists(log);
        List<String> logging = new ArrayList<>(options);
        logging.add("-Xlog:class+load=info:file=" + log);
        start(main, logging, environment);
        List<String> names = Files.readAllLines(log).stream().map(ColdStartBench::className)
                .filter(name -> !name.isEmpty()).sorted().toList();
        Files.write(Path.of("target", "bench-classes-" + side + ".txt"), names);
        return names.stream().collect(Collectors.groupingBy(name -> name, TreeMap::new, Collectors.counting()));
    }

    // "[0.012s][info][class,load] java.lang.Object source: shared objects file"; generated classes lose their
    // addresses and sequence numbers, so the same lambda is the same name in both runs.
    private static String className(String line) {
        int start = line.indexOf("] ", line.indexOf("class,load"));
        int end = line.indexOf(" source:");
        return start < 0 || end < start ? "" : line.substring(start + 2, end)
                .replaceAll("\\$\\$Lambda\\$\\d+", "\\$\\$Lambda").replaceAll("/0x\\p{XDigit}+", "");
    }

    private static long count(Map<String, Long> classes) {
        return classes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many more classes of each package ours loaded than bare, most first. */
    private static Map<String, Long> extraByPackage(Map<String, Long> ours, Map<String, Long> bare) {
        Map<String, Long> counts = new TreeMap<>();
        ours.forEach((name, n) -> {
            long extra = n - bare.getOrDefault(name, 0L);
            if (extra > 0) {
                counts.merge(packageOf(name), extra, Long::sum);
            }
        });
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(12).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static String packageOf(String name) {
        int dot = name.lastIndexOf('.');
        String pkg = dot < 0 ? "" : name.substring(0, dot);
        String[] parts = pkg.split("\\.");
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(parts.length, 5)));
    }
}
