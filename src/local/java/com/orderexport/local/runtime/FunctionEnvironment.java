package com.orderexport.local.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment of a function: a JVM whose main class is Lambda's runtime interface client, given
 * the function's Handler string, started in the artifact's task root with the environment Lambda sets (the
 * function's variables, {@code JAVA_TOOL_OPTIONS} among them, and the reserved {@code AWS_LAMBDA_*} ones),
 * polling its own {@link RuntimeApi}. It takes one invocation at a time, as Lambda keeps one environment per
 * concurrent invocation; a timeout or a crash ends it, as in Lambda. With SnapStart on, the runtime runs the
 * CRaC before-checkpoint hooks after init and the after-restore hooks before its first event.
 */
final class FunctionEnvironment implements AutoCloseable {

    /** Lambda's limit on a function's init phase before it counts as failed. */
    static final Duration INIT_LIMIT = Duration.ofSeconds(10);

    /** What one invocation returned and what Lambda's REPORT line says of it. */
    record Result(String requestId, RuntimeApi.Answer answer, Duration duration, int memoryMb, long maxMemoryUsedMb,
                  Optional<Duration> init, Optional<Duration> restore) {

        boolean failed() {
            return answer instanceof RuntimeApi.Answer.Error;
        }

        /** The response body, or Lambda's error JSON. */
        byte[] payload() {
            return answer instanceof RuntimeApi.Answer.Response response ? response.body()
                    : ((RuntimeApi.Answer.Error) answer).body();
        }

        String payloadText() {
            return new String(payload(), StandardCharsets.UTF_8);
        }

        /** Lambda's REPORT line, tab-separated as in CloudWatch Logs. */
        String reportLine() {
            double ms = duration.toNanos() / 1e6;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t"
                            + "Max Memory Used: %d MB", requestId, ms, (long) Math.ceil(ms), memoryMb, maxMemoryUsedMb));
            init.ifPresent(d -> line.append(String.format(Locale.ROOT, "\tInit Duration: %.2f ms", d.toNanos() / 1e6)));
            restore.ifPresent(d -> line.append(String.format(Locale.ROOT,
                    "\tRestore Duration: %.2f ms\tBilled Restore Duration: %d ms", d.toNanos() / 1e6,
                    (long) Math.ceil(d.toNanos() / 1e6))));
            return line.toString();
        }
    }

    /**
     * How to start an environment.
     *
     * @param snapStart  run SnapStart's hooks (before-checkpoint after init, after-restore before the first event)
     * @param aws        region and credentials for the function, as Lambda puts its role's into the environment
     * @param jvmOptions more JVM options (a test's class-load log, say), after those Lambda's runtime uses
     * @param logs       where the function's stdout and stderr go, with the START, END and REPORT lines
     */
    record Options(boolean snapStart, Map<String, String> aws, List<String> jvmOptions, OutputStream logs) {}

    private final FunctionSpec spec;
    private final RuntimeApi api;
    private final Process process;
    private final Options options;
    private final long startedNanos;
    private boolean first = true;

    private FunctionEnvironment(FunctionSpec spec, RuntimeApi api, Process process, Options options, long startedNanos) {
        this.spec = spec;
        this.api = api;
        this.process = process;
        this.options = options;
        this.startedNanos = startedNanos;
    }

    static FunctionEnvironment start(FunctionSpec spec, LambdaLayout layout, Options options) throws IOException {
        String region = options.aws().getOrDefault("AWS_REGION", "us-east-1");
        RuntimeApi api = RuntimeApi.start(spec.arn(region));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The managed runtime's own choices: the heap sized from the function's memory, the serial collector
        // (one or two vCPUs), and org.crac's hooks delivered by the runtime client's CRaC context.
        command.add("-XX:MaxHeapSize=" + (spec.memoryMb() * 85 / 100) + "m");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        command.addAll(options.jvmOptions());
        command.add("-cp");
        command.add(layout.runtimeClassPath());
        command.add(LambdaLayout.RUNTIME_MAIN);
        command.add(spec.handler());
        ProcessBuilder builder = new ProcessBuilder(command).directory(layout.taskRoot().toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(spec.environment());
        env.putAll(options.aws());
        env.putIfAbsent("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/')
                + "/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
        env.put("AWS_LAMBDA_LOG_FORMAT", spec.logFormat().toUpperCase(Locale.ROOT));
        if (!spec.logLevel().isEmpty() && spec.logFormat().equalsIgnoreCase("JSON")) {
            env.put("AWS_LAMBDA_LOG_LEVEL", spec.logLevel());
        }
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", options.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("LAMBDA_TASK_ROOT", layout.taskRoot().toString());
        env.put("_HANDLER", spec.handler());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            api.close();
            throw e;
        }
        pump(process.getInputStream(), options.logs(), spec.name() + "-stdout");
        pump(process.getErrorStream(), options.logs(), spec.name() + "-stderr");
        return new FunctionEnvironment(spec, api, process, options, started);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String functionName() {
        return spec.name();
    }

    /**
     * Hands the event to the runtime and waits for its answer. A first invocation waits for init too (at most
     * {@link #INIT_LIMIT}); the function's Timeout counts from when the runtime takes the event.
     */
    synchronized Result invoke(byte[] event) throws InterruptedException {
        RuntimeApi.Invocation invocation = api.submit(event, spec.timeout());
        Optional<Duration> init = Optional.empty();
        Optional<Duration> restore = Optional.empty();
        if (first) {
            first = false;
            Optional<RuntimeApi.Answer> failedInit = awaitInit(invocation.requestId());
            long ready = System.nanoTime();
            if (failedInit.isPresent()) {
                return result(invocation, failedInit.get(), Duration.ofNanos(ready - startedNanos), init, restore);
            }
            if (options.snapStart() && api.restoreRequestedNanos() > 0) {
                restore = Optional.of(Duration.ofNanos(ready - api.restoreRequestedNanos()));
            } else {
                init = Optional.of(Duration.ofNanos(ready - startedNanos));
            }
        }
        log("START RequestId: " + invocation.requestId() + " Version: $LATEST");
        long start = System.nanoTime();
        long deadline = start + spec.timeout().toNanos();
        RuntimeApi.Answer answer = null;
        while (answer == null) {
            try {
                answer = invocation.answer().get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    answer = exited(invocation.requestId());
                } else if (System.nanoTime() > deadline) {
                    // Lambda ends the environment of a function that overran its timeout.
                    process.destroyForcibly();
                    answer = lambdaError("Sandbox.Timedout", "RequestId: " + invocation.requestId()
                            + " Error: Task timed out after " + String.format(Locale.ROOT, "%.2f", spec.timeout().toMillis() / 1000.0)
                            + " seconds");
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        Result result = result(invocation, answer, Duration.ofNanos(System.nanoTime() - start), init, restore);
        log("END RequestId: " + invocation.requestId());
        log(result.reportLine());
        return result;
    }

    private Optional<RuntimeApi.Answer> awaitInit(String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + INIT_LIMIT.toNanos() + (options.snapStart() ? spec.timeout().toNanos() : 0);
        while (true) {
            try {
                Optional<RuntimeApi.Answer.Error> error = api.initialised().get(50, TimeUnit.MILLISECONDS);
                return error.map(RuntimeApi.Answer.class::cast);
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    return Optional.of(exited(requestId));
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    return Optional.of(lambdaError("Sandbox.Timedout", "RequestId: " + requestId
                            + " Error: the function's init took longer than " + INIT_LIMIT.toSeconds() + " s"));
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private RuntimeApi.Answer exited(String requestId) {
        // The runtime may have posted an init error just before exiting: that one is the better answer.
        Optional<RuntimeApi.Answer.Error> reported = api.initialised().getNow(Optional.empty());
        if (reported.isPresent()) {
            return reported.get();
        }
        try {
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String status = process.isAlive() ? "unknown" : Integer.toString(process.exitValue());
        return lambdaError("Runtime.ExitError", "RequestId: " + requestId
                + " Error: Runtime exited with error: exit status " + status);
    }

    private Result result(RuntimeApi.Invocation invocation, RuntimeApi.Answer answer, Duration duration,
                          Optional<Duration> init, Optional<Duration> restore) {
        return new Result(invocation.requestId(), answer, duration, spec.memoryMb(), maxMemoryUsedMb(), init, restore);
    }

    /** The environment's peak resident memory, as Lambda's "Max Memory Used" (Linux's VmHWM); 0 where unknown. */
    private long maxMemoryUsedMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process has gone: the figure is unknown.
        }
        return 0;
    }

    private static RuntimeApi.Answer.Error lambdaError(String type, String message) {
        String json = "{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\"", "\\\"") + "\"}";
        return new RuntimeApi.Answer.Error(type, json.getBytes(StandardCharsets.UTF_8));
    }

    private void log(String line) {
        synchronized (options.logs()) {
            try {
                options.logs().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                options.logs().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void pump(InputStream from, OutputStream to, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (from) {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    synchronized (to) {
                        to.write(buffer, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // The process has gone; nothing more to copy.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        api.close();
    }
}
