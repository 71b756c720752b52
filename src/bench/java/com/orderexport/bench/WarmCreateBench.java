package com.orderexport.bench;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.orderexport.api.JobsApiHandler;
import com.orderexport.config.Settings;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.JobStore;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * P7: a warm container's create-job latency (p50) — JobsApiHandler on the stub — against a bare PutItem of
 * the same item with the same DynamoDB client; the two alternate call by call after a warm-up.
 */
final class WarmCreateBench {

    private WarmCreateBench() {}

    static Figure run(Scale scale, ExportRig rig) throws IOException {
        Settings settings = Settings.from(Map.of(Settings.JOBS_TABLE, ExportRig.JOBS_TABLE,
                Settings.EXPORT_BUCKET, ExportRig.BUCKET, Settings.S3_FORCE_PATH_STYLE, "true"));
        S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .credentialsProvider(BenchClients.CREDENTIALS).endpointOverride(rig.s3Stub.endpoint())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
        // Each log and metric record is still built and written, one write per record as Lambda's runtime makes
        // it, but to /dev/null rather than into the benchmark's own output.
        FileOutputStream devNull = new FileOutputStream("/dev/null");
        JobsApiHandler handler = new JobsApiHandler(new JobService(new JobStore(rig.dynamo, ExportRig.JOBS_TABLE),
                new LinkSigner(presigner, ExportRig.BUCKET), settings.linkTtl(), Clock.systemUTC(),
                settings.maxUnfinishedJobsPerStore()), settings,
                Log.to(new DevNullLogger(devNull), Log.Level.INFO, Clock.systemUTC()),
                new Metrics(settings.metricsNamespace()), Clock.systemUTC());
        APIGatewayV2HTTPEvent event = CreateJobEvent.event();
        List<Double> ours = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        int n = scale.warmIterations();
        for (int i = 0; i < 2 * n; i++) {
            boolean measured = i >= n;
            // Alternate which goes first, so neither always follows the other's garbage.
            if (i % 2 == 0) {
                time(() -> create(handler, event), measured ? ours : null);
                time(() -> putItem(rig), measured ? bare : null);
            } else {
                time(() -> putItem(rig), measured ? bare : null);
                time(() -> create(handler, event), measured ? ours : null);
            }
        }
        presigner.close();
        devNull.close();
        double oursP50 = SideBySide.median(ours) * 1000;
        double bareP50 = SideBySide.median(bare) * 1000;
        return Figure.of("P7", "warm create-job p50", oursP50 / bareP50, oursP50, bareP50, "ms", "<=1.3", true,
                Map.of("iterations", n), n + " calls each after " + n + " warm-up calls, alternating;"
                        + " baseline: PutItem of the same job item (with its condition) on the same client");
    }

    private static void create(JobsApiHandler handler, APIGatewayV2HTTPEvent event) {
        int status = handler.handleRequest(event, null).getStatusCode();
        if (status != 202) {
            throw new IllegalStateException("create-job answered " + status);
        }
    }

    private static void putItem(ExportRig rig) {
        rig.dynamo.putItem(r -> r.tableName(ExportRig.JOBS_TABLE).item(CreateJobEvent.jobItem())
                .conditionExpression("attribute_not_exists(job_id)"));
    }

    private static void time(Runnable call, List<Double> samples) {
        long start = System.nanoTime();
        call.run();
        if (samples != null) {
            samples.add(SideBySide.secondsSince(start));
        }
    }

    /** Writes each record with one write call, as the runtime writes one frame per record. */
    private record DevNullLogger(FileOutputStream out) implements LambdaLogger {
        @Override
        public void log(String message) {
            log(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void log(byte[] message) {
            try {
                out.write(message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
