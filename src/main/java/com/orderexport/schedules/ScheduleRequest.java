package com.orderexport.schedules;

import com.orderexport.jobs.ExportOptions;
import java.util.Optional;

/**
 * A create-schedule request as the caller wrote it, checked for shape only ({@link ScheduleService} judges the
 * values): the job each run creates, when runs are due, whether they are incremental, and where to announce them.
 */
public record ScheduleRequest(
        String jobType,
        Optional<String> filter,
        ExportOptions.Requested options,
        String every,
        Optional<String> at,
        Optional<String> atTimezone,
        boolean incremental,
        Optional<String> notifyUrl) {}
