package com.orderexport.local;

import com.orderexport.stack.StackResources;
import com.orderexport.stack.AwsEmulator;
import com.orderexport.stack.Template;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import com.orderexport.tools.OrderLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole stack on one machine, in the foreground: an AWS emulator, the template's tables and bucket,
 * demo orders, an API Gateway stand-in in front of the Jobs API function and an event source mapping
 * stand-in feeding the export function, each function being the class its template Handler names.
 * Ctrl-C stops everything, the emulator child process included.
 */
public final class LocalMain {

    static final String API_FUNCTION = "JobsApiFunction";
    static final String EXPORT_FUNCTION = "OrderExportFunction";
    static final String USAGE = "usage: LocalMain [--port N] [--name NAME] [--schedule-every SECONDS] [--no-demo-data]"
            + " [--orders FILE --store STORE]";
    /** Resource names: {@code <logical id>-<name>}, so a bucket name (63 characters at most) stays valid. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        try {
            run(options, System.out);
        } catch (StartupException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** A startup failure a user can act on, told in one line. */
    static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;

        StartupException(String message) {
            super(message);
        }
    }

    /**
     * @param name          the suffix of every resource name; a fixed one (--name, LOCAL_STACK_NAME) lets a restart
     *                      against the same emulator find the same tables, bucket and queue
     * @param scheduleEvery replaces the interval of every schedule in the template (--schedule-every, LOCAL_SCHEDULE_EVERY)
     * @param byItem        LOCAL_STREAM_ORDERING=item: the stream stand-in orders by item, as AWS documents,
     *                      instead of by store
     */
    record Options(int port, boolean demoData, Path ordersFile, String ordersStore, String name,
                   Optional<Duration> scheduleEvery, boolean byItem) {

        static Options parse(String[] args) {
            return parse(args, System.getenv());
        }

        static Options parse(String[] args, Map<String, String> env) {
            int port = envInt(env, "PORT", 3000);
            boolean demo = true;
            Path orders = null;
            String store = null;
            String name = env.getOrDefault("LOCAL_STACK_NAME", "");
            String every = env.getOrDefault("LOCAL_SCHEDULE_EVERY", "");
            String ordering = env.getOrDefault("LOCAL_STREAM_ORDERING", "store");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                    case "--name" -> name = value(args, ++i, "--name");
                    case "--schedule-every" -> every = value(args, ++i, "--schedule-every");
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
            return new Options(port, demo && orders == null, orders, store, name, scheduleEvery, ordering.equals("item"));
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

    @SuppressWarnings("unchecked")
    static void run(Options options, PrintStream out) throws StartupException {
        Template template;
        List<Schedules.Schedule> schedules;
        try {
            template = Template.load();
            template.handlerOf(API_FUNCTION);
            StreamEventSettings.of(template, EXPORT_FUNCTION);
            schedules = Schedules.of(template, options.scheduleEvery());
        } catch (RuntimeException e) {
            throw new StartupException("template.yaml is unusable: " + e.getMessage());
        }
        LocalHttpServer server;
        try {
            server = LocalHttpServer.bind("127.0.0.1", options.port());
        } catch (BindException e) {
            throw new StartupException("port " + options.port() + " is busy; pick another with --port N (or PORT=N)");
        } catch (IOException e) {
            throw new StartupException("cannot listen on port " + options.port() + ": " + e.getMessage());
        }
        AwsEmulator emulator;
        try {
            emulator = AwsEmulator.start();
        } catch (RuntimeException e) {
            server.close();
            throw new StartupException(e.getMessage());
        }
        List<Runnable> stops = new ArrayList<>();
        stops.add(() -> closeQuietly(emulator));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = stops.size() - 1; i >= 0; i--) {
                stops.get(i).run();
            }
            stopped.countDown();
        }));

        emulator.pointSdkHere();
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        S3Client s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).forcePathStyle(true).build();
        // The functions see the template's environment overlaid by this process's, as with sam local --env-vars.
        StackResources resources = StackResources.create(template, dynamo, s3, options.name())
                .withProcessEnvironment(System.getenv());
        String ordersTable = resources.settingsOf(EXPORT_FUNCTION).ordersTable();
        DemoClients clients = DemoClients.fromEnvironment();
        if (options.demoData()) {
            clients.byId().values().stream().map(DemoClients.Client::store).distinct()
                    .forEach(store -> load(store, DemoOrders.forStore(store), ordersTable, dynamo));
        } else if (options.ordersFile() != null) {
            int exit = OrderLoader.run(new String[] {"--store", options.ordersStore(), "--table", ordersTable,
                    options.ordersFile().toString()}, System.err, dynamo);
            if (exit == 2) {
                throw new StartupException("could not load " + options.ordersFile());
            }
        }

        EventSourceMapping mapping = EventSourceMapping.of(resources, dynamo, EXPORT_FUNCTION,
                () -> (RequestHandler<DynamodbEvent, StreamsEventResponse>) resources.handlerOf(EXPORT_FUNCTION),
                options.byItem());
        mapping.start();
        stops.add(mapping::close);

        Map<String, Object> scheduled = new java.util.concurrent.ConcurrentHashMap<>();
        Schedules clocks = new Schedules(schedules,
                id -> (RequestHandler<ScheduledEvent, ?>) scheduled.computeIfAbsent(id, resources::handlerOf),
                id -> new LocalContext(id, Duration.ofSeconds(template.globalOrOwn(id, "Timeout").asLong(3)),
                        template.globalOrOwn(id, "MemorySize").asInt(128)));
        clocks.start();
        stops.add(clocks::close);

        Settings apiSettings = resources.settingsOf(API_FUNCTION);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Tokens tokens = new Tokens(secret, "http://127.0.0.1:" + options.port() + "/oauth", "order-export-local",
                apiSettings.storeClaim(), Duration.ofHours(1), Clock.systemUTC());
        ApiGateway api = new ApiGateway(server, template, API_FUNCTION,
                (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) resources.handlerOf(API_FUNCTION),
                tokens, clients, Clock.systemUTC());
        api.start();
        stops.add(api::stop);

        printSession(out, options, emulator, clients, clocks.schedules());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void load(String store, List<JsonNode> orders, String table, DynamoDbClient dynamo) {
        try {
            Path file = Files.createTempFile("demo-orders-" + store, ".jsonl");
            Files.write(file, orders.stream().map(JsonNode::toString).toList());
            OrderLoader.run(new String[] {"--store", store, "--table", table, file.toString()}, System.err, dynamo);
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void printSession(PrintStream out, Options options, AwsEmulator emulator, DemoClients clients,
                                     List<Schedules.Schedule> schedules) {
        String api = "http://127.0.0.1:" + options.port();
        DemoClients.Client first = clients.byId().values().iterator().next();
        out.println();
        out.println("Order-export jobs, running locally");
        out.println("  API:       " + api);
        out.println("  emulator:  " + emulator.endpoint() + " (" + emulator.description() + ")");
        out.println("  names:     *-" + options.name() + " (restart with --name " + options.name() + " to reuse them)");
        for (Schedules.Schedule schedule : schedules) {
            out.println("  schedule:  " + schedule.functionId() + " every " + schedule.interval().toSeconds() + " s ("
                    + schedule.expression() + ")");
        }
        out.println("  clients:   " + String.join("  ", clients.byId().values().stream()
                .map(c -> c.id() + " / " + c.secret() + " → store " + c.store()).toList()));
        out.println();
        out.println("Try it (paste into a shell):");
        out.println();
        out.println("API=" + api);
        out.println("TOKEN=$(curl -s -X POST $API/oauth/access_token -d grant_type=client_credentials \\");
        out.println("  -d client_id=" + first.id() + " -d client_secret=" + first.secret()
                + " | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')");
        out.println("JOB=$(curl -s -X POST $API/v2/jobs -H \"Authorization: Bearer $TOKEN\" -d $'{");
        out.println("  \"data\": {");
        out.println("    \"filter\": \"gt(created_at,2018-09-01):lt(created_at,2018-10-01):eq(payment,refunded)\",");
        out.println("    \"job_type\": \"order_export\"");
        out.println("  }");
        out.println("}' | sed -E 's/.*\"id\":\"([^\"]+)\".*/\\1/')");
        out.println("curl -s $API/v2/jobs/$JOB -H \"Authorization: Bearer $TOKEN\"; echo");
        out.println("HREF=$(curl -s $API/v2/jobs/$JOB/file -H \"Authorization: Bearer $TOKEN\" | sed -E 's/.*\"href\":\"([^\"]+)\".*/\\1/')");
        out.println("curl -s \"$HREF\" | head -5");
        out.println();
        out.println("Ready. Ctrl-C stops everything.");
        out.flush();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("stopping: " + e.getMessage());
        }
    }
}
