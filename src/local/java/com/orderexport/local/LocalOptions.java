package com.orderexport.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The local stack's command line and environment, read and checked before anything starts.
 *
 * @param name          the suffix of every resource name; a fixed one (--name, LOCAL_STACK_NAME) lets a restart
 *                      against the same emulator find the same tables, bucket and queue
 * @param scheduleEvery replaces the interval of every schedule in the template (--schedule-every, LOCAL_SCHEDULE_EVERY)
 * @param byItem        LOCAL_STREAM_ORDERING=item: the stream stand-in orders by item, as AWS documents,
 *                      instead of by store
 * @param lambdaRuntime --runtime lambda (LOCAL_RUNTIME=lambda): each function runs on Lambda's own runtime client in
 *                      JVMs of its own, instead of as a handler object in the stack's JVM (--runtime jvm, the default)
 */
record LocalOptions(int port, boolean demoData, Path ordersFile, String ordersStore, String name,
                    Optional<Duration> scheduleEvery, boolean byItem, boolean lambdaRuntime) {

    /** Resource names: {@code <logical id>-<name>}, so a bucket name (63 characters at most) stays valid. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    static LocalOptions parse(String[] args) {
        return parse(args, System.getenv());
    }

    static LocalOptions parse(String[] args, Map<String, String> env) {
        int port = envInt(env, "PORT", 3000);
        boolean demo = true;
        Path orders = null;
        String store = null;
        String name = env.getOrDefault("LOCAL_STACK_NAME", "");
        String every = env.getOrDefault("LOCAL_SCHEDULE_EVERY", "");
        String ordering = env.getOrDefault("LOCAL_STREAM_ORDERING", "store");
        String runtime = env.getOrDefault("LOCAL_RUNTIME", "jvm");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--name" -> name = value(args, ++i, "--name");
                case "--schedule-every" -> every = value(args, ++i, "--schedule-every");
                case "--runtime" -> runtime = value(args, ++i, "--runtime");
                case "--no-demo-data" -> demo = false;
                case "--orders" -> orders = Path.of(value(args, ++i, "--orders"));
                case "--store" -> store = value(args, ++i, "--store");
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if ((orders == null) != (store == null)) {
            throw new IllegalArgumentException("--orders and --store go together");
        }
        if (name.isBlank()) {
            name = "local-" + UUID.randomUUID().toString().substring(0, 6);
        } else if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name must be 1-40 of a-z 0-9 and -, starting with a letter or digit: " + name);
        }
        Optional<Duration> scheduleEvery = Optional.empty();
        if (!every.isBlank()) {
            long seconds;
            try {
                seconds = Long.parseLong(every.trim());
            } catch (NumberFormatException e) {
                seconds = 0;
            }
            if (seconds <= 0) {
                throw new IllegalArgumentException("--schedule-every needs a positive number of seconds, not " + every);
            }
            scheduleEvery = Optional.of(Duration.ofSeconds(seconds));
        }
        if (!ordering.equals("store") && !ordering.equals("item")) {
            throw new IllegalArgumentException("LOCAL_STREAM_ORDERING must be store or item, not " + ordering);
        }
        if (!runtime.equals("jvm") && !runtime.equals("lambda")) {
            throw new IllegalArgumentException("--runtime must be jvm or lambda, not " + runtime);
        }
        return new LocalOptions(port, demo && orders == null, orders, store, name, scheduleEvery, ordering.equals("item"),
                runtime.equals("lambda"));
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int envInt(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
