package com.orderexport.api;

import com.orderexport.schedules.ScheduleRequest;
import java.util.Set;

/**
 * The body of {@code POST /v2/job-schedules} ({@code {"data": {"type": "job_schedule", "job_type": ..., "filter":
 * ..., the export options, "every": ..., "at": ..., "at_timezone": ..., "incremental": ..., "notify_url": ...}}}),
 * checked for shape only; what the values mean is the schedule service's to judge.
 */
final class CreateScheduleBody {

    private static final Set<String> MEMBERS = Set.of("type", "job_type", "filter", "format", "compression", "columns",
            "timezone", "rows", "every", "at", "at_timezone", "incremental", "notify_url");

    private CreateScheduleBody() {}

    static ScheduleRequest parse(String body) throws ApiError {
        DataObject data = DataObject.parse(body, MEMBERS,
                "{\"data\": {\"type\": \"job_schedule\", \"job_type\": ..., \"every\": ...}}");
        data.requireType("job_schedule");
        return new ScheduleRequest(data.requiredText("job_type", CreateJobBody.jobTypesHint()),
                data.optionalText("filter"), CreateJobBody.options(data),
                data.requiredText("every", "; every is hour, day, week or a five-field cron expression"),
                data.optionalText("at"), data.optionalText("at_timezone"), data.optionalFlag("incremental"),
                data.optionalText("notify_url"));
    }
}
