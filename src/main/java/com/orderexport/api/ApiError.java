package com.orderexport.api;

import java.util.Map;

/** An HTTP error answer: its status, its Elastic Path title, a precise detail and any extra headers. */
final class ApiError extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, String> headers;

    ApiError(int status, String detail) {
        this(status, detail, Map.of());
    }

    ApiError(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    String detail() {
        return getMessage();
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiError badRequest(String detail) {
        return new ApiError(400, detail);
    }

    static ApiError notFound(String detail) {
        return new ApiError(404, detail);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            default -> "Internal Server Error";
        };
    }
}
