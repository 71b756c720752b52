package com.orderexport.api;

import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.JobService;
import java.util.Set;

/**
 * The body of {@code POST /v2/jobs} ({@code {"data": {"type": "job", "job_type": ..., "filter": ..., "format": ...,
 * "compression": ..., "columns": [...], "timezone": ..., "rows": ...}}}, the options optional), checked
 * for shape only; what the values mean is {@link JobService}'s to judge.
 */
record CreateJobBody(String jobType, String filter, ExportOptions.Requested options) {

    private static final Set<String> MEMBERS = Set.of("type", "job_type", "filter", "format", "compression", "columns",
            "timezone", "rows");

    static CreateJobBody parse(String body) throws ApiError {
        DataObject data = DataObject.parse(body, MEMBERS, "{\"data\": {\"job_type\": ..., \"filter\": ...}}");
        data.requireType("job");
        String jobType = data.requiredText("job_type", jobTypesHint());
        return new CreateJobBody(jobType, data.requiredText("filter", ""), options(data));
    }

    /** The export options a body names beside its filter (a schedule's body names them too). */
    static ExportOptions.Requested options(DataObject data) throws ApiError {
        return new ExportOptions.Requested(data.optionalText("format"), data.optionalText("compression"),
                data.optionalList("columns"), data.optionalText("timezone"), data.optionalText("rows"));
    }

    static String jobTypesHint() {
        return "; supported job types: " + String.join(", ", JobService.SUPPORTED_JOB_TYPES);
    }
}
