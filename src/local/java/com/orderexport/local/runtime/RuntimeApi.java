package com.orderexport.local.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's Runtime API for one execution environment: the HTTP interface the runtime interface client polls
 * ({@code /2018-06-01/runtime/invocation/next}, then {@code /response} or {@code /error}; {@code /init/error};
 * SnapStart's {@code /restore/next} and {@code /restore/error}), with the headers Lambda sends with each event.
 * One invocation at a time, as an environment takes them.
 */
final class RuntimeApi implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime/";

    /** An event handed to the runtime, and what the runtime answered. */
    record Invocation(String requestId, byte[] event, Duration timeout, String traceId,
                      CompletableFuture<Answer> answer) {}

    /** What the runtime posted for an invocation, or for its start-up. */
    sealed interface Answer {
        /** The handler's result, as {@code /response} received it. */
        record Response(byte[] body) implements Answer {}

        /** Lambda's error JSON ({@code errorMessage}, {@code errorType}, {@code stackTrace}) and its type header. */
        record Error(String type, byte[] body) implements Answer {}
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    private final String functionArn;
    private final LinkedBlockingQueue<Invocation> waiting = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    /** Completes when the runtime first asks for an event (its init is over) or reports that init failed. */
    private final CompletableFuture<Optional<Answer.Error>> initialised = new CompletableFuture<>();
    /** When SnapStart's hooks ran: the runtime asked to be restored after its before-checkpoint hooks. */
    private volatile long restoreRequestedNanos;

    private RuntimeApi(HttpServer server, String functionArn) {
        this.server = server;
        this.functionArn = functionArn;
    }

    static RuntimeApi start(String functionArn) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        RuntimeApi api = new RuntimeApi(server, functionArn);
        server.setExecutor(api.threads);
        server.createContext(PREFIX, api::serve);
        server.start();
        return api;
    }

    /** What {@code AWS_LAMBDA_RUNTIME_API} holds: host and port. */
    String address() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Queues an event; the runtime takes it with its next poll. */
    Invocation submit(byte[] event, Duration timeout) {
        String requestId = UUID.randomUUID().toString();
        Invocation invocation = new Invocation(requestId, event, timeout, traceId(), new CompletableFuture<>());
        waiting.add(invocation);
        return invocation;
    }

    /** Completes when the runtime is ready for events, holding its init error if it reported one instead. */
    CompletableFuture<Optional<Answer.Error>> initialised() {
        return initialised;
    }

    /** When the runtime asked {@code /restore/next} (after SnapStart's before-checkpoint hooks), 0 if never. */
    long restoreRequestedNanos() {
        return restoreRequestedNanos;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            byte[] body = readAll(exchange.getRequestBody());
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                answer(exchange, path, "/response", new Answer.Response(body));
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                answer(exchange, path, "/error", error(exchange, body));
            } else if (method.equals("POST") && (path.equals("init/error") || path.equals("restore/error"))) {
                Answer.Error error = error(exchange, body);
                initialised.complete(Optional.of(error));
                waiting.forEach(queued -> queued.answer().complete(error));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("restore/next")) {
                // The snapshot is "restored" at once: the after-restore hooks run as soon as this answers.
                restoreRequestedNanos = System.nanoTime();
                reply(exchange, 200, "");
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"unknown runtime API path " + path
                        + "\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        initialised.complete(Optional.empty());
        Invocation invocation;
        try {
            invocation = waiting.poll(Long.MAX_VALUE, TimeUnit.DAYS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        running.put(invocation.requestId(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        // The function's timeout runs from when its runtime takes the event, after any init, as in Lambda.
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + invocation.timeout().toMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        exchange.sendResponseHeaders(200, invocation.event().length == 0 ? -1 : invocation.event().length);
        exchange.getResponseBody().write(invocation.event());
    }

    private void answer(HttpExchange exchange, String path, String suffix, Answer answer) throws IOException {
        String requestId = path.substring("invocation/".length(), path.length() - suffix.length());
        Invocation invocation = running.remove(requestId);
        if (invocation == null) {
            reply(exchange, 400, "{\"errorMessage\":\"no invocation " + requestId
                    + " is running\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        invocation.answer().complete(answer);
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static Answer.Error error(HttpExchange exchange, byte[] body) {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return new Answer.Error(type == null ? "Unhandled" : type, body);
    }

    /** An X-Ray trace header as Lambda passes it: a root made of the epoch seconds and 96 random bits. */
    private static String traceId() {
        String random = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + random
                + ";Parent=" + random.substring(0, 16) + ";Sampled=0";
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
