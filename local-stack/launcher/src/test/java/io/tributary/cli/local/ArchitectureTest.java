package io.tributary.cli.local;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked: no package depends on itself through others, and the modules
 * layer as the README says: the launcher on the jobs and the dashboard, the jobs on the contracts and
 * the state configuration, the dashboard on the contracts alone (so that neither the jobs nor their
 * jar ever need a web server), never back. The launcher's test classpath holds every module but the benchmarks
 * and deploy-k8s, so this test lives here.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importTributary() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tributary");
    }

    /**
     * A component is a top-level package with its sub-packages (the registry client and its
     * {@code internal} helpers), or a job's package with its own (fraud-detection and its Redis
     * sink): inside one, a helper may use the types it serves. Between them, no cycle.
     */
    @Test
    void noCyclesBetweenComponents() {
        slices().matching("io.tributary.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noCyclesBetweenJobs() {
        slices().matching("io.tributary.jobs.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theLauncherBuildsOnTheJobsAndTheJobsOnTheContracts() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("launcher").definedBy("io.tributary.cli.local..")
                .layer("local servers").definedBy("io.tributary.localstack..")
                .layer("dashboard").definedBy("io.tributary.dashboard..")
                .layer("jobs").definedBy("io.tributary.cli", "io.tributary.jobs..")
                .layer("contracts and state").definedBy("io.tributary.contracts..", "io.tributary.events..",
                        "io.tributary.registry..", "io.tributary.serde..", "io.tributary.state..")
                .whereLayer("launcher").mayNotBeAccessedByAnyLayer()
                .whereLayer("local servers").mayOnlyBeAccessedByLayers("launcher")
                .whereLayer("jobs").mayOnlyBeAccessedByLayers("launcher")
                .whereLayer("dashboard").mayOnlyBeAccessedByLayers("launcher")
                .whereLayer("contracts and state").mayOnlyBeAccessedByLayers("launcher", "local servers", "jobs",
                        "dashboard")
                .check(classes);
    }
}
