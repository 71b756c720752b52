package com.orderexport.scheduler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.orderexport.config.AwsClients;
import com.orderexport.config.Settings;
import com.orderexport.observe.Log;
import com.orderexport.schedules.ScheduleRunner;
import java.time.Clock;
import java.util.Map;

/** The schedule adapter of the {@link ScheduleRunner}: each scheduled event runs one tick and answers what it did. */
public final class ScheduleRunHandler implements RequestHandler<ScheduledEvent, Map<String, Integer>> {

    private final ScheduleRunner runner;

    /** What Lambda calls: clients are built once per container, from the environment. */
    public ScheduleRunHandler() {
        this(Settings.fromEnvironment());
    }

    public ScheduleRunHandler(Settings settings) {
        this(runner(settings));
    }

    public ScheduleRunHandler(ScheduleRunner runner) {
        this.runner = runner;
    }

    private static ScheduleRunner runner(Settings settings) {
        return ScheduleRunner.of(settings, AwsClients.dynamoDb(AwsClients.Budget.BACKGROUND), Clock.systemUTC(),
                Log.toRuntime(Log.Level.parse(settings.logLevel())));
    }

    @Override
    public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
        ScheduleRunner.Tick tick = runner.tick();
        return Map.of("looked_at", tick.looked(), "created", tick.created(), "decided", tick.decided(),
                "waiting", tick.waiting());
    }
}
