package com.orderexport.stack;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A running AWS emulator for the integration tests: the one {@code AWS_ENDPOINT_URL} already names, else
 * LocalStack in Docker, else {@code moto_server} as a child process. With none of them the run fails: an
 * integration suite that silently skips would be counted as passing.
 */
public final class AwsEmulator implements AutoCloseable {

    /**
     * Kept at 4.4 on purpose: LocalStack's images after 4.14 need an auth token (LOCALSTACK_AUTH_TOKEN) since
     * 2026-03, so a pin below those runs for anyone without one, where a later image would not start.
     */
    static final String LOCALSTACK_IMAGE = "localstack/localstack:4.4";
    /** The keys LocalStack checks presigned links with: it recomputes every signature with the secret "test". */
    private static final String LOCALSTACK_KEY = "test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final String description;
    private final AutoCloseable owned;
    private final boolean kept;
    private final boolean localStack;

    private AwsEmulator(URI endpoint, String description, AutoCloseable owned, boolean kept, boolean localStack) {
        this.endpoint = endpoint;
        this.description = description;
        this.owned = owned;
        this.kept = kept;
        this.localStack = localStack;
    }

    /** True for the emulator AWS_ENDPOINT_URL names: it outlives this process, and what was made on it stays. */
    public boolean keptAfterStop() {
        return kept;
    }

    /**
     * True for the LocalStack container this class started, which checks presigned links' signatures and expiry
     * and deletes expired TTL items; tests of those checks run only here. False for moto_server, and for the
     * emulator AWS_ENDPOINT_URL names, whatever it is: how that one was started is not known.
     */
    public boolean isLocalStack() {
        return localStack;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String description() {
        return description;
    }

    /**
     * Points every SDK client this JVM builds afterwards at the emulator, through the system-property forms
     * of {@code AWS_ENDPOINT_URL} and friends: the functions build their clients exactly as in AWS. Also
     * turns on the {@link TransactionGuard} against moto undoing writes made during a cancelled transaction.
     */
    public void pointSdkHere() {
        System.setProperty("aws.endpointUrl", endpoint.toString());
        System.setProperty(TransactionGuard.ENABLED, "true");
        setIfAbsent("aws.region", "AWS_REGION", "us-east-1");
        if (localStack) {
            // Set even over the developer's own keys: LocalStack refuses every link signed with another secret.
            System.setProperty("aws.accessKeyId", LOCALSTACK_KEY);
            System.setProperty("aws.secretAccessKey", LOCALSTACK_KEY);
        } else {
            setIfAbsent("aws.accessKeyId", "AWS_ACCESS_KEY_ID", "test");
            setIfAbsent("aws.secretAccessKey", "AWS_SECRET_ACCESS_KEY", "test");
        }
    }

    private static void setIfAbsent(String property, String variable, String value) {
        if (System.getProperty(property) == null && System.getenv(variable) == null) {
            System.setProperty(property, value);
        }
    }

    public static AwsEmulator start() {
        String configured = System.getenv("AWS_ENDPOINT_URL");
        if (configured != null && !configured.isBlank()) {
            URI endpoint = answering(configured.trim());
            return new AwsEmulator(endpoint, "emulator at " + endpoint, () -> { }, true, false);
        }
        if (dockerAnswers()) {
            return startLocalStack();
        }
        if (onPath("moto_server")) {
            return startMoto();
        }
        throw new IllegalStateException("no AWS emulator: start a Docker engine (LocalStack runs through "
                + "Testcontainers), install moto_server (pip install 'moto[server]'), or set AWS_ENDPOINT_URL to a "
                + "running emulator");
    }

    /** The emulator AWS_ENDPOINT_URL names, once something answers HTTP there; a one-line reason otherwise. */
    private static URI answering(String configured) {
        URI endpoint;
        try {
            endpoint = URI.create(configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("AWS_ENDPOINT_URL is not a URL: " + configured);
        }
        if (endpoint.getHost() == null || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalStateException("AWS_ENDPOINT_URL must be an http(s) URL such as http://localhost:4566, not "
                    + configured);
        }
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            connection.getResponseCode();
            connection.disconnect();
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("no emulator answers at " + configured + " (AWS_ENDPOINT_URL): " + e
                    + "; start it, or unset AWS_ENDPOINT_URL to use moto_server or LocalStack");
        }
    }

    /**
     * LocalStack with two checks moto does not make: presigned links are refused when their signature or expiry
     * is wrong (S3_SKIP_SIGNATURE_VALIDATION=0; its default skips both), and items past their TTL are deleted
     * (DYNAMODB_REMOVE_EXPIRED_ITEMS=1: an hourly sweep, which DELETE /_aws/dynamodb/expired runs at once).
     */
    private static AwsEmulator startLocalStack() {
        LocalStackContainer localStack = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE))
                .withEnv("S3_SKIP_SIGNATURE_VALIDATION", "0")
                .withEnv("DYNAMODB_REMOVE_EXPIRED_ITEMS", "1");
        localStack.start();
        return new AwsEmulator(localStack.getEndpoint(), "LocalStack " + LOCALSTACK_IMAGE, localStack::stop, false, true);
    }

    private static AwsEmulator startMoto() {
        int port = freePort();
        try {
            Path log = Files.createDirectories(Path.of("target")).resolve("moto_server-" + port + ".log");
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            AutoCloseable stop = () -> stop(process);
            // Also stop it if the JVM is torn down without the test framework closing us.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process)));
            awaitReady(endpoint, process, log);
            return new AwsEmulator(endpoint, "moto_server on port " + port, stop, false, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server: " + e.getMessage(), e);
        }
    }

    private static void awaitReady(URI endpoint, Process process, Path log) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited at start; see " + log.toAbsolutePath());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                if (connection.getResponseCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto_server", e);
            }
        }
        stop(process);
        throw new IllegalStateException("moto_server did not answer within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** Stops what this process started; unchecked, so a try-with-resources need not handle an interrupt. */
    @Override
    public void close() {
        try {
            owned.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the emulator did not stop cleanly", e);
        }
    }
}
