package com.orderexport.local;

import com.orderexport.stack.StackResources;
import com.orderexport.stack.AwsEmulator;
import com.orderexport.stack.Template;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderexport.config.Settings;
import com.orderexport.tools.OrderLoader;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    static final String USAGE = "usage: LocalMain [--port N] [--no-demo-data] [--orders FILE --store STORE]";

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

    record Options(int port, boolean demoData, Path ordersFile, String ordersStore) {

        static Options parse(String[] args) {
            int port = envInt("PORT", 3000);
            boolean demo = true;
            Path orders = null;
            String store = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                    case "--no-demo-data" -> demo = false;
                    case "--orders" -> orders = Path.of(value(args, ++i, "--orders"));
                    case "--store" -> store = value(args, ++i, "--store");
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if ((orders == null) != (store == null)) {
                throw new IllegalArgumentException("--orders and --store go together");
            }
            return new Options(port, demo && orders == null, orders, store);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static int envInt(String name, int fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        }
    }

    @SuppressWarnings("unchecked")
    static void run(Options options, PrintStream out) throws StartupException {
        Template template;
        try {
            template = Template.load();
            template.handlerOf(API_FUNCTION);
            StreamFeeder.streamEvent(template, EXPORT_FUNCTION);
        } catch (RuntimeException e) {
            throw new StartupException("template.yaml is unusable: " + e.getMessage());
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", options.port()), 64);
        } catch (BindException e) {
            throw new StartupException("port " + options.port() + " is busy; pick another with --port N (or PORT=N)");
        } catch (IOException e) {
            throw new StartupException("cannot listen on port " + options.port() + ": " + e.getMessage());
        }
        AwsEmulator emulator;
        try {
            emulator = AwsEmulator.start();
        } catch (RuntimeException e) {
            server.stop(0);
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
        StackResources resources = StackResources.create(template, dynamo, s3, "local-" + UUID.randomUUID().toString().substring(0, 6));
        CompletionEvents completionEvents = CompletionEvents.forLocalStack(resources, EXPORT_FUNCTION);
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

        JsonNode streamEvent = StreamFeeder.streamEvent(template, EXPORT_FUNCTION);
        EventSourceMapping mapping = new EventSourceMapping(new StreamFeeder(resources, dynamo, EXPORT_FUNCTION),
                (RequestHandler<DynamodbEvent, StreamsEventResponse>) resources.handlerOf(EXPORT_FUNCTION),
                EXPORT_FUNCTION, streamEvent, Duration.ofSeconds(template.globalOrOwn(EXPORT_FUNCTION, "Timeout").asLong(900)));
        Thread mappingThread = new Thread(mapping, "event-source-mapping");
        mappingThread.setDaemon(true);
        mappingThread.start();
        stops.add(mapping::stop);

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

        printSession(out, options.port(), emulator, clients, completionEvents);
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

    private static void printSession(PrintStream out, int port, AwsEmulator emulator, DemoClients clients,
                                     CompletionEvents completionEvents) {
        String api = "http://127.0.0.1:" + port;
        DemoClients.Client first = clients.byId().values().iterator().next();
        out.println();
        out.println("Order-export jobs, running locally");
        out.println("  API:       " + api);
        out.println("  emulator:  " + emulator.endpoint() + " (" + emulator.description() + ")");
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
        completionEvents.printTo(out, emulator.endpoint());
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
