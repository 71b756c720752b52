package com.orderexport.jobs;

import com.orderexport.store.StoreId;
import com.orderexport.filter.InvalidFilterException;
import com.orderexport.filter.OrderFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creates, finds, lists and links a store's export jobs; the rules of the Jobs API live here. */
public final class JobService {

    public static final List<String> SUPPORTED_JOB_TYPES = List.of(Job.ORDER_EXPORT);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final JobStore store;
    private final JobCancels cancels;
    private final LinkSigner signer;
    private final Duration linkTtl;
    private final Clock clock;
    private final int maxUnfinishedJobs;

    /** @param maxUnfinishedJobs how many of a store's jobs may be pending or processing at once */
    public JobService(JobStore store, LinkSigner signer, Duration linkTtl, Clock clock, int maxUnfinishedJobs) {
        this.store = store;
        this.cancels = store.cancels();
        this.signer = signer;
        this.linkTtl = linkTtl;
        this.clock = clock;
        this.maxUnfinishedJobs = maxUnfinishedJobs;
    }

    /** The job a create request stands for, and whether this request stored it or an earlier one under its key did. */
    public record Created(Job job, boolean replay) {}

    /**
     * Validates and stores a new pending job, unless the store already has its most unfinished jobs. With an
     * idempotency key, a repeat of the same request within {@link IdempotencyRecord#LIFETIME} returns the job
     * the first one created (whatever the store's count), and a different request under the same key is a
     * conflict; either way nothing new is written. {@code requested} is the file's shape as the request names it.
     */
    public Created create(StoreId storeId, String jobType, String filter, ExportOptions.Requested requested,
                          Optional<String> idempotencyKey) throws JobProblem {
        return create(storeId, jobType, filter, requested, idempotencyKey, null);
    }

    /**
     * As {@link #create(StoreId, String, String, ExportOptions.Requested, Optional)}, for a schedule's run
     * ({@code scheduled} names it; null for a caller's job): the same admission, limit and idempotency.
     */
    public Created create(StoreId storeId, String jobType, String filter, ExportOptions.Requested requested,
                          Optional<String> idempotencyKey, ScheduledRun scheduled) throws JobProblem {
        if (!SUPPORTED_JOB_TYPES.contains(jobType)) {
            throw JobProblem.invalid("Unsupported job_type '" + jobType + "'; supported job types: "
                    + String.join(", ", SUPPORTED_JOB_TYPES));
        }
        validateFilter(filter);
        ExportOptions options = ExportOptions.of(requested);
        if (idempotencyKey.isPresent() && !IDEMPOTENCY_KEY.matcher(idempotencyKey.get()).matches()) {
            throw JobProblem.invalid("Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Job job = Job.pending(storeId, JobIds.next(now.toEpochMilli()).toString(), filter, options, now, scheduled);
        String requestHash = requestHash(jobType, filter, options);
        Optional<IdempotencyRecord> record = idempotencyKey.map(key -> new IdempotencyRecord(storeId, key,
                requestHash, job.id(), now.plus(IdempotencyRecord.LIFETIME)));
        Creation creation = store.create(job, record, maxUnfinishedJobs, now);
        if (creation instanceof Creation.Stored) {
            return new Created(job, false);
        }
        if (creation instanceof Creation.AtLimit) {
            throw new JobProblem(JobProblem.Kind.AT_LIMIT, "This store already has " + maxUnfinishedJobs
                    + " unfinished (pending or processing) jobs, the most it may have at once; retry once one of"
                    + " them has completed");
        }
        IdempotencyRecord earlier = ((Creation.Earlier) creation).record();
        if (!earlier.requestHash().equals(requestHash)) {
            throw new JobProblem(JobProblem.Kind.CONFLICT, "Idempotency-Key '" + idempotencyKey.get()
                    + "' was already used with a different request body; use a new key for a new job");
        }
        Job first = find(storeId, earlier.jobId()).orElseThrow(() -> new JobProblem(JobProblem.Kind.CONFLICT,
                "Idempotency-Key '" + idempotencyKey.get() + "' belongs to a job that has expired"));
        return new Created(first, true);
    }

    /** Whether the text has the shape of the ids this service makes (jobs' and schedules'). */
    public static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    /** A live job of this store; another store's job, an expired one and a malformed id are all simply absent. */
    public Optional<Job> find(StoreId storeId, String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.find(storeId, jobId).filter(job -> !job.isExpiredAt(now));
    }

    /**
     * Cancels a live job of this store (see {@link JobCancels}): the job in its new status, or as it was when
     * already cancelling or cancelled.
     *
     * @throws JobProblem not found for another store's, an expired or an unknown job; a conflict for a decided one
     */
    public Job cancel(StoreId storeId, String jobId) throws JobProblem {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw JobProblem.notFound("No job with id " + jobId);
        }
        return cancels.request(storeId, jobId, clock.instant())
                .orElseThrow(() -> JobProblem.notFound("No job with id " + jobId));
    }

    public JobPage list(StoreId storeId, int limit, int offset) {
        return list(storeId, JobListFilter.ALL, limit, offset);
    }

    /** A page of the store's live jobs that {@code filter} selects, newest first; the total counts those only. */
    public JobPage list(StoreId storeId, JobListFilter filter, int limit, int offset) {
        Instant now = clock.instant();
        List<Job> live = store.listNewestFirst(storeId).stream().filter(job -> !job.isExpiredAt(now))
                .filter(filter).toList();
        int from = Math.min(offset, live.size());
        int to = Math.min(from + limit, live.size());
        return new JobPage(live.subList(from, to), limit, offset, live.size());
    }

    /** A fresh presigned link to a job's file, or empty when the job has no file (yet). */
    public Optional<String> fileLink(Job job) {
        if (!job.hasFile()) {
            return Optional.empty();
        }
        // A link must not outlive the job it belongs to.
        Duration untilExpiry = Duration.between(clock.instant(), job.expiresAt());
        Duration ttl = linkTtl.compareTo(untilExpiry) < 0 ? linkTtl : untilExpiry;
        if (ttl.isNegative() || ttl.isZero()) {
            return Optional.empty();
        }
        return Optional.of(signer.sign(job.fileKey(), ttl));
    }

    /** The client-facing reason a job has no file to link to. */
    public static String whyNoFile(Job job) {
        return switch (job.status()) {
            case PENDING -> "Job " + job.id() + " is still pending; its file is not ready yet";
            case PROCESSING -> "Job " + job.id() + " is still processing; its file is not ready yet";
            case FAILED -> "Job " + job.id() + " failed and has no file: " + job.error();
            case COMPLETE -> "Job " + job.id() + " has no file";
            case CANCELLING -> "Job " + job.id() + " is being cancelled and will have no file";
            case CANCELLED -> "Job " + job.id() + " was cancelled and has no file";
        };
    }

    private static void validateFilter(String filter) throws JobProblem {
        try {
            OrderFilter.parse(filter);
        } catch (InvalidFilterException e) {
            throw JobProblem.invalid(e.detail());
        }
    }

    /**
     * What makes two create requests the same. Default options add nothing, so the requests Elastic Path's
     * clients send hash as they always have and their idempotency records stay valid.
     */
    private static String requestHash(String jobType, String filter, ExportOptions options) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(jobType.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(filter.getBytes(StandardCharsets.UTF_8));
            if (!options.equals(ExportOptions.DEFAULT)) {
                for (String part : List.of(options.format(), options.compression(), String.join(",", options.columns()),
                        options.timezone(), options.rows())) {
                    sha.update((byte) 0);
                    sha.update(part.getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
