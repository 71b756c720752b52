package com.orderexport.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process S3 (REST, path-style) on a loopback port that speaks multipart uploads (create, upload part,
 * complete, abort) and whole-object put, get and delete (an export's checkpoints). Parts are discarded, or,
 * while {@link #keepObjects} is on, kept until the upload completes, when the object's SHA-256 (parts
 * concatenated by part number) is recorded under its key.
 */
final class S3Stub implements AutoCloseable {

    private static final String XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

    static {
        DynamoStub.noDelay();
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    /** Objects put whole (an export's checkpoints), by key. */
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, String> sha256ByKey = new ConcurrentHashMap<>();
    private final Map<String, String> crc64ByKey = new ConcurrentHashMap<>();
    private final AtomicLong partsReceived = new AtomicLong();
    private volatile boolean keepObjects;
    private volatile long partDelayMillis;

    private record Upload(String key, boolean kept, ConcurrentSkipListMap<Integer, byte[]> parts) {}

    private S3Stub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(DynamoStub.daemonThreads("s3-stub"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static S3Stub start() throws IOException {
        return new S3Stub();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Whether uploads started from now on keep their bytes, for {@link #sha256Of}. */
    void keepObjects(boolean keep) {
        keepObjects = keep;
    }

    /** Latency added to every UploadPart. */
    void partDelay(Duration delay) {
        partDelayMillis = delay.toMillis();
    }

    long partsReceived() {
        return partsReceived.get();
    }

    /** The SHA-256 (hex) of the object completed under {@code key} while objects were kept; null otherwise. */
    String sha256Of(String key) {
        return sha256ByKey.get(key);
    }

    /** The CRC-64/NVME (base64, as S3 prints it) of a kept object, to check against the job's. */
    String crc64Of(String key) {
        return crc64ByKey.get(key);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            int slash = path.indexOf('/', 1);
            String bucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
            String key = slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
            Map<String, String> query = query(uri.getRawQuery());
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && query.containsKey("uploads")) {
                drain(exchange.getRequestBody());
                String uploadId = UUID.randomUUID().toString();
                uploads.put(uploadId, new Upload(key, keepObjects, new ConcurrentSkipListMap<>()));
                xml(exchange, 200, "<InitiateMultipartUploadResult xmlns=\"" + XMLNS + "\"><Bucket>" + escape(bucket)
                        + "</Bucket><Key>" + escape(key) + "</Key><UploadId>" + uploadId
                        + "</UploadId></InitiateMultipartUploadResult>");
            } else if (method.equals("PUT") && query.containsKey("partNumber")) {
                uploadPart(exchange, query);
            } else if (method.equals("POST") && query.containsKey("uploadId")) {
                drain(exchange.getRequestBody());
                Upload upload = uploads.remove(query.get("uploadId"));
                if (upload == null) {
                    noSuchUpload(exchange);
                    return;
                }
                if (upload.kept()) {
                    sha256ByKey.put(upload.key(), sha256(upload.parts()));
                    com.orderexport.files.Crc64Nvme crc = new com.orderexport.files.Crc64Nvme();
                    upload.parts().values().forEach(b -> crc.update(b, 0, b.length));
                    crc64ByKey.put(upload.key(), com.orderexport.files.Crc64Nvme.toBase64(crc.value()));
                }
                xml(exchange, 200, "<CompleteMultipartUploadResult xmlns=\"" + XMLNS + "\"><Location>" + endpoint()
                        + path + "</Location><Bucket>" + escape(bucket) + "</Bucket><Key>" + escape(key)
                        + "</Key><ETag>\"stub-object\"</ETag></CompleteMultipartUploadResult>");
            } else if (method.equals("GET") && query.containsKey("uploadId")) {
                // ListParts, which a resumed export asks to see that its upload is still there: the parts are not listed.
                drain(exchange.getRequestBody());
                if (!uploads.containsKey(query.get("uploadId"))) {
                    noSuchUpload(exchange);
                    return;
                }
                xml(exchange, 200, "<ListPartsResult xmlns=\"" + XMLNS + "\"><Bucket>" + escape(bucket) + "</Bucket><Key>"
                        + escape(key) + "</Key><UploadId>" + query.get("uploadId") + "</UploadId><IsTruncated>false"
                        + "</IsTruncated></ListPartsResult>");
            } else if (method.equals("GET") && "2".equals(query.get("list-type"))) {
                // ListObjectsV2 of a file's checkpoints once its job is decided: the stub's are listed by prefix.
                drain(exchange.getRequestBody());
                String prefix = query.getOrDefault("prefix", "");
                StringBuilder contents = new StringBuilder();
                objects.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(k -> contents.append("<Contents><Key>")
                        .append(escape(k)).append("</Key><Size>").append(objects.get(k).length).append("</Size></Contents>"));
                xml(exchange, 200, "<ListBucketResult xmlns=\"" + XMLNS + "\"><Name>" + escape(bucket) + "</Name><Prefix>"
                        + escape(prefix) + "</Prefix><IsTruncated>false</IsTruncated>" + contents + "</ListBucketResult>");
            } else if (method.equals("DELETE") && query.containsKey("uploadId")) {
                drain(exchange.getRequestBody());
                if (uploads.remove(query.get("uploadId")) == null) {
                    noSuchUpload(exchange);
                    return;
                }
                exchange.sendResponseHeaders(204, -1);
            } else if (method.equals("PUT") && query.isEmpty()) {
                // A checkpoint of an export handed on: small objects, kept until deleted.
                String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
                byte[] body = exchange.getRequestBody().readAllBytes();
                objects.put(key, encoding != null && encoding.contains("aws-chunked") ? AwsChunked.decode(body) : body);
                exchange.getResponseHeaders().set("ETag", "\"stub-object\"");
                exchange.sendResponseHeaders(200, -1);
            } else if (method.equals("GET") && query.isEmpty() && objects.containsKey(key)) {
                drain(exchange.getRequestBody());
                byte[] body = objects.get(key);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } else if (method.equals("DELETE") && query.isEmpty()) {
                drain(exchange.getRequestBody());
                objects.remove(key);
                exchange.sendResponseHeaders(204, -1);
            } else {
                drain(exchange.getRequestBody());
                xml(exchange, 501, "<Error><Code>NotImplemented</Code><Message>stub: " + escape(method + " " + uri)
                        + "</Message></Error>");
            }
        }
    }

    private void uploadPart(HttpExchange exchange, Map<String, String> query) throws IOException {
        DynamoStub.sleep(partDelayMillis);
        Upload upload = uploads.get(query.get("uploadId"));
        if (upload == null) {
            drain(exchange.getRequestBody());
            noSuchUpload(exchange);
            return;
        }
        int partNumber = Integer.parseInt(query.get("partNumber"));
        if (upload.kept()) {
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            byte[] body = exchange.getRequestBody().readAllBytes();
            upload.parts().put(partNumber, encoding != null && encoding.contains("aws-chunked")
                    ? AwsChunked.decode(body) : body);
        } else {
            drain(exchange.getRequestBody());
        }
        partsReceived.incrementAndGet();
        exchange.getResponseHeaders().set("ETag", "\"" + query.get("uploadId") + "-" + partNumber + "\"");
        exchange.sendResponseHeaders(200, -1);
    }

    private static void noSuchUpload(HttpExchange exchange) throws IOException {
        xml(exchange, 404, "<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist</Message></Error>");
    }

    private static void xml(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.getResponseHeaders().set("x-amz-request-id", "stub");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static String sha256(Map<Integer, byte[]> parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            parts.values().forEach(sha::update);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The SDK's {@code aws-chunked} body: {@code <hex size>[;ext]\r\n<data>\r\n} chunks, a 0 chunk, then trailers. */
    static final class AwsChunked {

        private AwsChunked() {}

        static byte[] decode(byte[] body) {
            ByteArrayOutputStream data = new ByteArrayOutputStream(body.length);
            int at = 0;
            while (at < body.length) {
                int lineEnd = indexOfCrlf(body, at);
                String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
                int semicolon = header.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).trim(), 16);
                at = lineEnd + 2;
                if (size == 0) {
                    break; // what follows is trailing checksums, which the stub does not verify
                }
                data.write(body, at, size);
                at += size + 2;
            }
            return data.toByteArray();
        }

        private static int indexOfCrlf(byte[] body, int from) {
            for (int i = from; i + 1 < body.length; i++) {
                if (body[i] == '\r' && body[i + 1] == '\n') {
                    return i;
                }
            }
            throw new IllegalArgumentException("malformed aws-chunked body");
        }
    }
}
