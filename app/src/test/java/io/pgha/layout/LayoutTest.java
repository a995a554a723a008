package io.pgha.layout;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the layout of docs/architecture.md true: the shipped classes of every module (test code
 * and test jars excluded) have no package cycles, and the arrows between the layers point one way.
 * The app module sees every other module, so the check runs here.
 */
class LayoutTest {

    /** Test classes and the modules' test jars are not what ships in pgha.jar. */
    private static final ImportOption SHIPPED_ONLY = (Location location) ->
            !location.contains("/test-classes/") && !location.contains("-tests.jar");

    private static final JavaClasses SHIPPED = new ClassFileImporter()
            .withImportOption(SHIPPED_ONLY)
            .importPackages("io.pgha");

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("io.pgha.(**)").should().beFreeOfCycles().check(SHIPPED);
    }

    @Test
    void configKnowsNoOtherPghaPackage() {
        noClasses().that().resideInAPackage("io.pgha.config..")
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "are pgha classes outside io.pgha.config",
                        (JavaClass c) -> c.getPackageName().startsWith("io.pgha.") && !c.getPackageName().startsWith("io.pgha.config")))
                .check(SHIPPED);
    }

    @Test
    void dcsStandsOnConfigOnly() {
        noClasses().that().resideInAPackage("io.pgha.dcs..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pgha.ha..", "io.pgha.daemon..", "io.pgha.node..",
                        "io.pgha.postgres..", "io.pgha.rest..", "io.pgha.ctl..", "io.pgha.cli..", "io.pgha.vip..",
                        "io.pgha.haproxy..", "io.pgha.demo..", "io.pgha.launch..", "io.pgha.testing..", "io.pgha.watchdog..")
                .check(SHIPPED);
    }

    @Test
    void theDecisionRulesDoNoIo() {
        noClasses().that().resideInAPackage("io.pgha.ha..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pgha.daemon..", "io.pgha.postgres..", "io.pgha.rest..",
                        "io.pgha.node..", "io.pgha.dcs.etcd..", "io.pgha.dcs.consul..", "io.pgha.watchdog..", "java.sql..", "java.net..", "java.nio.file..",
                        "io.vertx..", "io.etcd..")
                .check(SHIPPED);
    }

    @Test
    void onlyTheDemoLaunchesProcesses() {
        noClasses().that().resideOutsideOfPackages("io.pgha.demo..", "io.pgha.launch..", "io.pgha.testing..",
                        "io.pgha.provision.sandbox..")
                .should().dependOnClassesThat().resideInAPackage("io.pgha.launch..")
                .check(SHIPPED);
    }

    @Test
    void nothingShippedUsesTestSupport() {
        noClasses().that().resideOutsideOfPackage("io.pgha.testing..")
                .should().dependOnClassesThat().resideInAPackage("io.pgha.testing..")
                .check(SHIPPED);
    }

    @Test
    void sidecarsDoNotReachIntoTheDaemon() {
        noClasses().that().resideInAnyPackage("io.pgha.vip..", "io.pgha.haproxy..", "io.pgha.ctl..", "io.pgha.migrate..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pgha.daemon..", "io.pgha.ha..", "io.pgha.postgres..",
                        "io.pgha.rest..", "io.pgha.node..", "io.pgha.cli..", "io.pgha.demo..")
                .check(SHIPPED);
    }
}
