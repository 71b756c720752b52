package com.orderexport.export;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.orderexport.config.AwsClients;
import com.orderexport.config.Settings;
import com.orderexport.exporter.Sweeper;
import com.orderexport.jobs.JobSweeps;
import com.orderexport.observe.CompletionPublisher;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import java.time.Clock;
import java.util.Map;

/** The schedule adapter of the {@link Sweeper}: each scheduled event runs one sweep and answers what it did. */
public final class SweepHandler implements RequestHandler<ScheduledEvent, Map<String, Integer>> {

    private final Sweeper sweeper;
    private final Log log;

    /** What Lambda calls: clients are built once per container, from the environment. */
    public SweepHandler() {
        this(Settings.fromEnvironment());
    }

    public SweepHandler(Settings settings) {
        this(sweeper(settings, new Metrics(settings.metricsNamespace())), Log.toRuntime(Log.Level.parse(settings.logLevel())));
    }

    private static Sweeper sweeper(Settings settings, Metrics metrics) {
        return new Sweeper(
                new JobSweeps(AwsClients.dynamoDb(AwsClients.Budget.BACKGROUND), Settings.required(Settings.JOBS_TABLE, settings.jobsTable())),
                AwsClients.s3(settings, AwsClients.Budget.BACKGROUND), Settings.required(Settings.EXPORT_BUCKET, settings.exportBucket()),
                settings.stuckAfter(), settings.maxRedrives(), Clock.systemUTC(),
                Log.toRuntime(Log.Level.parse(settings.logLevel())), metrics,
                new CompletionPublisher(AwsClients.eventBridge(AwsClients.Budget.REQUEST), settings.eventBusName(), metrics));
    }

    public SweepHandler(Sweeper sweeper) {
        this(sweeper, Log.toRuntime(Log.Level.INFO));
    }

    public SweepHandler(Sweeper sweeper, Log log) {
        this.sweeper = sweeper;
        this.log = log;
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        Sweeper.Summary summary = sweeper.sweep(log.forInvocation(context, null));
        return Map.of("stale", summary.stale(), "redriven", summary.redriven(), "failed", summary.failed(),
                "cancelled", summary.cancelled(), "changed_meanwhile", summary.changedMeanwhile());
    }
}
