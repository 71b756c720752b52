package com.orderexport.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The function code as Lambda receives it from {@code sam build}, and the runtime's own jars. sam build's
 * Maven workflow copies {@code target/classes} to the artifact's root and {@code target/dependency} (the
 * runtime-scope jars, {@code dependency:copy-dependencies -DincludeScope=runtime -Dmdep.prependGroupId=true})
 * to its {@code lib/}; the pom's {@code lambda-lib} execution makes that directory the same way and the
 * Makefile ships exactly these two. The task root here ({@code target/lambda-task-*}, one per JVM) links to
 * them rather than copying 24 MB per start.
 * The runtime client and its serialization library are on the system class path, as in the managed
 * runtime's {@code /var/runtime/lib}, and never in {@code lib/}.
 */
record LambdaLayout(Path taskRoot, List<Path> libJars, List<Path> runtimeJars) {

    static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** Builds {@code target/lambda-task} from the build's output; fails with what to run when a part is missing. */
    static LambdaLayout of(Path target) {
        Path classes = target.resolve("classes");
        Path lib = target.resolve("dependency");
        Path runtime = target.resolve("lambda-runtime");
        for (Path needed : List.of(classes, lib, runtime)) {
            if (!Files.isDirectory(needed)) {
                throw new IllegalStateException(needed + " is missing: run mvn -q test-compile first");
            }
        }
        try {
            // One per JVM: an invoke started while the local stack runs must not pull its links away.
            Path taskRoot = Files.createTempDirectory(target, "lambda-task-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    deleteTree(taskRoot);
                } catch (IOException e) {
                    // Left under target/, which mvn clean removes.
                }
            }));
            try (Stream<Path> entries = Files.list(classes)) {
                for (Path entry : entries.toList()) {
                    Files.createSymbolicLink(taskRoot.resolve(entry.getFileName().toString()), entry.toAbsolutePath());
                }
            }
            Files.createSymbolicLink(taskRoot.resolve("lib"), lib.toAbsolutePath());
            return new LambdaLayout(taskRoot.toAbsolutePath(), jarsIn(lib), jarsIn(runtime));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the function under " + target, e);
        }
    }

    /** The system class path of the runtime's JVM. */
    String runtimeClassPath() {
        return String.join(java.io.File.pathSeparator, runtimeJars.stream().map(Path::toString).toList());
    }

    private static List<Path> jarsIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).map(Path::toAbsolutePath).sorted()
                    .toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Links are removed as links: the classes and jars they point at stay.
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
