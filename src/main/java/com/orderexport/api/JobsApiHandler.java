package com.orderexport.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderexport.config.AwsClients;
import com.orderexport.config.Settings;
import com.orderexport.jobs.LinkSigner;
import com.orderexport.jobs.Job;
import com.orderexport.jobs.JobProblem;
import com.orderexport.jobs.JobService;
import com.orderexport.jobs.JobStore;
import com.orderexport.store.StoreId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HTTP API (payload 2.0) adapter of the Jobs API: turns a request into a call on {@link JobService}
 * and its answer, or its refusal, into an Elastic Path JSON body.
 */
public final class JobsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final int DEFAULT_PAGE_LIMIT = 25;
    static final int MAX_PAGE_LIMIT = 100;
    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("\\d{1,9}");
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private final JobService jobs;
    private final String storeClaim;
    private final Optional<String> publicBaseUrl;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonApi json = new JsonApi(mapper);

    /** What Lambda calls: clients are built once per container, from the environment. */
    public JobsApiHandler() {
        this(Settings.fromEnvironment());
    }

    public JobsApiHandler(Settings settings) {
        this(new JobService(
                new JobStore(AwsClients.dynamoDb(), Settings.required(Settings.JOBS_TABLE, settings.jobsTable())),
                new LinkSigner(AwsClients.presigner(settings),
                        Settings.required(Settings.EXPORT_BUCKET, settings.exportBucket())),
                settings.linkTtl(), Clock.systemUTC()), settings);
    }

    public JobsApiHandler(JobService jobs, Settings settings) {
        this.jobs = jobs;
        this.storeClaim = settings.storeClaim();
        this.publicBaseUrl = settings.publicBaseUrl();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Request request = Request.of(event, context);
        try {
            return handle(request);
        } catch (ApiError e) {
            return respond(e.status(), json.error(e.status(), e.detail(), request.requestId()), e.headers());
        } catch (RuntimeException e) {
            // The client gets the request id only; the cause stays in the log, findable by that id.
            System.err.println("request_id=" + request.requestId() + " status=500 " + request.method() + " "
                    + request.path() + " error=" + e);
            e.printStackTrace();
            return respond(500, json.error(500,
                    "There was an internal server error, you can report with your request id.",
                    request.requestId()), Map.of());
        }
    }

    private APIGatewayV2HTTPResponse handle(Request request) throws ApiError {
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
                case CREATE_JOB -> create(store, request);
                case LIST_JOBS -> list(store, request);
                case GET_JOB -> respond(200, json.single(render(liveJob(store, id), request)), Map.of());
                case GET_JOB_FILE -> file(store, id);
            };
        } catch (JobProblem problem) {
            int status = switch (problem.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            throw new ApiError(status, problem.detail());
        }
    }

    private APIGatewayV2HTTPResponse create(StoreId store, Request request) throws ApiError, JobProblem {
        JsonNode data = dataOf(request.body());
        JsonNode type = data.get("type");
        if (type != null && !"job".equals(type.textValue())) {
            throw ApiError.badRequest("data.type must be 'job' when given");
        }
        String jobType = requiredText(data, "job_type", "; supported job types: "
                + String.join(", ", JobService.SUPPORTED_JOB_TYPES));
        String filter = requiredText(data, "filter", "");
        Job job = jobs.create(store, jobType, filter, Optional.ofNullable(request.header("idempotency-key")));
        ObjectNode rendered = render(job, request);
        return respond(202, json.single(rendered), Map.of("Location", rendered.path("links").path("self").asText()));
    }

    private APIGatewayV2HTTPResponse list(StoreId store, Request request) throws ApiError {
        int limit = pageParameter(request, "page[limit]", DEFAULT_PAGE_LIMIT);
        if (limit < 1 || limit > MAX_PAGE_LIMIT) {
            throw ApiError.badRequest("page[limit] must be between 1 and " + MAX_PAGE_LIMIT);
        }
        int offset = pageParameter(request, "page[offset]", 0);
        String body = json.page(jobs.list(store, limit, offset), job -> render(job, request),
                request.baseUrl(publicBaseUrl) + "/v2/jobs");
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

    private ObjectNode render(Job job, Request request) {
        String self = request.baseUrl(publicBaseUrl) + "/v2/jobs/" + job.id();
        return json.job(job, self, jobs.fileLink(job).orElse(""));
    }

    /** The store comes only from the authorizer's verified claims, never from anything a client sends. */
    private StoreId storeOf(Request request) throws ApiError {
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

    private JsonNode dataOf(String body) throws ApiError {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("The request body is empty; expected {\"data\": {\"job_type\": ..., \"filter\": ...}}");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw ApiError.badRequest("The request body must have a data object");
        }
        return data;
    }

    private static String requiredText(JsonNode data, String field, String hint) throws ApiError {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.badRequest("data." + field + " is required" + hint);
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("data." + field + " must be a string" + hint);
        }
        if (value.textValue().isBlank()) {
            throw ApiError.badRequest("data." + field + " must not be blank" + hint);
        }
        return value.textValue();
    }

    private static int pageParameter(Request request, String name, int fallback) throws ApiError {
        String value = request.query().get(name);
        if (value == null) {
            return fallback;
        }
        if (!NON_NEGATIVE_INTEGER.matcher(value.trim()).matches()) {
            throw ApiError.badRequest(name + " must be a non-negative integer, not '" + value + "'");
        }
        return Integer.parseInt(value.trim());
    }

    private static ApiError methodNotAllowed(Request request, List<Route> candidates) {
        String allowed = candidates.stream().map(Route::method).distinct().collect(Collectors.joining(", "));
        return new ApiError(405, request.method() + " is not allowed on " + request.path() + "; allowed: " + allowed,
                Map.of("Allow", allowed));
    }

    private static APIGatewayV2HTTPResponse respond(int status, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new java.util.HashMap<>(JSON);
        headers.putAll(extraHeaders);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false).build();
    }

    /** The parts of an HTTP API event the handler uses, with absent parts as empty values. */
    private record Request(String method, String path, Map<String, String> headers, Map<String, String> query,
                           String body, Map<String, String> claims, String requestId, String host, String stage) {

        static Request of(APIGatewayV2HTTPEvent event, Context context) {
            var ctx = event.getRequestContext();
            String method = ctx != null && ctx.getHttp() != null ? ctx.getHttp().getMethod() : null;
            String stage = ctx == null || ctx.getStage() == null ? "$default" : ctx.getStage();
            String requestId = ctx != null && ctx.getRequestId() != null ? ctx.getRequestId()
                    : context != null ? context.getAwsRequestId() : "unknown";
            Map<String, String> claims = ctx != null && ctx.getAuthorizer() != null
                    && ctx.getAuthorizer().getJwt() != null && ctx.getAuthorizer().getJwt().getClaims() != null
                    ? ctx.getAuthorizer().getJwt().getClaims() : Map.of();
            Map<String, String> headers = event.getHeaders() == null ? Map.of()
                    : event.getHeaders().entrySet().stream().collect(Collectors.toMap(
                            e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, (a, b) -> a + "," + b));
            String host = ctx != null && ctx.getDomainName() != null ? ctx.getDomainName() : headers.get("host");
            return new Request(
                    method == null ? "GET" : method.toUpperCase(Locale.ROOT),
                    pathWithoutStage(event.getRawPath(), stage),
                    headers,
                    event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters(),
                    bodyOf(event),
                    claims,
                    requestId,
                    host,
                    stage);
        }

        String header(String name) {
            return headers.get(name);
        }

        /** The API's absolute base URL: the configured public one, else this request's host and stage. */
        String baseUrl(Optional<String> publicBaseUrl) {
            if (publicBaseUrl.isPresent()) {
                return publicBaseUrl.get();
            }
            String proto = headers.getOrDefault("x-forwarded-proto", "https");
            return proto + "://" + host + ("$default".equals(stage) ? "" : "/" + stage);
        }

        private static String pathWithoutStage(String rawPath, String stage) {
            String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
            // HTTP APIs put a named stage in front of the path; the routes do not include it.
            if (!"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
                path = path.substring(stage.length() + 1);
            }
            return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        }

        /** The body as text; one marked base64 that does not decode is kept as sent, and so fails as JSON. */
        private static String bodyOf(APIGatewayV2HTTPEvent event) {
            String body = event.getBody();
            if (body != null && event.getIsBase64Encoded()) {
                try {
                    return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException notBase64) {
                    return body;
                }
            }
            return body;
        }
    }
}
