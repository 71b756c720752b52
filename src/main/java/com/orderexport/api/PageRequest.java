package com.orderexport.api;

import java.util.Map;
import java.util.regex.Pattern;

/** Elastic Path's paging parameters, {@code page[limit]} and {@code page[offset]}, checked. */
record PageRequest(int limit, int offset) {

    static final int DEFAULT_PAGE_LIMIT = 25;
    static final int MAX_PAGE_LIMIT = 100;
    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("\\d{1,9}");

    static PageRequest of(Map<String, String> query) throws ApiError {
        int limit = parameter(query, "page[limit]", DEFAULT_PAGE_LIMIT);
        if (limit < 1 || limit > MAX_PAGE_LIMIT) {
            throw ApiError.badRequest("page[limit] must be between 1 and " + MAX_PAGE_LIMIT);
        }
        return new PageRequest(limit, parameter(query, "page[offset]", 0));
    }

    private static int parameter(Map<String, String> query, String name, int fallback) throws ApiError {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        if (!NON_NEGATIVE_INTEGER.matcher(value.trim()).matches()) {
            throw ApiError.badRequest(name + " must be a non-negative integer, not '" + value + "'");
        }
        return Integer.parseInt(value.trim());
    }
}
