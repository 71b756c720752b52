package com.orderexport.local;

import com.orderexport.stack.StackResources;
import com.orderexport.local.runtime.RuntimeFunctions;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.OptionalInt;
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
    static final String API = "JobsHttpApi";
    static final String ISSUER_API = "IssuerHttpApi";
    static final String WEBHOOK_ROUTE = "/integrations/elastic-path/orders/";
    static final String USAGE = "usage: LocalMain [--port N] [--name NAME] [--schedule-every SECONDS] [--no-demo-data]"
            + " [--orders FILE --store STORE] [--runtime jvm|lambda]";

    public static void main(String[] args) {
        LocalOptions options;
        try {
            options = LocalOptions.parse(args);
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
        } catch (RuntimeException e) {
            // Told here, while the classes its message needs can still load: exec:java closes the class path
            // before it prints an exception that escapes main.
            System.err.println("error: the local stack could not start: " + e);
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

    @SuppressWarnings("unchecked")
    static void run(LocalOptions options, PrintStream out) throws StartupException {
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
        LocalHttpServer issuerServer = issuerServer(options.name());
        String issuerUrl = "http://127.0.0.1:" + issuerServer.port();
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        S3Client s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).forcePathStyle(true).build();
        // The functions see the template's environment overlaid by this process's, as with sam local --env-vars;
        // the token function's issuer is the local issuer API (in AWS, the template's IssuerHttpApi URL).
        Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        environment.put(Settings.ISSUER_URL, issuerUrl);
        StackResources resources = StackResources.create(template, dynamo, s3, options.name())
                .withProcessEnvironment(environment);
        CompletionEvents completionEvents = CompletionEvents.forLocalStack(resources, EXPORT_FUNCTION, options.name());
        String ordersTable = resources.settingsOf(EXPORT_FUNCTION).ordersTable();
        DemoClients clients = DemoClients.fromEnvironment();
        Map<String, String> webhookSecrets;
        try {
            webhookSecrets = clients.register(resources, dynamo);
        } catch (com.orderexport.credentials.ClientTakenException e) {
            throw new StartupException(DemoClients.VARIABLE + ": " + e.getMessage());
        }
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

        // The functions: handler objects in this JVM, or (--runtime lambda) Lambda's runtime client in JVMs of their own.
        Function<String, Object> functions = resources::handlerOf;
        if (options.lambdaRuntime()) {
            RuntimeFunctions runtime = new RuntimeFunctions(template, resources, emulator.endpoint().toString(),
                    id -> {
                        ReadableLogs logs = new ReadableLogs(out, id);
                        // The runtime's own lines (START, END, REPORT, the JVM's) name no function: say whose they are.
                        return RuntimeFunctions.lines(line -> logs.log(line.startsWith("{") ? line : id + "  " + line));
                    });
            stops.add(runtime::close);
            functions = runtime::handlerOf;
        }
        Function<String, Object> handlers = functions;

        EventSourceMapping mapping = EventSourceMapping.of(resources, dynamo, EXPORT_FUNCTION,
                () -> (RequestHandler<DynamodbEvent, StreamsEventResponse>) handlers.apply(EXPORT_FUNCTION),
                options.byItem());
        mapping.start();
        stops.add(mapping::close);

        Map<String, Object> scheduled = new java.util.concurrent.ConcurrentHashMap<>();
        Schedules clocks = new Schedules(schedules,
                id -> (RequestHandler<ScheduledEvent, ?>) scheduled.computeIfAbsent(id, handlers),
                id -> new LocalContext(id, Duration.ofSeconds(template.globalOrOwn(id, "Timeout").asLong(3)),
                        template.globalOrOwn(id, "MemorySize").asInt(128)));
        clocks.start();
        stops.add(clocks::close);

        // A schedule's events POSTed to its notify_url: LocalStack calls API destinations itself, moto does not.
        if (!emulator.isLocalStack()) {
            ApiDestinations destinations = new ApiDestinations(
                    software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                    resources.sqs(), software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                    resources.settingsOf(EXPORT_FUNCTION).eventBusName(), 3, Duration.ofSeconds(1), out::println);
            destinations.start();
            stops.add(destinations::close);
        }

        // Each HTTP API of the template on a port of its own, its functions the classes their Handlers name.
        ApiGateway issuer = new ApiGateway(issuerServer, template, ISSUER_API, httpFunctions(template, ISSUER_API, handlers),
                null, Clock.systemUTC());
        issuer.start();
        stops.add(issuer::stop);
        ApiGateway api = new ApiGateway(server, template, API, httpFunctions(template, API, handlers),
                new JwtAuthorizer(issuerUrl, template.jwtAudienceOf(API), Clock.systemUTC()), Clock.systemUTC());
        api.start();
        stops.add(api::stop);

        SessionBanner.print(out, options, emulator, clients, clocks.schedules(), completionEvents, issuerUrl, webhookSecrets,
                ordersTable);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The issuer API's server: on the port an earlier run under this name used, else on a free one, remembered. */
    private static LocalHttpServer issuerServer(String name) throws StartupException {
        IssuerPort issuerPort = IssuerPort.of(name);
        OptionalInt remembered = issuerPort.remembered();
        try {
            LocalHttpServer server = LocalHttpServer.bind("127.0.0.1", remembered.orElse(0));
            if (remembered.isEmpty()) {
                issuerPort.remember(server.port());
            }
            return server;
        } catch (BindException e) {
            throw new StartupException("port " + remembered.getAsInt() + ", where the issuer of the stack named " + name
                    + " served the tokens it issued, is busy; free it, or start under another --name");
        } catch (IOException e) {
            throw new StartupException("cannot listen for the token issuer: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> httpFunctions(
            Template template, String apiId, Function<String, Object> handlers) {
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions = new java.util.HashMap<>();
        template.httpRoutesOfApi(apiId).forEach(route -> functions.computeIfAbsent(route.functionId(),
                id -> (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) handlers.apply(id)));
        return functions;
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

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            System.err.println("stopping: " + e.getMessage());
        }
    }
}
