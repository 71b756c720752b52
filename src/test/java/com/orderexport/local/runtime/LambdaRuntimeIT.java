package com.orderexport.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.testing.SampleEventsContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The events/ files on Lambda's own Java runtime client: one JVM per function on the layout sam build
 * produces, started as the managed java21 runtime starts it (with SnapStart's hooks, as the template turns
 * SnapStart on), the template's environment pointed at this run's stack. Checked as {@link SampleEventsContract}
 * says, plus what only a runtime of its own shows: the REPORT figures, the invoke command's output, and that
 * every jar the artifact carries is one some function loads.
 */
class LambdaRuntimeIT extends SampleEventsContract {

    static final Path LOGS = Path.of("target", "lambda-runtime-logs");
    /** Matches a class-load log line's jar: {@code ... source: file:/.../lib/group.artifact-1.0.jar}. */
    static final Pattern LIB_JAR = Pattern.compile("source: (?:jar:)?file:.*/lib/([^/!]+\\.jar)");

    /**
     * Jars of lib/ that no function loads and yet stay, each for its reason; any other unloaded jar fails
     * {@link #everyJarInTheArtifactsLib_isLoadedBySomeFunction}.
     */
    static final Map<String, String> SHIPPED_BUT_NOT_LOADED = Map.of(
            "com.amazonaws.aws-lambda-java-core", "the runtime's own copy, on its system class path, comes first;"
                    + " the operators' commands (exec:java@admin) run outside Lambda and need it",
            "software.amazon.awssdk.utils-lite", "likewise: the runtime client brings its own",
            "software.amazon.awssdk.annotations", "the SDK's compile-time annotations (@SdkPublicApi, ...)",
            "software.amazon.awssdk.arns", "S3 reads bucket names given as access-point ARNs with it; ours are names",
            "software.amazon.awssdk.crt-core", "the SDK's types for the CRT clients and checksums, which are not here");

    private final Map<String, FunctionEnvironment> environments = new HashMap<>();
    private final Map<String, FunctionEnvironment.Result> firstResults = new HashMap<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private LambdaLayout layout;

