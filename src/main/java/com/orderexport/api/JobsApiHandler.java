package com.orderexport.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.orderexport.config.AwsClients;
import com.orderexport.config.AwsFailures;
import com.orderexport.config.ScheduleLimits;
import com.orderexport.config.Settings;
import com.orderexport.jobs.Admission;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobListFilter;
import com.orderexport.jobs.JobProblem;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.JobStore;
import com.orderexport.observe.Log;
import com.orderexport.observe.Metrics;
import com.orderexport.observe.Metrics.Metric;
import com.orderexport.schedules.Deliveries;
import com.orderexport.schedules.Schedule;
import com.orderexport.schedules.ScheduleProblem;
import com.orderexport.schedules.ScheduleService;
import com.orderexport.schedules.ScheduleStore;
import com.orderexport.store.StoreId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.crac.Core;
import org.crac.Resource;

/**
 * The HTTP API (payload 2.0) adapter of the Jobs API: turns a request into a call on {@link JobService}
 * and its answer, or its refusal, into an Elastic Path JSON body.
 */
public final class JobsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        Resource {

    /** Long enough for SDK-level retries to have been no use, short enough for a client to wait out. */
    static final int RETRY_AFTER_SECONDS = 5;
    /** Contention clears within a few transactions' time: a second is plenty. */
    static final int CONTENTION_RETRY_AFTER_SECONDS = 1;
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final JobService jobs;
    private final Settings settings;
    private final String storeClaim;
    private final Optional<String> publicBaseUrl;
    private final Log log;
    private final Metrics metrics;
    private final Clock clock;
    private final JsonApi json = new JsonApi();
    private final Optional<ScheduleService> schedules;

    /** What Lambda calls: clients are built once per container, from the environment. */
    public JobsApiHandler() {
        this(Settings.fromEnvironment());
        // SnapStart primes through this before its snapshot; the registry holds it weakly, the runtime strongly.
        Core.getGlobalContext().register(this);
    }

    public JobsApiHandler(Settings settings) {
        this(new JobService(
                new JobStore(AwsClients.dynamoDb(AwsClients.Budget.REQUEST), Settings.required(Settings.JOBS_TABLE, settings.jobsTable())),
                new LinkSigner(AwsClients.presigner(settings),
                        Settings.required(Settings.EXPORT_BUCKET, settings.exportBucket())),
                settings.linkTtl(), Clock.systemUTC(), settings.maxUnfinishedJobsPerStore()), settings);
    }

    /** Logs through the runtime's logger at the settings' level and counts in the settings' namespace. */
    public JobsApiHandler(JobService jobs, Settings settings) {
        this(jobs, settings, Log.toRuntime(Log.Level.parse(settings.logLevel())),
                new Metrics(settings.metricsNamespace()), Clock.systemUTC());
    }

    public JobsApiHandler(JobService jobs, Settings settings, Log log, Metrics metrics, Clock clock) {
        this.jobs = jobs;
        this.settings = settings;
        this.storeClaim = settings.storeClaim();
        this.publicBaseUrl = settings.publicBaseUrl();
        this.log = log;
        this.metrics = metrics;
        this.clock = clock;
        this.schedules = schedulesOf(settings, clock);
    }

    /** The schedules of a deployment with a schedules table, their deliveries set up where it has their role. */
    private static Optional<ScheduleService> schedulesOf(Settings settings, Clock clock) {
        ScheduleLimits limits = settings.schedules();
        if (limits.table() == null) {
            return Optional.empty();
        }
        Deliveries deliveries = limits.delivers() ? new Deliveries(AwsClients.eventBridge(AwsClients.Budget.REQUEST),
                settings.eventBusName(), limits.deliveryRole(), limits.deadLetters()) : null;
        return Optional.of(new ScheduleService(new ScheduleStore(AwsClients.dynamoDb(AwsClients.Budget.REQUEST),
                limits.table()), limits, clock, deliveries));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = clock.millis();
        ApiRequest request = ApiRequest.of(event, context);
        Log requestLog = log.forInvocation(context, request.requestId());
        APIGatewayV2HTTPResponse response;
        try {
            response = handle(request, requestLog);
        } catch (ApiError e) {
            response = respond(e.status(), json.error(e.status(), e.detail(), request.requestId()), e.headers());
            if (isCreate(request)) {
                // The detail may quote the client's filter: customer data, so DEBUG only.
                requestLog.info("job rejected", "status", e.status());
                requestLog.debug("job rejected", "status", e.status(), "detail", e.detail());
                metrics.record(requestLog).put(Metric.JOBS_REJECTED, 1)
                        .dimension("Status", Integer.toString(e.status())).emit();
            }
        } catch (RuntimeException e) {
            if (AwsFailures.isContention(e) || AwsFailures.isTransient(e)) {
                // Nothing was half-written (every write is one atomic call), so the client may simply try again:
                // soon and slower when the store's items are contended (a burst of creates meets on its admission
                // count) or the table throttles, after a pause when a dependency is down.
                boolean contention = AwsFailures.isContention(e);
                int status = contention ? 429 : 503;
                int retryAfter = contention ? CONTENTION_RETRY_AFTER_SECONDS : RETRY_AFTER_SECONDS;
                requestLog.warn(contention ? "request answered 429: contention on the store's items"
                        : "request answered 503: a dependency is unavailable", e, "status", status,
                        "method", request.method(), "path", request.path());
                response = respond(status, json.error(status, (contention ? "Too many requests for this store at once"
                        : "The service is briefly unavailable") + "; try again in " + retryAfter + " seconds",
                        request.requestId()), Map.of("Retry-After", Integer.toString(retryAfter)));
                requestLog.debug("request", "method", request.method(), "path", request.path(),
                        "status", status, "duration_ms", clock.millis() - started);
                return response;
            }
            // The client gets the request id only; the cause stays in the log, findable by that id.
            requestLog.error("request failed", e, "status", 500, "method", request.method(), "path", request.path());
            response = respond(500, json.error(500,
                    "There was an internal server error, you can report with your request id.",
                    request.requestId()), Map.of());
        }
        requestLog.debug("request", "method", request.method(), "path", request.path(),
                "status", response.getStatusCode(), "duration_ms", clock.millis() - started);
        return response;
    }

