package com.orderexport.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts a bench main class in a fresh JVM on this run's classpath and reads its one result line: for what
 * must not share a JVM with the benchmark (a heap limit, a cold start).
 */
final class ChildJvm {

    /** A child's result line, and how long after its start the parent read it. */
    record Result(String line, double secondsToLine, int exitCode) {}

    private ChildJvm() {}

    /**
     * Runs {@code mainClass} and waits for it to exit. Its stderr goes to {@code target/bench-<name>.log};
     * its stdout is read for the first line starting with {@code marker}.
     */
    static Result run(Class<?> mainClass, List<String> jvmOptions, Map<String, String> environment, String marker,
                      String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path log = Files.createDirectories(Path.of("target")).resolve("bench-" + mainClass.getSimpleName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        String found = null;
        double seconds = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (found == null && line.startsWith(marker)) {
                    seconds = SideBySide.secondsSince(start);
                    found = line;
                }
            }
        }
        int exit = process.waitFor();
        return new Result(found, seconds, exit);
    }

    /** A field {@code name=value} of a result line. */
    static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + name + " in: " + line);
    }

    /**
     * This run's classpath. Under exec:java, java.class.path is Maven's own launcher; the project's test
     * classpath is the URLs of the class loader the plugin built, so those come first.
     */
    static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader(); loader != null;
             loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException notAFile) {
                        // not a local file; a child could not use it anyway
                    }
                }
            }
        }
        if (entries.isEmpty()) {
            entries.add(System.getProperty("java.class.path"));
        }
        return String.join(File.pathSeparator, entries);
    }
}
