package com.orderexport.schedules;

import com.orderexport.config.ScheduleLimits;
import com.orderexport.filter.InvalidFilterException;
import com.orderexport.filter.OrderFilter;
import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.JobIds;
import com.orderexport.jobs.JobProblem;
import com.orderexport.jobs.JobService;
import com.orderexport.orders.TimeRange;
import com.orderexport.store.StoreId;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Creates, finds, lists and deletes a store's schedules; the rules a schedule must follow live here. */
public final class ScheduleService {

    /** Loopback hosts: a plain-HTTP notify_url is accepted for them only, which only the local stack can reach. */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    /** A schedule just created, and the secret of its deliveries (null without a notify_url): told only once. */
    public record Created(Schedule schedule, String notifySecret) {}

    private final ScheduleStore store;
    private final ScheduleLimits limits;
    private final Clock clock;
    /** Null where the function sets up no deliveries: a notify_url is then refused. */
    private final Deliveries deliveries;

    public ScheduleService(ScheduleStore store, ScheduleLimits limits, Clock clock, Deliveries deliveries) {
        this.store = store;
        this.limits = limits;
        this.clock = clock;
        this.deliveries = deliveries;
    }

    /**
     * Validates and stores a new schedule, its first run due at the cadence's next due time after now; with a
     * notify_url, its delivery is set up first and taken down again if the schedule is not stored.
     *
     * @throws ScheduleProblem invalid input naming its field, or the store at its limit of schedules
     */
    public Created create(StoreId storeId, ScheduleRequest request) throws ScheduleProblem {
        if (!JobService.SUPPORTED_JOB_TYPES.contains(request.jobType())) {
            throw ScheduleProblem.invalid("job_type", "unsupported job_type '" + request.jobType()
                    + "'; supported job types: " + String.join(", ", JobService.SUPPORTED_JOB_TYPES));
        }
        String filter = request.filter().map(String::trim).orElse("");
        validateFilter(filter, request.incremental());
        ExportOptions options;
        try {
            options = ExportOptions.of(request.options());
        } catch (JobProblem e) {
            throw new ScheduleProblem(ScheduleProblem.Kind.INVALID, e.detail());
        }
        String zone = request.atTimezone().orElse(options.timezone());
        Cadence cadence;
        try {
            cadence = Cadence.parse(request.every(), request.at().orElse(""), zone);
        } catch (InvalidCadenceException e) {
            String field = !e.field().equals("timezone") ? e.field()
                    : request.atTimezone().isPresent() ? "at_timezone" : "timezone";
            throw ScheduleProblem.invalid(field, e.getMessage());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Duration shortest = cadence.shortestInterval(now);
        if (shortest.compareTo(limits.shortestInterval()) < 0) {
            throw ScheduleProblem.invalid("every", "runs would be due " + minutes(shortest) + " apart; at least "
                    + minutes(limits.shortestInterval()) + " must pass between two runs");
        }
        String notifyUrl = request.notifyUrl().map(ScheduleService::checkedNotifyUrl).orElse(null);
        if (notifyUrl != null && notifyUrl.startsWith("!")) {
            throw ScheduleProblem.invalid("notify_url", notifyUrl.substring(1));
        }
        if (notifyUrl != null && deliveries == null) {
            throw ScheduleProblem.invalid("notify_url", "this deployment delivers no events; leave notify_url out");
        }
        Schedule schedule = new Schedule(storeId, JobIds.next(now.toEpochMilli()).toString(), request.jobType(),
                filter, options, request.every().trim(), request.at().map(String::trim).orElse(""), zone,
                request.incremental(), notifyUrl, now,
                new Schedule.Progress(cadence.next(now), null, null, null, null, 0));
        String secret = notifyUrl == null ? null : deliveries.open(schedule.id(), notifyUrl);
        boolean stored = false;
        try {
            stored = store.create(schedule, limits.maxPerStore(), schedule.progress().nextDue().plus(limits.settle()));
        } finally {
            if (!stored && secret != null) {
                deliveries.close(schedule.id());
            }
        }
        if (!stored) {
            throw new ScheduleProblem(ScheduleProblem.Kind.AT_LIMIT, "This store already has " + limits.maxPerStore()
                    + " schedules, the most it may have; delete one to make room");
        }
        return new Created(schedule, secret);
    }

    public Optional<Schedule> find(StoreId storeId, String id) {
        return JobService.isJobId(id) ? store.find(storeId, id) : Optional.empty();
    }

    public List<Schedule> list(StoreId storeId) {
        return store.list(storeId);
    }

    /**
     * Deletes a schedule: no more runs are made, and none is delivered; runs already made stay jobs like any other.
     * The delivery goes first, so a delete that fails half-way leaves the schedule for the client to delete again.
     */
    public void delete(StoreId storeId, String id) throws ScheduleProblem {
        Optional<Schedule> schedule = find(storeId, id);
        if (schedule.isPresent() && schedule.get().notifyUrl() != null && deliveries != null) {
            deliveries.close(id);
        }
        if (schedule.isEmpty() || !store.delete(storeId, id)) {
            throw new ScheduleProblem(ScheduleProblem.Kind.NOT_FOUND, "No job schedule with id " + id);
        }
    }

    /**
     * A schedule's filter must parse; an incremental one's must leave updated_at alone (each run sets its own
     * window there) and may be empty (every changed order); any other one is required, as a job's is.
     */
    private static void validateFilter(String filter, boolean incremental) throws ScheduleProblem {
        if (filter.isEmpty()) {
            if (!incremental) {
                throw ScheduleProblem.invalid("filter", "is required unless the schedule is incremental");
            }
            return;
        }
        OrderFilter parsed;
        try {
            parsed = OrderFilter.parse(filter);
        } catch (InvalidFilterException e) {
            throw ScheduleProblem.invalid("filter", e.detail());
        }
        if (incremental && !parsed.updatedAtRange().equals(TimeRange.ALL)) {
            throw ScheduleProblem.invalid("filter", "an incremental schedule bounds updated_at itself, to each run's"
                    + " window; leave updated_at out of its filter");
        }
    }

    /** The URL as given, or '!' and why it is refused. */
    private static String checkedNotifyUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return "!not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return "!must be an absolute https URL with a host and no user information";
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK.contains(uri.getHost()))) {
            return "!must be an https URL";
        }
        if (uri.toString().length() > 2048) {
            return "!must be at most 2048 characters";
        }
        return uri.toString();
    }

    private static String minutes(Duration d) {
        long m = d.toMinutes();
        return m == 1 ? "1 minute" : m + " minutes";
    }
}
