package com.orderexport.local;

import com.orderexport.stack.AwsEmulator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.filter.OrderFilter;
import com.orderexport.orders.Order;
import com.orderexport.testing.Documentation;
import com.orderexport.testing.ExportedFile;
import com.orderexport.testing.ExportedFiles;
import com.orderexport.tokens.Jwk;
import com.orderexport.tokens.Jwt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local stack as a user meets it: started as its own process through the README's entry point, then
 * driven only over HTTP — token, the seed's request, polling, the file link, the download.
 */
class LocalStackE2EIT {

    static final String SEED_FILTER = "gt(created_at,2018-09-01):lt(created_at,2018-10-01):eq(payment,refunded)";
    static final String SEED_BODY = "{\n  \"data\": {\n    \"filter\": \"" + SEED_FILTER
            + "\",\n    \"job_type\": \"order_export\"\n  }\n}";

    static Process stack;
    static final List<String> output = new ArrayList<>();
    static String api;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void startTheLocalStack() throws Exception {
        start();
    }

    /** Starts the stack with {@code --port} and the given options, and waits for its Ready line. */
    static void start(String... options) throws Exception {
        start(Map.of(), options);
    }

    /** {@link #start(String...)} with {@code environment} added to the stack's own (the functions see it). */
    static void start(Map<String, String> environment, String... options) throws Exception {
        int port = AwsEmulator.freePort();
        api = "http://127.0.0.1:" + port;
        synchronized (output) {
            output.clear();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                LocalMain.class.getName(), "--port", Integer.toString(port)));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("AWS_ENDPOINT_URL"); // the stack starts its own emulator, as on a laptop
        builder.environment().put("LINK_TTL_SECONDS", "60"); // the functions see the stack's own environment
        builder.environment().putAll(environment);
        stack = builder.start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stack.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("Ready.")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("the local stack exited: " + output));
        });
        reader.setDaemon(true);
        reader.start();
        ready.get(3, TimeUnit.MINUTES);
    }

    @AfterAll
    static void stopTheLocalStackAndItsEmulator() throws Exception {
        if (stack == null) {
            return;
        }
        List<ProcessHandle> children = stack.descendants().toList();
        stack.destroy(); // SIGTERM, as Ctrl-C: the stack's shutdown hook stops the emulator
        if (!stack.waitFor(30, TimeUnit.SECONDS)) {
            stack.destroyForcibly();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void theSeedRequestBecomesADownloadableCsvOfExactlyTheMatchingDemoOrders() throws Exception {
        String token = token("demo-a-client", "demo-a-secret");

        HttpResponse<String> created = send(post("/v2/jobs", token, SEED_BODY));
        assertThat(created.statusCode()).isEqualTo(202);
        JsonNode job = mapper.readTree(created.body()).path("data");
        assertThat(job.path("status").asText()).isEqualTo("pending");
        assertThat(job.path("links").path("self").asText()).isEqualTo(api + "/v2/jobs/" + job.path("id").asText());
        String id = job.path("id").asText();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "complete".equals(mapper.readTree(send(get("/v2/jobs/" + id, token)).body()).path("data").path("status").asText()));
        JsonNode link = mapper.readTree(send(get("/v2/jobs/" + id + "/file", token)).body());
        HttpResponse<byte[]> csv = ExportedFiles.download(link.path("data").path("href").asText());

        assertThat(csv.statusCode()).isEqualTo(200);
        ExportedFile file = ExportedFile.of(csv.body());
        assertThat(file.ids()).isNotEmpty().containsExactlyElementsOf(expectedDemoIds("demo-store-a", SEED_FILTER));
        // One timestamp form in every row, whole seconds too: UTC with exactly three fraction digits.
        assertThat(file.column("created_at")).hasSameSizeAs(file.ids())
                .anyMatch(cell -> cell.endsWith(".000Z"))
                .allMatch(cell -> cell.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
        assertThat(file.column("updated_at"))
                .allMatch(cell -> cell.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
        JsonNode list = mapper.readTree(send(get("/v2/jobs", token)).body());
        assertThat(list.path("data").findValuesAsText("id")).contains(id);
    }

    @Test
    void aTokenIsIssuedAsElasticPathClientsExpect() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + "/oauth/access_token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=demo-b-client&client_secret=demo-b-secret"))
                .build());

        JsonNode body = mapper.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("identifier").asText()).isEqualTo("client_credentials");
        assertThat(body.path("expires").asLong()).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(body.path("expires_in").asLong()).isPositive();
    }

    @Test
    void noTokenOrABadTokenIsApiGateways401() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(api + "/v2/jobs")).GET().build());
        HttpResponse<String> forged = send(get("/v2/jobs", "eyJhbGciOiJIUzI1NiJ9.eyJzdG9yZV9pZCI6ImEifQ.c2ln"));
        HttpResponse<String> badClient = send(HttpRequest.newBuilder(URI.create(api + "/oauth/access_token"))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=demo-a-client&client_secret=wrong"))
                .build());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(badClient.statusCode()).isEqualTo(401);
    }

    @Test
    void anotherStoreGets404ForTheJob() throws Exception {
        String tokenA = token("demo-a-client", "demo-a-secret");
        String tokenB = token("demo-b-client", "demo-b-secret");
        String id = mapper.readTree(send(post("/v2/jobs", tokenA, SEED_BODY)).body()).path("data").path("id").asText();

        assertThat(send(get("/v2/jobs/" + id, tokenB)).statusCode()).isEqualTo(404);
        assertThat(send(get("/v2/jobs/" + id + "/file", tokenB)).statusCode()).isEqualTo(404);
    }

    @Test
    void anUnparsableFilterIs400InElasticPathsErrorShape() throws Exception {
        HttpResponse<String> response = send(post("/v2/jobs", token("demo-a-client", "demo-a-secret"),
                "{\"data\":{\"filter\":\"eq(status,complete\",\"job_type\":\"order_export\"}}"));

        JsonNode error = mapper.readTree(response.body()).path("errors").get(0);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error.path("status").asInt()).isEqualTo(400);
        assertThat(error.path("title").asText()).isEqualTo("Bad Request");
        assertThat(error.path("detail").asText()).startsWith("Could not parse the supplied filter");
        assertThat(error.path("request_id").asText()).isNotBlank();
    }

    @Test
    void theStacksEnvironment_overlaysTheFunctionsEnvironment() throws Exception {
        String token = token("demo-b-client", "demo-b-secret");
        String id = mapper.readTree(send(post("/v2/jobs", token, SEED_BODY)).body()).path("data").path("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "complete".equals(mapper.readTree(send(get("/v2/jobs/" + id, token)).body()).path("data").path("status").asText()));

        String href = mapper.readTree(send(get("/v2/jobs/" + id + "/file", token)).body()).path("data").path("href").asText();

        assertThat(href).contains("X-Amz-Expires=60&");
    }

    @Test
    void malformedUris_getJsonErrorsNeverHtml() throws Exception {
        for (String target : List.of("/v2/jobs/%zz", "/v2/jobs/a|b", "/v2/jobs/{id}", "/v2/jobs/%", "no-slash")) {
            RawResponse response = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(response.headers()).as(target).containsIgnoringCase("Content-Type: application/json");
            assertThat(mapper.readTree(response.body()).path("message").asText()).as(target).isEqualTo("Bad Request");
        }
        RawResponse garbage = raw("HELLO\r\n\r\n");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(mapper.readTree(garbage.body()).path("message").asText()).isEqualTo("Bad Request");
    }

    @Test
    void aKnownPathWithAnotherMethod_is405WithAllowOnTheApiAndTheTokenRoute() throws Exception {
        HttpResponse<String> jobs = send(HttpRequest.newBuilder(URI.create(api + "/v2/jobs"))
                .header("Authorization", "Bearer " + token("demo-a-client", "demo-a-secret"))
                .DELETE().build());
        HttpResponse<String> tokenRoute = send(HttpRequest.newBuilder(URI.create(api + "/oauth/access_token")).GET().build());

        assertThat(jobs.statusCode()).isEqualTo(405);
        assertThat(jobs.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET").contains("POST"));
        assertThat(mapper.readTree(jobs.body()).path("errors").get(0).path("status").asInt()).isEqualTo(405);
        assertThat(tokenRoute.statusCode()).isEqualTo(405);
        assertThat(tokenRoute.headers().firstValue("Allow")).hasValue("POST");
        assertThat(tokenRoute.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(mapper.readTree(tokenRoute.body()).path("errors").get(0).path("status").asInt()).isEqualTo(405);
    }

    @Test
    void theTokenVerifiesAgainstTheJwksOfTheIssuerTheSessionBlockNames() throws Exception {
        String issuer = printed("  issuer:    (\\S+)");
        Jwt.Parsed token = Jwt.parse(token("demo-a-client", "demo-a-secret"));

        JsonNode discovery = mapper.readTree(send(HttpRequest.newBuilder(URI.create(issuer
                + "/.well-known/openid-configuration")).GET().build()).body());
        JsonNode jwks = mapper.readTree(send(HttpRequest.newBuilder(URI.create(discovery.path("jwks_uri").asText()))
                .GET().build()).body());
        JsonNode key = null;
        for (JsonNode jwk : jwks.path("keys")) {
            if (jwk.path("kid").asText().equals(token.keyId())) {
                key = jwk;
            }
        }

        assertThat(discovery.path("issuer").asText()).isEqualTo(issuer);
        assertThat(key).as(jwks.toString()).isNotNull();
        assertThat(token.signedBy(Jwk.toPublicKey(key))).isTrue();
        assertThat(token.claims().path("iss").asText()).isEqualTo(issuer);
        assertThat(token.claims().path("store_id").asText()).isEqualTo("demo-store-a");
    }

    @Test
    void aWebhookDeliveryAsTheSessionBlockPrintsIt_putsItsOrderInTheNextExport() throws Exception {
        // The printed curl's body and header, sent for store B (store A's files are checked against the demo orders).
        String body = printed("  -d '(.+)'; echo");
        String secret = printed("demo-store-b → (\\S+)");
        assertThat(printed("curl -s -X POST \\$API(/integrations/elastic-path/orders/)demo-store-a -H \"X-MOLTIN-SECRET-KEY: "))
                .isEqualTo("/integrations/elastic-path/orders/");
        HttpRequest.Builder delivery = HttpRequest.newBuilder(URI.create(api + "/integrations/elastic-path/orders/demo-store-b"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));

        HttpResponse<String> wrong = send(delivery.copy().header("X-MOLTIN-SECRET-KEY", secret + "x").build());
        HttpResponse<String> delivered = send(delivery.copy().header("X-MOLTIN-SECRET-KEY", secret).build());

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        assertThat(mapper.readTree(delivered.body()).path("result").asText()).isEqualTo("written");
        String token = token("demo-b-client", "demo-b-secret");
        String filter = "gt(created_at,2018-09-14):lt(created_at,2018-09-17):eq(payment,refunded)";
        String id = mapper.readTree(send(post("/v2/jobs", token, "{\"data\":{\"filter\":\"" + filter
                + "\",\"job_type\":\"order_export\"}}")).body()).path("data").path("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "complete".equals(mapper.readTree(send(get("/v2/jobs/" + id, token)).body()).path("data").path("status").asText()));
        String href = mapper.readTree(send(get("/v2/jobs/" + id + "/file", token)).body()).path("data").path("href").asText();

        List<String> expected = new ArrayList<>(expectedDemoIds("demo-store-b", filter));
        expected.add("webhook-order-1");
        assertThat(ExportedFile.of(ExportedFiles.download(href).body()).ids()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theTryItBlock_pastedIntoBash_waitsForTheJobSavesTheFileAndPrintsItsFirstRows() throws Exception {
        Path dir = Files.createTempDirectory("try-it");
        Shell shell = bash(printedBlock("Try it (paste into a shell"), dir);

        assertThat(shell.err()).isEmpty();
        assertThat(shell.out()).contains("\"status\":\"complete\"");
        assertThat(shell.out().lines()).anyMatch(line -> line.startsWith("id,order_number,"));
        assertThat(Files.readString(dir.resolve("orders.csv"))).startsWith("id,order_number,");
    }

    @Test
    void theTryItBlock_withAWrongSecret_printsThe401ItGot() throws Exception {
        Shell shell = bash(printedBlock("Try it (paste into a shell").replace("client_secret=demo-a-secret",
                "client_secret=wrong"), Files.createTempDirectory("try-it"));

        assertThat(shell.err()).contains("HTTP 401: {\"errors\":[{\"status\":401");
    }

    @Test
    void theLoaderLineTheStackPrints_loadsTheSampleOrderOfDocsOrders() throws Exception {
        String command = printedBlock("Load your own orders").replace("\\\n", " ");
        java.util.regex.Matcher parts = java.util.regex.Pattern.compile(
                "^((?:\\w+=\\S+ )+)\\s*mvn -q compile exec:java@(\\w+) -Dexec\\.args=\"([^\"]+)\"$").matcher(command.trim());
        assertThat(parts.matches()).as(command).isTrue();
        Path dir = Files.createTempDirectory("loader");
        Files.writeString(dir.resolve("orders.jsonl"), sampleOrderOfDocsOrders() + "\n");
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Documentation.execExecutions().get(parts.group(2))));
        java.addAll(List.of(parts.group(3).split(" ")));
        ProcessBuilder loader = new ProcessBuilder(java).directory(dir.toFile()).redirectErrorStream(true);
        for (String assignment : parts.group(1).trim().split(" ")) {
            loader.environment().put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }

        Process process = loader.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(printed).isZero();
        assertThat(printed).contains("loaded 1 orders into");
        String token = token("demo-a-client", "demo-a-secret");
        String id = mapper.readTree(send(post("/v2/jobs", token,
                "{\"data\":{\"filter\":\"eq(order_number,90001)\",\"job_type\":\"order_export\"}}")).body())
                .path("data").path("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                "complete".equals(mapper.readTree(send(get("/v2/jobs/" + id, token)).body()).path("data").path("status").asText()));
        String href = mapper.readTree(send(get("/v2/jobs/" + id + "/file", token)).body()).path("data").path("href").asText();
        assertThat(ExportedFile.of(ExportedFiles.download(href).body()).ids()).containsExactly("8b8f5a52-2c1e-4c3a-9f44-1a7f0e2b9d01");
    }

    @Test
    void anEmulatorThatDoesNotAnswer_stopsTheStackWithOneLine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalMain.class.getName(), "--port", Integer.toString(AwsEmulator.freePort())).redirectErrorStream(true);
        builder.environment().put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + AwsEmulator.freePort());

        Process process = builder.start();
        List<String> printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("SLF4J")).toList();

        assertThat(process.waitFor()).isEqualTo(2);
        assertThat(printed).singleElement().asString()
                .startsWith("error: no emulator answers at http://127.0.0.1:").contains("(AWS_ENDPOINT_URL)");
    }

    // ---- helpers

    record Shell(String out, String err) {}

    private static Shell bash(String script, Path dir) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Shell(out, err.get());
    }

    /** The lines the stack printed after a heading that starts so, up to the next blank line. */
    private static String printedBlock(String heading) {
        List<String> block = new ArrayList<>();
        synchronized (output) {
            int at = 0;
            while (at < output.size() && !output.get(at).startsWith(heading)) {
                at++;
            }
            assertThat(at).as("the session block has a heading " + heading + ": " + output).isLessThan(output.size());
            for (int i = at + 2; i < output.size() && !output.get(i).isBlank(); i++) {
                block.add(output.get(i));
            }
        }
        return String.join("\n", block);
    }

    /** The one order of docs/orders.md's sample, as it shows it. */
    private static String sampleOrderOfDocsOrders() {
        List<String> lines = List.of(Documentation.page("docs/orders.md").split("\n"));
        return lines.get(lines.indexOf("```jsonl") + 1);
    }

    /** The first group of the first line of the stack's output that the pattern finds. */
    static String printed(String pattern) {
        java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(pattern);
        synchronized (output) {
            for (String line : output) {
                java.util.regex.Matcher m = compiled.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("the session block has no line matching " + pattern + ": " + output);
    }

    record RawResponse(int status, String headers, String body) {}

    /** Sends bytes no HTTP client would: request lines with targets that are not valid URIs. */
    private static RawResponse raw(String request) throws IOException {
        URI uri = URI.create(api);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String head = response.substring(0, split);
            return new RawResponse(Integer.parseInt(head.split(" ")[1]), head, response.substring(split + 4));
        }
    }

    private String token(String clientId, String secret) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + "/oauth/access_token"))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
                        + "&client_secret=" + secret)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return mapper.readTree(response.body()).path("access_token").asText();
    }

    private HttpRequest post(String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token).GET().build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> expectedDemoIds(String store, String filter) throws Exception {
        OrderFilter parsed = OrderFilter.parse(filter);
        return DemoOrders.forStore(store).stream().map(Order::fromDocument).filter(parsed)
                .sorted(Comparator.comparing(Order::createdAt).thenComparing(Order::id)).map(Order::id).toList();
    }
}
