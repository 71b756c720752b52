package com.orderexport.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * The HTTP/1.1 listener in front of the API Gateway stand-in. Not the JDK's HttpServer: that one answers a
 * request whose target is not a valid URI (a stray {@code %}, a {@code |}) with an HTML page before any
 * handler runs, and API Gateway never answers in HTML. This one parses just enough of HTTP/1.1 (keep-alive,
 * Content-Length and chunked bodies, {@code Expect: 100-continue}) and answers every request it cannot parse
 * with a JSON error itself. It is longer than most classes here because reading and writing HTTP/1.1 only
 * make sense together.
 */
final class LocalHttpServer implements AutoCloseable {

    /** API Gateway's payload limit for HTTP APIs. */
    static final int MAX_BODY = 10 * 1024 * 1024;
    private static final int MAX_HEAD = 64 * 1024;
    private static final int IDLE_TIMEOUT_MS = 60_000;

    /** A parsed request; header names are lower case, repeated headers keep every value. */
    record Request(String method, URI target, String protocol, Map<String, List<String>> headers, byte[] body,
                   InetAddress remote) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    record Response(int status, Map<String, String> headers, byte[] body) {}

    interface Handler {
        Response handle(Request request);
    }

    /** A request that cannot be served; the status and message go out as API Gateway's JSON error. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final ServerSocket socket;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "api-connection");
        thread.setDaemon(true);
        return thread;
    });

    private LocalHttpServer(ServerSocket socket) {
        this.socket = socket;
    }

    /** Binds now, so a busy port is reported before anything else starts. */
    static LocalHttpServer bind(String host, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(host, port), 128);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new LocalHttpServer(socket);
    }

    void start(Handler handler, BiFunction<Integer, String, Response> errors) {
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.execute(() -> serve(connection, handler, errors));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "api-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket connection, Handler handler, BiFunction<Integer, String, Response> errors) {
        try (connection) {
            connection.setSoTimeout(IDLE_TIMEOUT_MS);
            connection.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            boolean keepAlive = true;
            while (keepAlive) {
                Request request;
                try {
                    request = read(in, out, connection.getInetAddress());
                    if (request == null) {
                        return; // the client closed the connection between requests
                    }
                } catch (BadRequest e) {
                    write(out, errors.apply(e.status, e.getMessage()), false, false);
                    return;
                }
                String connectionHeader = String.valueOf(request.header("connection")).toLowerCase(Locale.ROOT);
                keepAlive = "HTTP/1.1".equals(request.protocol()) ? !connectionHeader.contains("close")
                        : connectionHeader.contains("keep-alive");
                write(out, handler.handle(request), keepAlive, "HEAD".equals(request.method()));
            }
        } catch (SocketException | java.net.SocketTimeoutException closed) {
            // the client went away or stayed idle too long
        } catch (IOException e) {
            System.err.println("api: connection failed: " + e.getMessage());
        }
    }

    private static Request read(InputStream in, OutputStream out, InetAddress remote) throws IOException, BadRequest {
        String requestLine = line(in, true);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "Bad Request");
        }
        URI target;
        try {
            target = new URI(parts[1]);
        } catch (URISyntaxException e) {
            throw new BadRequest(400, "Bad Request");
        }
        if (target.getRawPath() == null || !target.getRawPath().startsWith("/")) {
            throw new BadRequest(400, "Bad Request");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int headBytes = requestLine.length();
        for (String header = line(in, false); !header.isEmpty(); header = line(in, false)) {
            headBytes += header.length();
            int colon = header.indexOf(':');
            if (colon <= 0 || headBytes > MAX_HEAD) {
                throw new BadRequest(headBytes > MAX_HEAD ? 431 : 400, headBytes > MAX_HEAD ? "Request Header Fields Too Large" : "Bad Request");
            }
            headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        Request head = new Request(parts[0], target, parts[2], headers, new byte[0], remote);
        if ("100-continue".equalsIgnoreCase(head.header("expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        return new Request(parts[0], target, parts[2], headers, body(in, head), remote);
    }

    private static byte[] body(InputStream in, Request head) throws IOException, BadRequest {
        if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(in, false).split(";", 2)[0].trim();
                int length;
                try {
                    length = Integer.parseInt(size, 16);
                } catch (NumberFormatException e) {
                    throw new BadRequest(400, "Bad Request");
                }
                if (length == 0) {
                    while (!line(in, false).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                if (body.size() + length > MAX_BODY) {
                    throw new BadRequest(413, "Request Entity Too Large");
                }
                body.write(exactly(in, length));
                line(in, false);
            }
        }
        String lengthHeader = head.header("content-length");
        if (lengthHeader == null) {
            return new byte[0];
        }
        long length;
        try {
            length = Long.parseLong(lengthHeader.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "Bad Request");
        }
        if (length < 0) {
            throw new BadRequest(400, "Bad Request");
        }
        if (length > MAX_BODY) {
            throw new BadRequest(413, "Request Entity Too Large");
        }
        return exactly(in, (int) length);
    }

    private static byte[] exactly(InputStream in, int length) throws IOException, BadRequest {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new BadRequest(400, "Bad Request");
        }
        return bytes;
    }

    /** One CRLF- (or LF-) terminated line; null at a clean end of stream before a request starts. */
    private static String line(InputStream in, boolean startOfRequest) throws IOException, BadRequest {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); ; b = in.read()) {
            if (b == -1) {
                if (startOfRequest && line.size() == 0) {
                    return null;
                }
                throw new BadRequest(400, "Bad Request");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_HEAD) {
                throw new BadRequest(431, "Request Header Fields Too Large");
            }
            line.write(b);
        }
    }

    private static void write(OutputStream out, Response response, boolean keepAlive, boolean head) throws IOException {
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n");
        response.headers().forEach((name, value) -> {
            if (!"content-length".equalsIgnoreCase(name) && !"connection".equalsIgnoreCase(name)) {
                text.append(name).append(": ").append(value).append("\r\n");
            }
        });
        text.append("Content-Length: ").append(response.body().length).append("\r\n");
        text.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(response.body());
        }
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Request Entity Too Large";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
        connections.shutdownNow();
    }
}
