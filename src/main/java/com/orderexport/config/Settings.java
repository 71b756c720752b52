package com.orderexport.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        Duration stuckAfter,
        int maxRedrives,
        String logLevel,
        String metricsNamespace,
        String eventBusName,
        String clientsTable,
        String signingKeyId,
        Optional<String> signingKeyArn,
        List<String> retiredSigningKeyArns,
        String issuerUrl,
        String tokenAudience,
        String webhookSecretsPath,
        Duration exportQuantum,
        int maxUnfinishedJobsPerStore,
        ScheduleLimits schedules) {

    public static final String JOBS_TABLE = "JOBS_TABLE";
    public static final String ORDERS_TABLE = "ORDERS_TABLE";
    public static final String EXPORT_BUCKET = "EXPORT_BUCKET";
    public static final String STORE_CLAIM = "STORE_CLAIM";
    public static final String PUBLIC_BASE_URL = "PUBLIC_BASE_URL";
    public static final String LINK_TTL_SECONDS = "LINK_TTL_SECONDS";
    /** Emulators such as moto and LocalStack serve buckets by path, not by virtual host. */
    public static final String S3_FORCE_PATH_STYLE = "S3_FORCE_PATH_STYLE";
    /** The sweeper's: how long an unfinished job may show no sign of life, and how often it is sent round again. */
    public static final String STUCK_AFTER_SECONDS = "STUCK_AFTER_SECONDS";
    public static final String MAX_REDRIVES = "MAX_REDRIVES";
    /** Set by Lambda itself from the function's LoggingConfig ApplicationLogLevel; not declared in the template. */
    public static final String LOG_LEVEL = "AWS_LAMBDA_LOG_LEVEL";
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    /** The EventBridge bus completion events go to; "default" is the account's default bus. */
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    /** The built-in token issuer's: the store clients table, the KMS key that signs, and what tokens say. */
    public static final String CLIENTS_TABLE = "CLIENTS_TABLE";
    public static final String SIGNING_KEY_ID = "SIGNING_KEY_ID";
    /** A key made outside the stack that signs instead of its own (SIGNING_KEY_ID): how the key is rotated. */
    public static final String SIGNING_KEY_ARN = "SIGNING_KEY_ARN";
    /** Comma-separated keys that no longer sign but whose tokens must verify until they expire. */
    public static final String RETIRED_SIGNING_KEY_ARNS = "RETIRED_SIGNING_KEY_ARNS";
    public static final String ISSUER_URL = "ISSUER_URL";
    public static final String TOKEN_AUDIENCE = "TOKEN_AUDIENCE";
    /** Parameter Store path under which each store's webhook secret is a SecureString named after the store. */
    public static final String WEBHOOK_SECRETS_PATH = "WEBHOOK_SECRETS_PATH";

    /** How long an export holds its lane before it hands off, so other stores' jobs get a turn. */
    public static final String EXPORT_QUANTUM_SECONDS = "EXPORT_QUANTUM_SECONDS";
    /** How many of a store's jobs may be pending or processing at once; beyond it a create is refused. */
    public static final String MAX_UNFINISHED_JOBS_PER_STORE = "MAX_UNFINISHED_JOBS_PER_STORE";

    static final String DEFAULT_STORE_CLAIM = "store_id";
    static final Duration DEFAULT_LINK_TTL = Duration.ofHours(1);
    static final Duration DEFAULT_STUCK_AFTER = Duration.ofMinutes(15);
    static final int DEFAULT_MAX_REDRIVES = 3;
    static final String DEFAULT_LOG_LEVEL = "INFO";
    public static final String DEFAULT_METRICS_NAMESPACE = "OrderExport";
    static final String DEFAULT_EVENT_BUS = "default";
    static final String DEFAULT_WEBHOOK_SECRETS_PATH = "/order-export/webhook-secrets/";
    static final Duration DEFAULT_EXPORT_QUANTUM = Duration.ofMinutes(2);
    static final int DEFAULT_MAX_UNFINISHED_JOBS_PER_STORE = 10;

    public Settings {
        if (linkTtl.isNegative() || linkTtl.isZero()) {
            throw new IllegalArgumentException(LINK_TTL_SECONDS + " must be a positive number of seconds");
        }
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException(STUCK_AFTER_SECONDS + " must be a positive number of seconds");
        }
        if (maxRedrives < 0) {
            throw new IllegalArgumentException(MAX_REDRIVES + " must not be negative");
        }
        if (!webhookSecretsPath.startsWith("/") || !webhookSecretsPath.endsWith("/")) {
            throw new IllegalArgumentException(WEBHOOK_SECRETS_PATH + " must start and end with /: " + webhookSecretsPath);
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
                valueOf(env, STUCK_AFTER_SECONDS).map(v -> seconds(STUCK_AFTER_SECONDS, v)).orElse(DEFAULT_STUCK_AFTER),
                valueOf(env, MAX_REDRIVES).map(v -> (int) whole(MAX_REDRIVES, v)).orElse(DEFAULT_MAX_REDRIVES),
                valueOf(env, LOG_LEVEL).orElse(DEFAULT_LOG_LEVEL),
                valueOf(env, METRICS_NAMESPACE).orElse(DEFAULT_METRICS_NAMESPACE),
                valueOf(env, EVENT_BUS_NAME).orElse(DEFAULT_EVENT_BUS),
                valueOf(env, CLIENTS_TABLE).orElse(null),
                valueOf(env, SIGNING_KEY_ID).orElse(null),
                valueOf(env, SIGNING_KEY_ARN),
                valueOf(env, RETIRED_SIGNING_KEY_ARNS).map(Settings::commaSeparated).orElse(List.of()),
                valueOf(env, ISSUER_URL).map(url -> url.replaceAll("/+$", "")).orElse(null),
                valueOf(env, TOKEN_AUDIENCE).orElse(null),
                valueOf(env, WEBHOOK_SECRETS_PATH).orElse(DEFAULT_WEBHOOK_SECRETS_PATH),
                valueOf(env, EXPORT_QUANTUM_SECONDS).map(v -> seconds(EXPORT_QUANTUM_SECONDS, v))
                        .orElse(DEFAULT_EXPORT_QUANTUM),
                valueOf(env, MAX_UNFINISHED_JOBS_PER_STORE).map(v -> (int) whole(MAX_UNFINISHED_JOBS_PER_STORE, v))
                        .orElse(DEFAULT_MAX_UNFINISHED_JOBS_PER_STORE),
                new ScheduleLimits(valueOf(env, ScheduleLimits.SCHEDULES_TABLE).orElse(null),
                        valueOf(env, ScheduleLimits.MAX_SCHEDULES_PER_STORE)
                                .map(v -> (int) whole(ScheduleLimits.MAX_SCHEDULES_PER_STORE, v))
                                .orElse(ScheduleLimits.DEFAULT_MAX_PER_STORE),
                        valueOf(env, ScheduleLimits.SHORTEST_SCHEDULE_INTERVAL_MINUTES)
                                .map(v -> Duration.ofMinutes(whole(ScheduleLimits.SHORTEST_SCHEDULE_INTERVAL_MINUTES, v)))
                                .orElse(ScheduleLimits.DEFAULT_SHORTEST_INTERVAL),
                        valueOf(env, ScheduleLimits.SCHEDULE_SETTLE_SECONDS)
                                .map(v -> seconds(ScheduleLimits.SCHEDULE_SETTLE_SECONDS, v))
                                .orElse(ScheduleLimits.DEFAULT_SETTLE),
                        valueOf(env, ScheduleLimits.DELIVERY_ROLE_ARN).orElse(null),
                        valueOf(env, ScheduleLimits.DELIVERY_DEAD_LETTER_QUEUE_ARN).orElse(null)));
    }

    /** The key that signs new tokens: {@code SIGNING_KEY_ARN} when the stack was given one, else its own. */
    public String activeSigningKey() {
        return signingKeyArn.orElseGet(() -> required(SIGNING_KEY_ID, signingKeyId));
    }

    /**
     * The keys whose tokens verify, the signing key first: the stack's own key stays among them after a rotation,
     * so the tokens it signed keep verifying until they expire, and so do the retired keys'.
     */
    public List<String> verifyingKeys() {
        List<String> keys = new ArrayList<>();
        keys.add(activeSigningKey());
        signingKeyArn.ifPresent(rotated -> keys.add(required(SIGNING_KEY_ID, signingKeyId)));
        keys.addAll(retiredSigningKeyArns);
        return List.copyOf(keys);
    }

    /** The value, failing at start-up rather than on the first request when a required setting is missing. */
    public static String required(String name, String value) {
        if (value == null) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static List<String> commaSeparated(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static Optional<String> valueOf(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Duration seconds(String name, String value) {
        return Duration.ofSeconds(whole(name, value));
    }

    private static long whole(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + value);
        }
    }
}
