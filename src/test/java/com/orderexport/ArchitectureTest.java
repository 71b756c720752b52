package com.orderexport;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lambda artifact's package graph: one-way arrows from the adapters down to the pure code, so a newcomer
 * can read any package knowing only those below it.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importTheArtifact() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.orderexport");
    }

    @Test
    void packages_formNoCycle() {
        slices().matching("com.orderexport.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void filterAndCsv_knowNothingOfAws() {
        noClasses().that().resideInAnyPackage("com.orderexport.filter..", "com.orderexport.csv..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .check(main);
    }

    @Test
    void formats_knowNoAwsNoJobAndNoEngine() {
        // A format turns orders into bytes; which job, where the bytes go and how they get there is not its business.
        noClasses().that().resideInAPackage("com.orderexport.formats..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..",
                        "com.orderexport.jobs..", "com.orderexport.exporter..", "com.orderexport.files..")
                .check(main);
    }

    @Test
    void files_knowNoJobStoreOrOrder() {
        noClasses().that().resideInAPackage("com.orderexport.files..")
                .should().dependOnClassesThat().resideInAnyPackage("com.orderexport.jobs..",
                        "com.orderexport.store..", "com.orderexport.orders..", "com.orderexport.export..",
                        "com.orderexport.exporter..")
                .check(main);
    }

    /** The Lambda handlers' packages: HTTP requests, stream records, schedules, token requests, webhooks. */
    static final String[] ADAPTERS = {"com.orderexport.api..", "com.orderexport.export..", "com.orderexport.auth..",
        "com.orderexport.sync..", "com.orderexport.scheduler.."};
    static final String[] ADAPTERS_AND_OBSERVE = {"com.orderexport.api..", "com.orderexport.export..",
        "com.orderexport.auth..", "com.orderexport.sync..", "com.orderexport.scheduler..", "com.orderexport.observe..",
        "com.orderexport.http.."};

    @Test
    void adapters_areImportedByNothing() {
        for (String adapter : ADAPTERS) {
            noClasses().that().resideOutsideOfPackage(adapter)
                    .should().dependOnClassesThat().resideInAPackage(adapter).check(main);
        }
    }

    @Test
    void domainCode_neverSeesLambdaEvents() {
        // observe writes through the runtime's logger, and nothing else of Lambda's.
        noClasses().that().resideOutsideOfPackages(ADAPTERS_AND_OBSERVE)
                .should().dependOnClassesThat().resideInAPackage("com.amazonaws.services.lambda..").check(main);
        noClasses().that().resideInAPackage("com.orderexport.observe..")
                .should().dependOnClassesThat().resideInAPackage("com.amazonaws.services.lambda.runtime.events..")
                .check(main);
    }

    @Test
    void theExportEngine_knowsNoLambdaTypeAndNoAdapter() {
        // The engine is driven through ExportEngine by the adapters in export, never the other way round.
        noClasses().that().resideInAPackage("com.orderexport.exporter..")
                .should().dependOnClassesThat().resideInAnyPackage("com.amazonaws.services.lambda..",
                        "com.orderexport.export..")
                .check(main);
    }

    @Test
    void observe_dependsOnNoOtherPackageOfOurs() {
        // Anything may log, count or publish; so observe itself may use nothing of ours, or a cycle follows.
        noClasses().that().resideInAPackage("com.orderexport.observe..")
                .should().dependOnClassesThat(resideInAPackage("com.orderexport..")
                        .and(resideOutsideOfPackage("com.orderexport.observe..")))
                .check(main);
    }

    @Test
    void tokensAndCredentials_knowNothingOfJobsOrOrders() {
        noClasses().that().resideInAnyPackage("com.orderexport.tokens..", "com.orderexport.credentials..")
                .should().dependOnClassesThat().resideInAnyPackage("com.orderexport.jobs..", "com.orderexport.orders..",
                        "com.orderexport.export..", "com.orderexport.exporter..", "com.orderexport.filter..",
                        "com.orderexport.csv..")
                .check(main);
    }
}
