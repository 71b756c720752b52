package com.orderexport.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Jobs API routes, as template.yaml declares them for the HTTP API (a test keeps the two equal).
 * Requests reaching the function through the {@code $default} route are matched here too, so a wrong
 * method on a known path is told 405, not 404.
 */
public enum Route {
    CREATE_JOB("POST", "/v2/jobs"),
    LIST_JOBS("GET", "/v2/jobs"),
    GET_JOB("GET", "/v2/jobs/{id}"),
    GET_JOB_FILE("GET", "/v2/jobs/{id}/file"),
    /** An extension of Elastic Path's Jobs API, in the shape of its newer job APIs' cancel. */
    CANCEL_JOB("POST", "/v2/jobs/{id}/cancel"),
    /** Job schedules: an extension of Elastic Path's Jobs API, in its JSON:API style. */
    CREATE_SCHEDULE("POST", "/v2/job-schedules"),
    LIST_SCHEDULES("GET", "/v2/job-schedules"),
    GET_SCHEDULE("GET", "/v2/job-schedules/{id}"),
    DELETE_SCHEDULE("DELETE", "/v2/job-schedules/{id}");

    private final String method;
    private final String path;
    private final String[] segments;

    Route(String method, String path) {
        this.method = method;
        this.path = path;
        this.segments = path.substring(1).split("/");
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The job id when the path matches this route's shape (or "" for routes without one), else empty. */
    Optional<String> match(String requestPath) {
        String[] parts = requestPath.substring(1).split("/", -1);
        if (parts.length != segments.length) {
            return Optional.empty();
        }
        String id = "";
        for (int i = 0; i < parts.length; i++) {
            if (segments[i].equals("{id}")) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                id = parts[i];
            } else if (!segments[i].equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(id);
    }

    /** Every route whose path has the request's shape, whatever its method. */
    static List<Route> matchingPath(String requestPath) {
        return Arrays.stream(values()).filter(route -> route.match(requestPath).isPresent()).toList();
    }
}
