package com.orderexport.schedules;

import com.orderexport.jobs.ExportOptions;
import com.orderexport.store.StoreId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One store's schedule of exports as the schedules table holds it: what each run exports (job type, filter, the
 * file's options), when runs are due, whether they are incremental, where completions are announced, and where the
 * series stands.
 *
 * @param filter     the schedule's own filter; empty for an incremental schedule of every changed order
 * @param atTimezone the zone {@code every}/{@code at} are read in
 * @param notifyUrl  where each run's completion is POSTed, or null
 */
public record Schedule(
        StoreId storeId,
        String id,
        String jobType,
        String filter,
        ExportOptions options,
        String every,
        String at,
        String atTimezone,
        boolean incremental,
        String notifyUrl,
        Instant createdAt,
        Progress progress) {

    /**
     * Where a series stands: the next due time to run, the upper bound of the last completed incremental run (the
     * next window's start; null before the first completes), the run under way (null when none is), and a version
     * that every change of the series increments, so two runners never both move it.
     */
    public record Progress(Instant nextDue, Instant watermark, OpenRun open, Instant lastDue, String lastJobId,
                           long version) {}

    /**
     * The run a schedule is making or waiting on: its due time and window (from null on a first run; both null when
     * not incremental), claimed before its job is created, and its job once created ({@code jobId} null until then).
     */
    public record OpenRun(String jobId, Instant dueAt, Instant windowFrom, Instant windowTo) {
        OpenRun created(String id) {
            return new OpenRun(id, dueAt, windowFrom, windowTo);
        }
    }

    /** The cadence this schedule's runs follow (its fields were checked when it was created). */
    public Cadence cadence() {
        try {
            return Cadence.parse(every, at, atTimezone);
        } catch (InvalidCadenceException e) {
            throw new IllegalStateException("a stored schedule has an invalid cadence: " + e.getMessage(), e);
        }
    }

    /** The options as a create request names them, for the runs' jobs. */
    public ExportOptions.Requested requestedOptions() {
        return new ExportOptions.Requested(Optional.of(options.format()), Optional.of(options.compression()),
                options.columns().isEmpty() ? Optional.empty() : Optional.of(List.copyOf(options.columns())),
                Optional.of(options.timezone()), Optional.of(options.rows()));
    }

    public Schedule with(Progress next) {
        return new Schedule(storeId, id, jobType, filter, options, every, at, atTimezone, incremental, notifyUrl,
                createdAt, next);
    }
}