    /** Runs every route once on in-process clients ({@link ApiPriming}), so a restored container starts warm. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            ApiPriming.run(settings);
        } catch (RuntimeException e) {
            // A cold first request is better than no snapshot at all.
            log.warn("priming failed, the snapshot goes on without it", e);
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // the clients reconnect on their own
    }

    private static boolean isCreate(ApiRequest request) {
        return Route.CREATE_JOB.method().equals(request.method()) && Route.CREATE_JOB.match(request.path()).isPresent();
    }

    private APIGatewayV2HTTPResponse handle(ApiRequest request, Log requestLog) throws ApiError {
        StoreId store = storeOf(request);
        List<Route> candidates = Route.matchingPath(request.path());
        if (candidates.isEmpty()) {
            throw ApiError.notFound("No route matches " + request.method() + " " + request.path());
        }
        Route route = candidates.stream().filter(r -> r.method().equals(request.method())).findFirst()
                .orElseThrow(() -> methodNotAllowed(request, candidates));
        String id = route.match(request.path()).orElseThrow();
        try {
            return switch (route) {
                case CREATE_JOB -> create(store, request, requestLog.with("store_id", store.value()));
                case LIST_JOBS -> list(store, request);
                case GET_JOB -> respond(200, json.single(render(liveJob(store, id), request)), Map.of());
                case GET_JOB_FILE -> file(store, id);
                case CANCEL_JOB -> cancel(store, id, request, requestLog.with("store_id", store.value()));
                case CREATE_SCHEDULE -> createSchedule(store, request, requestLog.with("store_id", store.value()));
                case LIST_SCHEDULES -> respond(200, json.schedules(schedules().list(store).stream()
                        .map(schedule -> render(schedule, request)).toList()), Map.of());
                case GET_SCHEDULE -> respond(200, json.single(render(schedules().find(store, id).orElseThrow(
                        () -> ApiError.notFound("No job schedule with id " + id)), request)), Map.of());
                case DELETE_SCHEDULE -> deleteSchedule(store, id, requestLog.with("store_id", store.value()));
            };
        } catch (ScheduleProblem problem) {
            int status = switch (problem.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case AT_LIMIT -> 429;
            };
            throw new ApiError(status, problem.detail());
        } catch (JobProblem problem) {
            int status = switch (problem.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case AT_LIMIT -> 429;
            };
            // A refused create says when to try again, as HTTP's 429 suggests.
            Map<String, String> headers = problem.kind() == JobProblem.Kind.AT_LIMIT
                    ? Map.of("Retry-After", Long.toString(Admission.RETRY_AFTER.toSeconds())) : Map.of();
            throw new ApiError(status, problem.detail(), headers);
        }
    }

    private APIGatewayV2HTTPResponse create(StoreId store, ApiRequest request, Log storeLog)
            throws ApiError, JobProblem {
        CreateJobBody body = CreateJobBody.parse(request.body());
        JobService.Created created = jobs.create(store, body.jobType(), body.filter(), body.options(),
                Optional.ofNullable(request.header("idempotency-key")));
        Job job = created.job();
        Log jobLog = storeLog.with("job_id", job.id());
        if (created.replay()) {
            // The client retried a create that had succeeded: the job exists and was counted when it was stored.
            jobLog.info("job create replayed", "job_type", job.jobType());
        } else {
            jobLog.info("job created", "job_type", job.jobType());
            jobLog.debug("job created", "filter", job.filter());
            metrics.put(jobLog, Metric.JOBS_CREATED, 1);
        }
        return respond(202, json.single(render(job, request)), Map.of("Location", selfUrl(job, request)));
    }

    private APIGatewayV2HTTPResponse createSchedule(StoreId store, ApiRequest request, Log storeLog)
            throws ApiError, ScheduleProblem {
        ScheduleService.Created created = schedules().create(store, CreateScheduleBody.parse(request.body()));
        Schedule schedule = created.schedule();
        storeLog.with("schedule_id", schedule.id()).info("job schedule created", "every", schedule.every(),
                "incremental", schedule.incremental(), "delivered", created.notifySecret() != null);
        return respond(201, json.single(render(schedule, request, created.notifySecret())),
                Map.of("Location", scheduleUrl(schedule, request)));
    }

    private APIGatewayV2HTTPResponse deleteSchedule(StoreId store, String id, Log storeLog)
            throws ApiError, ScheduleProblem {
        schedules().delete(store, id);
        storeLog.with("schedule_id", id).info("job schedule deleted");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of()).build();
    }

    private String render(Schedule schedule, ApiRequest request) {
        return render(schedule, request, null);
    }

    /** The schedule as JSON:API renders it; {@code notifySecret} is there only in the answer to its creation. */
    private String render(Schedule schedule, ApiRequest request, String notifySecret) {
        String runs = request.baseUrl(publicBaseUrl) + "/v2/jobs?filter="
                + URLEncoder.encode("eq(schedule_id," + schedule.id() + ")", StandardCharsets.UTF_8);
        return json.schedule(schedule, scheduleUrl(schedule, request), runs, notifySecret);
    }

