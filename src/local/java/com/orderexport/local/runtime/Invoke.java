package com.orderexport.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderexport.stack.StackResources;
import com.orderexport.stack.Template;
import java.io.IOException;
import java.net.URI;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sam local invoke} without Docker: runs one function of template.yaml on Lambda's own Java runtime
 * client (a fresh JVM, the artifact's layout, the template's environment) with one event, prints the response
 * (or Lambda's error JSON) on stdout and the function's logs with Lambda's START, END and REPORT lines on
 * stderr. {@code mvn -q test-compile exec:java@invoke -Dfunction=JobsApiFunction -Devent=events/create-job.json}.
 */
public final class Invoke {

    static final String USAGE = "usage: Invoke (-Dfunction=NAME | --function NAME) (-Devent=FILE | --event FILE)"
            + " [--env-vars FILE | --stack NAME] [--snapstart]";

    /** What the command line asks for. */
    record Request(String function, Path event, Path envVars, String stack, boolean snapStart) {

        static Request parse(String[] args, String functionProperty, String eventProperty) {
            String function = functionProperty;
            String event = eventProperty;
            Path envVars = null;
            String stack = null;
            boolean snapStart = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--function" -> function = value(args, ++i, "--function");
                    case "--event" -> event = value(args, ++i, "--event");
                    case "--env-vars" -> envVars = Path.of(value(args, ++i, "--env-vars"));
                    case "--stack" -> stack = value(args, ++i, "--stack");
                    case "--snapstart" -> snapStart = true;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (function == null || function.isBlank()) {
                throw new IllegalArgumentException("name the function: -Dfunction=NAME (a function of template.yaml)");
            }
            if (event == null || event.isBlank()) {
                throw new IllegalArgumentException("name the event file: -Devent=FILE (events/ holds one per function)");
            }
            if (envVars != null && stack != null) {
                throw new IllegalArgumentException("--env-vars and --stack both name the tables: give one");
            }
            return new Request(function, Path.of(event), envVars, stack, snapStart);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }

    private Invoke() {}

    public static void main(String[] args) {
        int status;
        try {
            Request request = Request.parse(args, System.getProperty("function"), System.getProperty("event"));
            status = run(request, Template.load(), System.getenv(), System.out, System.err);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage() + "\n" + USAGE);
            status = 2;
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            status = 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 130;
        }
        System.exit(status);
    }

    /** Runs the invocation; 0 when the function answered, 1 when it failed (its error JSON is printed). */
    static int run(Request request, Template template, Map<String, String> processEnv, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        byte[] event;
        try {
            event = Files.readAllBytes(request.event());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no event file " + request.event());
        }
        Map<String, String> overrides = request.envVars() != null ? envVars(request.envVars(), request.function())
                : request.stack() != null ? localStack(template, request.stack(), request.function(), processEnv)
                : Map.of();
        FunctionSpec spec = FunctionSpec.of(template, request.function(), overrides);
        LambdaLayout layout = LambdaLayout.of(Path.of("target"));
        FunctionEnvironment.Options options = new FunctionEnvironment.Options(request.snapStart(), aws(processEnv),
                List.of(), err);
        try (FunctionEnvironment environment = FunctionEnvironment.start(spec, layout, options)) {
            FunctionEnvironment.Result result = environment.invoke(event);
            out.println(result.payloadText());
            out.flush();
            return result.failed() ? 1 : 0;
        }
    }

    /**
     * An {@code --env-vars} file as sam local reads it: {@code Parameters} apply to every function, then the
     * function's own object by logical id; values that are not text are refused, as sam local refuses them.
     */
    static Map<String, String> envVars(Path file, String function) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IllegalArgumentException("no env-vars file " + file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        Map<String, String> vars = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (String section : List.of("Parameters", function)) {
            root.path(section).properties().forEach(entry -> {
                if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                    vars.put(entry.getKey(), entry.getValue().asText());
                } else {
                    wrong.add(section + "." + entry.getKey());
                }
            });
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(file + ": values must be strings, numbers or booleans: " + wrong);
        }
        return vars;
    }

    /**
     * The variables of a function of the local stack started with {@code --name stack} on the emulator
     * {@code AWS_ENDPOINT_URL} names: its tables, bucket and key (made there now if that stack never ran).
     */
    static Map<String, String> localStack(Template template, String stack, String function,
                                          Map<String, String> processEnv) {
        String endpoint = processEnv.get("AWS_ENDPOINT_URL");
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("--stack needs AWS_ENDPOINT_URL, the emulator the local stack runs on");
        }
        Map<String, String> aws = aws(processEnv);
        // The stack's queue and key clients are built with the SDK's defaults: give those the same region and
        // credentials, unless this JVM already has its own.
        setIfAbsent("aws.region", aws.getOrDefault("AWS_REGION", "us-east-1"));
        setIfAbsent("aws.accessKeyId", aws.get("AWS_ACCESS_KEY_ID"));
        setIfAbsent("aws.secretAccessKey", aws.get("AWS_SECRET_ACCESS_KEY"));
        setIfAbsent("aws.endpointUrl", endpoint);
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(aws.get("AWS_ACCESS_KEY_ID"), aws.get("AWS_SECRET_ACCESS_KEY")));
        Region region = Region.of(aws.getOrDefault("AWS_REGION", "us-east-1"));
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                     .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).region(region).build();
             S3Client s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).forcePathStyle(true)
                     .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).region(region).build()) {
            Map<String, String> env = new HashMap<>(StackResources.create(template, dynamo, s3, stack).environmentOf(function));
            env.put("AWS_ENDPOINT_URL", endpoint);
            return env;
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * The region and credentials the function runs with: the caller's, as sam local passes them into its
     * container; for an emulator without credentials set, the placeholder pair emulators accept.
     */
    static Map<String, String> aws(Map<String, String> processEnv) {
        Map<String, String> aws = new HashMap<>();
        for (String name : List.of("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
            String value = processEnv.get(name);
            if (value != null && !value.isBlank()) {
                aws.put(name, value);
            }
        }
        if (!aws.containsKey("AWS_REGION") && processEnv.containsKey("AWS_DEFAULT_REGION")) {
            aws.put("AWS_REGION", processEnv.get("AWS_DEFAULT_REGION"));
        }
        if (!aws.containsKey("AWS_ACCESS_KEY_ID")) {
            aws.put("AWS_ACCESS_KEY_ID", "test");
            aws.put("AWS_SECRET_ACCESS_KEY", "test");
        }
        return aws;
    }
}
