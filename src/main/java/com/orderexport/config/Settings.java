package com.orderexport.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the functions read, and the one place their environment variable names are written.
 * The AWS endpoint and region are not here: the SDK reads {@code AWS_ENDPOINT_URL} and {@code AWS_REGION} itself.
 */
public record Settings(
        String jobsTable,
        String ordersTable,
        String exportBucket,
        String storeClaim,
        Optional<String> publicBaseUrl,
        Duration linkTtl,
        boolean s3PathStyle,
        Duration exportQuantum,
        int maxUnfinishedJobsPerStore) {

    public static final String JOBS_TABLE = "JOBS_TABLE";
    public static final String ORDERS_TABLE = "ORDERS_TABLE";
    public static final String EXPORT_BUCKET = "EXPORT_BUCKET";
    public static final String STORE_CLAIM = "STORE_CLAIM";
    public static final String PUBLIC_BASE_URL = "PUBLIC_BASE_URL";
    public static final String LINK_TTL_SECONDS = "LINK_TTL_SECONDS";
    /** Emulators such as moto and LocalStack serve buckets by path, not by virtual host. */
    public static final String S3_FORCE_PATH_STYLE = "S3_FORCE_PATH_STYLE";
    /** How long an export holds its lane before it hands off, so other stores' jobs get a turn. */
    public static final String EXPORT_QUANTUM_SECONDS = "EXPORT_QUANTUM_SECONDS";
    /** How many of a store's jobs may be pending or processing at once; beyond it a create is refused. */
    public static final String MAX_UNFINISHED_JOBS_PER_STORE = "MAX_UNFINISHED_JOBS_PER_STORE";

    static final String DEFAULT_STORE_CLAIM = "store_id";
    static final Duration DEFAULT_LINK_TTL = Duration.ofHours(1);
    static final Duration DEFAULT_EXPORT_QUANTUM = Duration.ofMinutes(2);
    static final int DEFAULT_MAX_UNFINISHED_JOBS_PER_STORE = 10;

    public Settings {
        if (linkTtl.isNegative() || linkTtl.isZero()) {
            throw new IllegalArgumentException(LINK_TTL_SECONDS + " must be a positive number of seconds");
        }
        if (exportQuantum.isNegative() || exportQuantum.isZero()) {
            throw new IllegalArgumentException(EXPORT_QUANTUM_SECONDS + " must be a positive number of seconds");
        }
        if (maxUnfinishedJobsPerStore < 1) {
            throw new IllegalArgumentException(MAX_UNFINISHED_JOBS_PER_STORE + " must be at least 1");
        }
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads settings from a map of environment variables; absent optional ones take their defaults. */
    public static Settings from(Map<String, String> env) {
        return new Settings(
                valueOf(env, JOBS_TABLE).orElse(null),
                valueOf(env, ORDERS_TABLE).orElse(null),
                valueOf(env, EXPORT_BUCKET).orElse(null),
                valueOf(env, STORE_CLAIM).orElse(DEFAULT_STORE_CLAIM),
                valueOf(env, PUBLIC_BASE_URL).map(url -> url.replaceAll("/+$", "")),
                valueOf(env, LINK_TTL_SECONDS).map(v -> seconds(LINK_TTL_SECONDS, v)).orElse(DEFAULT_LINK_TTL),
                valueOf(env, S3_FORCE_PATH_STYLE).map(Boolean::parseBoolean).orElse(false),
                valueOf(env, EXPORT_QUANTUM_SECONDS).map(v -> seconds(EXPORT_QUANTUM_SECONDS, v))
                        .orElse(DEFAULT_EXPORT_QUANTUM),
                valueOf(env, MAX_UNFINISHED_JOBS_PER_STORE).map(v -> whole(MAX_UNFINISHED_JOBS_PER_STORE, v))
                        .orElse(DEFAULT_MAX_UNFINISHED_JOBS_PER_STORE));
    }

    /** The value, failing at start-up rather than on the first request when a required setting is missing. */
    public static String required(String name, String value) {
        if (value == null) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static Optional<String> valueOf(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Duration seconds(String name, String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number of seconds: " + value);
        }
    }

    private static int whole(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + value);
        }
    }
}