    /** Class-load logs of an earlier run would count jars this run never loaded. */
    @BeforeAll
    void startWithNoLogsOfEarlierRuns() throws IOException {
        if (Files.isDirectory(LOGS)) {
            try (var old = Files.list(LOGS)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(LOGS);
    }

    @Override
    protected JsonNode invoke(String function, Path event) throws Exception {
        FunctionEnvironment environment = environments.computeIfAbsent(function, this::start);
        FunctionEnvironment.Result result = environment.invoke(Files.readAllBytes(event));
        firstResults.putIfAbsent(function, result);
        assertThat(result.failed()).as(function + " answered Lambda's error JSON: " + result.payloadText()).isFalse();
        return mapper.readTree(result.payload());
    }

    @Test
    @Order(5)
    void everyFunctionStarted_ranItsSnapStartHooksBeforeItsFirstEvent_andReportedItsMemory() {
        assertThat(firstResults.keySet()).containsExactlyInAnyOrderElementsOf(Set.copyOf(FUNCTION_OF_EVENT.values()));
        firstResults.forEach((function, result) -> {
            assertThat(result.restore()).as(function + ": " + result.reportLine()).isPresent();
            assertThat(result.reportLine()).as(function).startsWith("REPORT RequestId: " + result.requestId())
                    .contains("\tMemory Size: " + stack.template().globalOrOwn(function, "MemorySize").asInt() + " MB");
            assertThat(result.maxMemoryUsedMb()).as(function).isPositive();
        });
    }

    /** What the docs show: the command prints the response on stdout, the logs and REPORT line on stderr. */
    @Test
    @Order(5)
    void invokeCommand_withAnEnvVarsFile_printsTheResponseAndLambdasReportLine() throws Exception {
        Path envVars = Files.createTempFile(LOGS, "env-", ".json");
        Files.writeString(envVars, mapper.writeValueAsString(Map.of("JobsApiFunction", environmentOf("JobsApiFunction"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Invoke.run(new Invoke.Request("JobsApiFunction", Path.of("events", "get-job.json"), envVars, null, false),
                stack.template(), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode response = mapper.readTree(out.toByteArray());
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        assertThat(mapper.readTree(response.path("body").asText()).path("data").path("id").asText()).isEqualTo(DEMO_JOB_ID);
        assertThat(err.toString(StandardCharsets.UTF_8)).containsPattern(
                "REPORT RequestId: \\S+\tDuration: [0-9.]+ ms\tBilled Duration: \\d+ ms\tMemory Size: 1024 MB\t"
                        + "Max Memory Used: \\d+ MB\tInit Duration: [0-9.]+ ms");
    }

    /** --stack names a local stack's tables: on a stack that never ran they are made, empty, and the job is not found. */
    @Test
    @Order(5)
    void invokeCommand_withALocalStacksName_findsItsTables() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Invoke.run(new Invoke.Request("JobsApiFunction", Path.of("events", "get-job.json"), null,
                        "invoke-" + Long.toString(System.nanoTime(), 36), false), stack.template(),
                Map.of("AWS_ENDPOINT_URL", stack.emulator().endpoint().toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode response = mapper.readTree(out.toByteArray());
        assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(404);
    }

    /** An event the handler's type cannot take fails as Lambda fails it: exit status 1 and Lambda's error JSON. */
    @Test
    @Order(5)
    void invokeCommand_withAnEventThatIsNotJson_printsLambdasErrorJsonAndExitsWith1() throws Exception {
        Path event = Files.writeString(Files.createTempFile(LOGS, "event-", ".json"), "{\"rawPath\": ");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = Invoke.run(new Invoke.Request("JobsApiFunction", event, null, null, false), stack.template(),
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        JsonNode error = mapper.readTree(out.toByteArray());
        assertThat(error.path("errorType").asText()).as(error.toString()).isNotBlank();
        assertThat(error.path("errorMessage").asText()).as(error.toString()).isNotBlank();
    }

    /** A Handler string naming no class is the runtime's to report, through the Runtime API, as Lambda shows it. */
    @Test
    @Order(5)
    void aHandlerStringNamingNoClass_failsItsInvocationWithTheRuntimesClassNotFoundError() throws Exception {
        FunctionSpec real = FunctionSpec.of(stack.template(), "SweeperFunction", environmentOf("SweeperFunction"));
        FunctionSpec wrong = new FunctionSpec(real.name(), "com.orderexport.export.NoSuchHandler::handleRequest",
                real.memoryMb(), real.timeout(), real.logFormat(), real.logLevel(), real.environment());

        try (FunctionEnvironment environment = FunctionEnvironment.start(wrong, layout(), new FunctionEnvironment.Options(
                false, Invoke.aws(Map.of()), List.of(), OutputStream.nullOutputStream()))) {
            FunctionEnvironment.Result result = environment.invoke(Files.readAllBytes(Path.of("events", "sweep.json")));

            assertThat(result.failed()).isTrue();
            assertThat(result.payloadText()).contains("ClassNotFound").contains("NoSuchHandler");
        }
    }

    /**
     * The artifact carries no jar that no function loads: a dependency that comes back through a new SDK
     * module (as the Apache HTTP clients did) fails here, not in a bigger, slower cold start.
     */
    @Test
    @Order(6)
    void everyJarInTheArtifactsLib_isLoadedBySomeFunction() throws IOException {
        Set<String> loaded = new TreeSet<>();
        try (var logs = Files.list(LOGS)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith("-classes.log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    Matcher jar = LIB_JAR.matcher(line);
                    if (jar.find()) {
                        loaded.add(jar.group(1));
                    }
                }
            }
        }
        Set<String> notLoaded = new TreeSet<>();
        layout().libJars().forEach(jar -> notLoaded.add(jar.getFileName().toString()));
        notLoaded.removeAll(loaded);
        notLoaded.removeIf(jar -> SHIPPED_BUT_NOT_LOADED.keySet().stream().anyMatch(kept -> jar.startsWith(kept + "-")));

        assertThat(loaded).as("jars the functions loaded").isNotEmpty();
        assertThat(notLoaded).as("jars in lib/ that no function loaded (exclude them in pom.xml)").isEmpty();
    }

    @AfterAll
    void stopTheEnvironments() {
        environments.values().forEach(FunctionEnvironment::close);
    }

    private FunctionEnvironment start(String function) {
        try {
            FunctionSpec spec = FunctionSpec.of(stack.template(), function, environmentOf(function));
            OutputStream logs = Files.newOutputStream(LOGS.resolve(function + ".log"));
            Path classes = LOGS.resolve(function + "-classes.log").toAbsolutePath();
            return FunctionEnvironment.start(spec, layout(), new FunctionEnvironment.Options(true, Invoke.aws(Map.of()),
                    List.of("-Xlog:class+load=info:file=" + classes + "::filecount=0"), logs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LambdaLayout layout() {
        if (layout == null) {
            layout = LambdaLayout.of(Path.of("target"));
        }
        return layout;
    }

    /** The function's variables with this run's table, bucket and key names, pointed at the emulator. */
    private Map<String, String> environmentOf(String function) {
        Map<String, String> env = new HashMap<>(stack.resources().environmentOf(function));
        env.put("AWS_ENDPOINT_URL", stack.emulator().endpoint().toString());
        return env;
    }
}