    private String scheduleUrl(Schedule schedule, ApiRequest request) {
        return request.baseUrl(publicBaseUrl) + "/v2/job-schedules/" + schedule.id();
    }

    /** The schedule service, or a 404 for a deployment without a schedules table. */
    private ScheduleService schedules() throws ApiError {
        return schedules.orElseThrow(() -> ApiError.notFound("This deployment has no job schedules"));
    }

    private APIGatewayV2HTTPResponse cancel(StoreId store, String id, ApiRequest request, Log storeLog)
            throws JobProblem {
        Job job = jobs.cancel(store, id);
        storeLog.with("job_id", job.id()).info("job cancel requested", "status", job.status().wire());
        return respond(200, json.single(render(job, request)), Map.of());
    }

    private APIGatewayV2HTTPResponse list(StoreId store, ApiRequest request) throws ApiError, JobProblem {
        PageRequest page = PageRequest.of(request.query());
        JobListFilter filter = JobListFilter.parse(request.query().get("filter"));
        String body = json.page(jobs.list(store, filter, page.limit(), page.offset()), job -> render(job, request),
                request.baseUrl(publicBaseUrl) + "/v2/jobs", filter.text());
        return respond(200, body, Map.of());
    }

    private APIGatewayV2HTTPResponse file(StoreId store, String id) throws ApiError {
        Job job = liveJob(store, id);
        String href = jobs.fileLink(job).orElseThrow(() -> ApiError.notFound(JobService.whyNoFile(job)));
        return respond(200, json.fileLink(href), Map.of());
    }

    private Job liveJob(StoreId store, String id) throws ApiError {
        return jobs.find(store, id).orElseThrow(() -> ApiError.notFound("No job with id " + id));
    }

    private String render(Job job, ApiRequest request) {
        return json.job(job, selfUrl(job, request), jobs.fileLink(job).orElse(""));
    }

    private String selfUrl(Job job, ApiRequest request) {
        return request.baseUrl(publicBaseUrl) + "/v2/jobs/" + job.id();
    }

    /** The store comes only from the authorizer's verified claims, never from anything a client sends. */
    private StoreId storeOf(ApiRequest request) throws ApiError {
        String claim = request.claims().get(storeClaim);
        if (claim == null || claim.isBlank()) {
            throw new ApiError(401, "The access token has no " + storeClaim + " claim");
        }
        if (!StoreId.isValid(claim)) {
            throw new ApiError(401, "The access token's " + storeClaim
                    + " claim is not a valid store id (1 to 64 of A-Z, a-z, 0-9, _ and -)");
        }
        return new StoreId(claim);
    }

    private static ApiError methodNotAllowed(ApiRequest request, List<Route> candidates) {
        String allowed = candidates.stream().map(Route::method).distinct().collect(Collectors.joining(", "));
        return new ApiError(405, request.method() + " is not allowed on " + request.path() + "; allowed: " + allowed,
                Map.of("Allow", allowed));
    }

    private static APIGatewayV2HTTPResponse respond(int status, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(JSON);
        headers.putAll(extraHeaders);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false).build();
    }
}
