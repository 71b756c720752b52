package com.orderexport.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP endpoint that records every request it gets (method, headers, body) and answers each with the next
 * status it was told to, 200 when it was told none: what a schedule's notify_url points at in tests.
 */
public final class HttpReceiver implements AutoCloseable {

    /** One request as it arrived; header names in lower case. */
    public record Received(String method, String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();

    private HttpReceiver(HttpServer server) {
        this.server = server;
    }

    public static HttpReceiver start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpReceiver receiver = new HttpReceiver(server);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            receiver.received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(headers), body));
            int status;
            synchronized (receiver.answers) {
                status = receiver.answers.isEmpty() ? 200 : receiver.answers.removeFirst();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return receiver;
    }

    /** The URL of {@code path} on this receiver, over plain HTTP on the loopback address. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests are answered with these statuses, in order; then 200 again. */
    public void answer(Integer... statuses) {
        synchronized (answers) {
            answers.addAll(List.of(statuses));
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests, once there are at least {@code count} of them or {@code patience} has passed. */
    public List<Received> awaitReceived(int count, Duration patience) throws InterruptedException {
        Instant giveUp = Instant.now().plus(patience);
        while (received.size() < count && Instant.now().isBefore(giveUp)) {
            Thread.sleep(50);
        }
        return received();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
