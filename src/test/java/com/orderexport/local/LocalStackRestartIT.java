package com.orderexport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.config.Settings;
import com.orderexport.stack.AwsEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The local stack against an emulator it did not start, under a fixed --name: a first run takes 100 jobs at
 * once with an Idempotency-Key conflict among them and exports them all; a second run under the same name
 * finds the same tables and bucket and still serves the first run's jobs and files.
 * <p>
 * The emulator is this test's own: moto copies a table for every transaction, and on the suite's shared
 * emulator, which by now holds every earlier test's data, a burst of 300 creates outlasted the API's 6 s
 * budget for a DynamoDB call. The clients send what a careful client sends, an Idempotency-Key per create, and
 * try a 503 again after its Retry-After: the service's answer to a slow dependency, which must still give
 * exactly one job per create. A hundred jobs, not more: moto copies the table, its stream's every record
 * included, for each item of each transaction, so a run of n jobs costs the emulator about n² (300 took seven
 * minutes to export on this test's own emulator, 100 take under one).
 */
class LocalStackRestartIT {

    static final int JOBS = 100;
    static final String BODY = "{\"data\":{\"filter\":\"" + LocalStackE2EIT.SEED_FILTER + "\",\"job_type\":\"order_export\"}}";
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper mapper = new ObjectMapper();
    /** What the first run handed out that the second must honour: a token, its issuer and completion queue lines. */
    String firstToken;
    List<String> firstSessionLines;

    @Test
    void aRestartUnderTheSameName_reusesTheResourcesAndAFirstRunExportsAllOf100ConcurrentJobs() throws Exception {
        String name = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        try (AwsEmulator emulator = AwsEmulator.start()) {
            firstRun(emulator, name, ids);
            secondRun(emulator, name, ids);
        }
    }

    void firstRun(AwsEmulator emulator, String name, List<String> ids) throws Exception {
        try (Running first = Running.start(emulator, name, true)) {
            String tokenA = first.token("demo-a-client", "demo-a-secret");
            firstToken = tokenA;
            firstSessionLines = first.output().stream()
                    .filter(line -> line.startsWith("  issuer:") || line.startsWith("Completion events")).toList();
            String tokenB = first.token("demo-b-client", "demo-b-secret");
            long began = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<Future<Answers>> posts = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String token = i % 2 == 0 ? tokenA : tokenB;
                String key = i == JOBS / 2 ? "k-" + name : "create-" + name + "-" + i;
                posts.add(clients.submit(() -> first.createAsAClientWould(token, BODY, key)));
                if (i == JOBS * 2 / 3) {
                    // The same key with another body: a conflict, which moto answers by putting the table back.
                    posts.add(clients.submit(() -> first.createAsAClientWould(tokenA,
                            BODY.replace("refunded", "paid"), "k-" + name)));
                }
            }
            clients.shutdown();
            List<String> unexpected = new ArrayList<>();
            int conflicts = 0;
            for (Future<Answers> post : posts) {
                Answers answers = post.get(3, TimeUnit.MINUTES);
                unexpected.addAll(answers.retried());
                HttpResponse<String> response = answers.last();
                if (response.statusCode() == 202) {
                    ids.add(mapper.readTree(response.body()).path("data").path("id").asText());
                } else if (response.statusCode() == 409 && conflicts == 0) {
                    conflicts++;
                } else {
                    unexpected.add(response.statusCode() + " " + response.body());
                }
            }
            long created = System.nanoTime();
            System.out.printf("LocalStackRestartIT: %d creates in %d ms, %d answers tried again%n",
                    JOBS + 1, (created - began) / 1_000_000, unexpected.size());
            // Answers that were tried again are listed too, so a run that needed them says so.
            assertThat(ids).as("202s; answers other than the one 409: %s", unexpected).hasSize(JOBS).doesNotHaveDuplicates();
            assertThat(conflicts).as("the Idempotency-Key conflict").isEqualTo(1);
            assertThat(unexpected).as("answers other than 202, the one 409 and 503s tried again")
                    .allMatch(answer -> answer.startsWith("503 "));

            // A store's jobs run one at a time, each woken when the one before it is decided: 50 in a row.
            try {
                await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        first.completeJobs(tokenA).size() + first.completeJobs(tokenB).size() == JOBS);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                List<String> output = first.output();
                throw new AssertionError("complete: " + first.completeJobs(tokenA).size() + " of store A's, "
                        + first.completeJobs(tokenB).size() + " of store B's; the stack's last lines:\n"
                        + String.join("\n", output.subList(Math.max(0, output.size() - 60), output.size())), e);
            }
            System.out.printf("LocalStackRestartIT: %d jobs exported in %d ms%n", JOBS, (System.nanoTime() - created) / 1_000_000);
            assertThat(first.completeJobs(tokenA)).hasSize(JOBS / 2);
        }
    }

    void secondRun(AwsEmulator emulator, String name, List<String> ids) throws Exception {
        String keyed = ids.get(0);
        try (Running second = Running.start(emulator, name, false)) {
            String tokenA = second.token("demo-a-client", "demo-a-secret");
            String tokenB = second.token("demo-b-client", "demo-b-secret");

            assertThat(second.output()).anyMatch(line -> line.contains("*-" + name + " (restart with"));
            assertThat(firstSessionLines).hasSize(2);
            assertThat(second.output()).containsAll(firstSessionLines);
            HttpResponse<String> withFirstRunsToken = second.send(second.get("/v2/jobs", firstToken));
            assertThat(withFirstRunsToken.statusCode()).as(withFirstRunsToken.body()).isEqualTo(200);
            List<String> complete = new ArrayList<>(second.completeJobs(tokenA));
            complete.addAll(second.completeJobs(tokenB));
            assertThat(complete).containsExactlyInAnyOrderElementsOf(ids);
            JsonNode link = mapper.readTree(second.send(second.get("/v2/jobs/" + keyed + "/file", tokenA)).body());
            HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(link.path("data").path("href").asText()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).startsWith("id,");
        }
    }

    /** A create's last answer, and those it tried again. */
    record Answers(List<String> retried, HttpResponse<String> last) {}

    /** One LocalMain process on a free port against the test run's emulator, stopped as Ctrl-C would. */
    static final class Running implements AutoCloseable {
        final Process process;
        final String api;
        final List<String> output = new ArrayList<>();
        final HttpClient http = HttpClient.newHttpClient();
        final ObjectMapper mapper = new ObjectMapper();

        private Running(Process process, String api) {
            this.process = process;
            this.api = api;
        }

        static Running start(AwsEmulator emulator, String name, boolean demoData) throws Exception {
            int port = AwsEmulator.freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LocalMain.class.getName(), "--port", Integer.toString(port), "--name", name).redirectErrorStream(true);
            if (!demoData) {
                builder.command().add("--no-demo-data");
            }
            builder.environment().put("AWS_ENDPOINT_URL", emulator.endpoint().toString());
            // 50 jobs of one store at once: above the template's default admission limit, which would refuse most.
            builder.environment().put(Settings.MAX_UNFINISHED_JOBS_PER_STORE, Integer.toString(JOBS));
            Running running = new Running(builder.start(), "http://127.0.0.1:" + port);
            CompletableFuture<Void> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(running.process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        synchronized (running.output) {
                            running.output.add(line);
                        }
                        if (line.startsWith("Ready.")) {
                            ready.complete(null);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                ready.completeExceptionally(new IllegalStateException("the local stack exited: " + running.output()));
            });
            reader.setDaemon(true);
            reader.start();
            try {
                ready.get(3, TimeUnit.MINUTES);
            } catch (Exception e) {
                running.close();
                throw e;
            }
            return running;
        }

        List<String> output() {
            synchronized (output) {
                return List.copyOf(output);
            }
        }

        String token(String clientId, String secret) throws Exception {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + "/oauth/access_token"))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
                            + "&client_secret=" + secret)).build());
            return mapper.readTree(response.body()).path("access_token").asText();
        }

        HttpResponse<String> post(String path, String token, String body, Map<String, String> headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            return send(request.build());
        }

        /**
         * A create with its Idempotency-Key, tried again after the Retry-After of a 503 (up to five times) as a
         * client should: the key makes the retry return the job the first try may have stored.
         */
        Answers createAsAClientWould(String token, String body, String idempotencyKey) throws Exception {
            List<String> retried = new ArrayList<>();
            for (int attempt = 1; ; attempt++) {
                HttpResponse<String> response = post("/v2/jobs", token, body, Map.of("Idempotency-Key", idempotencyKey));
                if (response.statusCode() != 503 || attempt == 6) {
                    return new Answers(retried, response);
                }
                retried.add(response.statusCode() + " " + response.body());
                Thread.sleep(1000L * Integer.parseInt(response.headers().firstValue("Retry-After").orElse("1")));
            }
        }

        HttpRequest get(String path, String token) {
            return HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token).GET().build();
        }

        HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        /** The ids of the caller's complete jobs, every page of the list. */
        List<String> completeJobs(String token) throws Exception {
            List<String> complete = new ArrayList<>();
            for (int offset = 0; ; offset += 100) {
                JsonNode page = mapper.readTree(send(get("/v2/jobs?page%5Blimit%5D=100&page%5Boffset%5D=" + offset, token)).body());
                for (JsonNode job : page.path("data")) {
                    if ("complete".equals(job.path("status").asText())) {
                        complete.add(job.path("id").asText());
                    }
                }
                if (page.path("data").size() < 100) {
                    return complete;
                }
            }
        }

        @Override
        public void close() {
            process.destroy(); // SIGTERM, as Ctrl-C; the emulator is the test run's and keeps running
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
