package com.orderexport.schedules;

import com.orderexport.config.AwsClients;
import com.orderexport.config.ScheduleLimits;
import com.orderexport.config.Settings;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobProblem;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.JobStatus;
import com.orderexport.jobs.JobStore;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.ScheduledRun;
import com.orderexport.observe.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import com.orderexport.store.StoreId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Makes schedules' runs, once a minute: each schedule the {@code DueIndex} says is due gets its run created as an
 * ordinary job (same admission, limit, lanes and events as a caller's), exactly once per due time however often
 * and however late the runner runs, and an incremental series moves its watermark only when a run completes.
 *
 * <p>A run is made in two steps, each a conditional write on the schedule's version: first the run is claimed (its
 * due time and window written into the schedule), then its job is created under the idempotency key
 * {@code schedule:<id>:<due ms>} and named in the schedule. A runner that crashes between the two, or two runners
 * racing, meet the claim and create the same job again, which the key turns into a replay of the first.
 *
 * <p>A schedule waits for its run to be decided before it makes the next one: a run still going when the next due
 * time passes is followed by one run for the latest due time then passed (an incremental one covers the whole gap),
 * so a slow store never piles up runs against its limit of unfinished jobs.
 */
public final class ScheduleRunner {

    /** What one tick did, for its log line and the tests. */
    public record Tick(int looked, int created, int decided, int waiting) {}

    private final ScheduleStore schedules;
    private final JobService jobs;
    private final Duration settle;
    private final Clock clock;
    private final Log log;

    /** @param settle how long after a due time its run is created (late webhook deliveries land meanwhile) */
    /**
     * The runner of a deployment: its jobs and schedules tables as {@code settings} name them, read through
     * {@code dynamo}, its due times told by {@code clock}.
     */
    public static ScheduleRunner of(Settings settings, DynamoDbClient dynamo, Clock clock, Log log) {
        JobService jobs = new JobService(new JobStore(dynamo, Settings.required(Settings.JOBS_TABLE, settings.jobsTable())),
                new LinkSigner(AwsClients.presigner(settings),
                        Settings.required(Settings.EXPORT_BUCKET, settings.exportBucket())),
                settings.linkTtl(), Clock.systemUTC(), settings.maxUnfinishedJobsPerStore());
        ScheduleStore schedules = new ScheduleStore(dynamo,
                Settings.required(ScheduleLimits.SCHEDULES_TABLE, settings.schedules().table()));
        return new ScheduleRunner(schedules, jobs, settings.schedules().settle(), clock, log);
    }

    public ScheduleRunner(ScheduleStore schedules, JobService jobs, Duration settle, Clock clock, Log log) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.settle = settle;
        this.clock = clock;
        this.log = log;
    }

    /** Looks at every schedule that is due by now. */
    public Tick tick() {
        Instant now = clock.instant();
        int looked = 0;
        int created = 0;
        int decided = 0;
        int waiting = 0;
        for (Map.Entry<StoreId, String> key : schedules.due(now)) {
            Optional<Schedule> found = schedules.find(key.getKey(), key.getValue());
            if (found.isEmpty()) {
                continue; // deleted since the index was written
            }
            looked++;
            Outcome outcome = step(found.get(), now);
            created += outcome == Outcome.CREATED ? 1 : 0;
            decided += outcome == Outcome.DECIDED ? 1 : 0;
            waiting += outcome == Outcome.WAITING ? 1 : 0;
        }
        return new Tick(looked, created, decided, waiting);
    }

    private enum Outcome { CREATED, DECIDED, WAITING, NOT_DUE, RACED }

    private Outcome step(Schedule schedule, Instant now) {
        Log scheduleLog = log.with("store_id", schedule.storeId().value()).with("schedule_id", schedule.id());
        Schedule.Progress progress = schedule.progress();
        Schedule.OpenRun open = progress.open();
        boolean decided = false;
        if (open != null && open.jobId() != null) {
            Optional<Job> job = jobs.find(schedule.storeId(), open.jobId());
            if (job.isPresent() && !job.get().status().isFinal()) {
                return Outcome.WAITING;
            }
            boolean complete = job.isPresent() && job.get().status() == JobStatus.COMPLETE;
            // Only a completed run moves the watermark: a failed, cancelled or expired one leaves its window open.
            progress = new Schedule.Progress(progress.nextDue(),
                    complete && open.windowTo() != null ? open.windowTo() : progress.watermark(), null,
                    open.dueAt(), open.jobId(), progress.version());
            scheduleLog.info("scheduled run decided", "job_id", open.jobId(),
                    "status", job.map(j -> j.status().wire()).orElse("expired"));
            open = null;
            decided = true;
        }
        if (open == null) {
            Instant createAt = progress.nextDue().plus(settle);
            if (now.isBefore(createAt)) {
                if (decided) {
                    return schedules.advance(schedule, progress, createAt) ? Outcome.DECIDED : Outcome.RACED;
                }
                return Outcome.NOT_DUE;
            }
            // One run for the latest due time passed: a runner that woke late does not make one per missed time.
            Instant due = schedule.cadence().latest(now.minus(settle));
            open = schedule.incremental() ? new Schedule.OpenRun(null, due, progress.watermark(), due)
                    : new Schedule.OpenRun(null, due, null, null);
            Schedule.Progress claimed = new Schedule.Progress(schedule.cadence().next(due), progress.watermark(), open,
                    progress.lastDue(), progress.lastJobId(), progress.version());
            if (!schedules.advance(schedule, claimed, now)) {
                return Outcome.RACED;
            }
            schedule = schedule.with(new Schedule.Progress(claimed.nextDue(), claimed.watermark(), open,
                    claimed.lastDue(), claimed.lastJobId(), progress.version() + 1));
            progress = schedule.progress();
        }
        ScheduledRun run = new ScheduledRun(schedule.id(), open.dueAt(), open.windowFrom(), open.windowTo());
        String filter = run.windowTerms().isEmpty() ? schedule.filter()
                : schedule.filter().isEmpty() ? run.windowTerms() : run.windowTerms() + ":" + schedule.filter();
        JobService.Created created;
        try {
            created = jobs.create(schedule.storeId(), schedule.jobType(), filter, schedule.requestedOptions(),
                    Optional.of("schedule:" + schedule.id() + ":" + open.dueAt().toEpochMilli()), run);
        } catch (JobProblem problem) {
            // The store is at its limit of unfinished jobs: the claim stands, and the next tick tries again.
            scheduleLog.warn("scheduled run not created yet: " + problem.kind(), "due_at", open.dueAt().toString());
            return Outcome.WAITING;
        }
        Schedule.Progress named = new Schedule.Progress(progress.nextDue(), progress.watermark(),
                open.created(created.job().id()), progress.lastDue(), progress.lastJobId(), progress.version());
        if (!schedules.advance(schedule, named, now)) {
            return Outcome.RACED;
        }
        scheduleLog.info("scheduled run created", "job_id", created.job().id(), "due_at", open.dueAt().toString(),
                "replay", created.replay());
        return Outcome.CREATED;
    }
}
