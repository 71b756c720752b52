package com.orderexport.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * P6: a fresh JVM to the first create-job response — JobsApiHandler as Lambda would construct and invoke it
 * ({@link ColdCreateJob}) against the bare handler ({@link BareCreateHandler}), both children talking to the
 * DynamoDB stub through {@code -Daws.endpointUrl}, timed from process start to the response line.
 */
final class ColdStartBench {

    /** As Lambda's java17 runtime starts the JVM: C1 only and the serial collector. */
    static final List<String> LAMBDA_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    private ColdStartBench() {}

    static Figure run(Scale scale, ExportRig rig) throws Exception {
        List<String> options = new ArrayList<>(LAMBDA_JVM);
        options.add("-Daws.endpointUrl=" + rig.dynamoStub.endpoint());
        options.add("-Daws.region=us-east-1");
        options.add("-Daws.accessKeyId=bench");
        options.add("-Daws.secretAccessKey=bench");
        Map<String, String> environment = Map.of("JOBS_TABLE", ExportRig.JOBS_TABLE,
                "EXPORT_BUCKET", ExportRig.BUCKET, "S3_FORCE_PATH_STYLE", "true");
        List<String> classes = new ArrayList<>(List.of("0", "0"));
        SideBySide.Samples samples = SideBySide.run(1, scale.coldRounds(),
                () -> start(ColdCreateJob.class, options, environment, classes, 0),
                () -> start(BareCreateHandler.class, options, environment, classes, 1));
        double ours = samples.oursMedian() * 1000;
        double baseline = samples.baselineMedian() * 1000;
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("classes_ours", Integer.parseInt(classes.get(0)));
        extra.put("classes_baseline", Integer.parseInt(classes.get(1)));
        return Figure.of("P6", "cold start → first create-job", ours / baseline, ours, baseline, "ms", "<=1.25",
                true, extra, "process start to response, " + scale.coldRounds() + " rounds, JVM flags "
                        + String.join(" ", LAMBDA_JVM) + "; loaded classes ours " + classes.get(0) + ", bare "
                        + classes.get(1));
    }

    private static double start(Class<?> main, List<String> options, Map<String, String> environment,
                                List<String> classes, int side) throws Exception {
        ChildJvm.Result result = ChildJvm.run(main, options, environment, "RESPONSE");
        if (result.line() == null || !"202".equals(ChildJvm.field(result.line(), "status"))) {
            throw new IllegalStateException(main.getSimpleName() + " gave no 202 (exit " + result.exitCode()
                    + "): " + result.line() + "; see target/bench-" + main.getSimpleName() + ".log");
        }
        classes.set(side, ChildJvm.field(result.line(), "classes"));
        return result.secondsToLine();
    }
}
