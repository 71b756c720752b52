package com.orderexport.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderexport.stack.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sam build} ships: the template's functions are built by the Makefile, which SAM runs as
 * {@code make build-<logical id>} in a copy of the project with {@code ARTIFACTS_DIR} set. Run here the same
 * way on a copy of the sources: it must build without running a test and lay out exactly what
 * {@code exec:java@invoke} and {@link LambdaRuntimeIT} run (the classes, and in lib/ the runtime-scope jars),
 * with no test-scope jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamBuildIT {

    /** Test-scope artifacts that must never reach the artifact. */
    static final List<String> TEST_ONLY = List.of("junit-jupiter", "assertj-core", "testcontainers", "localstack",
            "aws-lambda-java-tests", "aws-lambda-java-runtime-interface-client", "software.amazon.awssdk.sqs-",
            "archunit", "jqwik");

    final Template template = Template.load();
    Path project;
    Path artifact;
    String makeOutput;

    @BeforeAll
    void runTheMakefileAsSamBuildDoes(@TempDir Path scratch) throws Exception {
        project = scratch.resolve("project");
        artifact = scratch.resolve("artifact");
        Files.createDirectories(artifact);
        copy(Path.of("pom.xml"), project.resolve("pom.xml"));
        copy(Path.of("Makefile"), project.resolve("Makefile"));
        copyTree(Path.of("src", "main"), project.resolve("src").resolve("main"));

        ProcessBuilder make = new ProcessBuilder("make", "--makefile", "Makefile", "build-JobsApiFunction")
                .directory(project.toFile()).redirectErrorStream(true);
        make.environment().put("ARTIFACTS_DIR", artifact.toString());
        Process process = make.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        makeOutput = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(makeOutput).isZero();
    }

    @Test
    void everyFunction_isBuiltByTheMakefile_notBySamsMavenWorkflowThatRunsTheTests() {
        template.resourcesOfType("AWS::Serverless::Function").keySet().forEach(function ->
                assertThat(template.section("Resources").path(function).path("Metadata").path("BuildMethod")
                        .asText()).as(function).isEqualTo("makefile"));
    }

    @Test
    void theBuild_compilesNoTestAndRunsNone() {
        assertThat(project.resolve("target").resolve("test-classes")).doesNotExist();
        assertThat(project.resolve("target").resolve("surefire-reports")).doesNotExist();
        assertThat(project.resolve("target").resolve("failsafe-reports")).doesNotExist();
    }

    @Test
    void theArtifact_holdsTheClassesInvokeRuns_andEveryHandlerTheTemplateNames() throws IOException {
        assertThat(relativeFiles(artifact, "lib")).isEqualTo(relativeFiles(Path.of("target", "classes"), null));
        template.resourcesOfType("AWS::Serverless::Function").keySet().forEach(function ->
                assertThat(artifact.resolve(template.handlerClassOf(function).replace('.', '/') + ".class"))
                        .as(function).exists());
    }

    @Test
    void theArtifactsLib_isTheLibInvokeRuns_withNoTestScopeJar() throws IOException {
        Set<String> shipped = relativeFiles(artifact.resolve("lib"), null);
        Set<String> invoked = new TreeSet<>();
        LambdaLayout.of(Path.of("target")).libJars().forEach(jar -> invoked.add(jar.getFileName().toString()));

        assertThat(shipped).isEqualTo(invoked);
        assertThat(shipped).noneMatch(jar -> TEST_ONLY.stream().anyMatch(jar::contains));
    }

    private static Set<String> relativeFiles(Path root, String except) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            Set<String> relative = new TreeSet<>();
            files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString())
                    .filter(f -> except == null || !f.startsWith(except + "/")).forEach(relative::add);
            return relative;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    copy(path, target);
                }
            }
        }
    }
}
