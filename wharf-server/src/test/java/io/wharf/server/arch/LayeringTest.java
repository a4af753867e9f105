package io.wharf.server.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package arrows of docs/architecture.md, checked on the compiled classes: core ← storage,
 * core ← scan, everything ← server; the two wire protocols share the domain, never each other.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.wharf");
    }

    @Test
    void everyModuleWasImported() { // a rule over no classes would pass whatever the code does
        for (String name : new String[] {"io.wharf.core.model.Digest", "io.wharf.storage.jdbc.JdbcMetadataStore",
                "io.wharf.scan.layer.ImageAnalyzer", "io.wharf.server.app.Application"}) {
            assertThat(classes.contain(name)).as(name).isTrue();
        }
    }

    @Test
    void coreDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("io.wharf.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.storage..", "io.wharf.scan..", "io.wharf.server..")
                .check(classes);
    }

    @Test
    void storageKnowsOnlyCore() {
        noClasses().that().resideInAPackage("io.wharf.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.scan..", "io.wharf.server..")
                .check(classes);
    }

    @Test
    void scanKnowsOnlyCore() {
        noClasses().that().resideInAPackage("io.wharf.scan..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.storage..", "io.wharf.server..")
                .check(classes);
    }

    @Test
    void theDomainKnowsNoProtocolOrHttp() {
        noClasses().that().resideInAnyPackage("io.wharf.core..", "io.wharf.scan..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "software.amazon.awssdk..")
                .check(classes);
    }

    @Test
    void ociAndEcrAdaptersDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.wharf.server.oci..")
                .should().dependOnClassesThat().resideInAPackage("io.wharf.server.ecr..").check(classes);
        noClasses().that().resideInAPackage("io.wharf.server.ecr..")
                .should().dependOnClassesThat().resideInAPackage("io.wharf.server.oci..").check(classes);
        noClasses().that().resideInAPackage("io.wharf.server.sts..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.server.oci..", "io.wharf.server.ecr..",
                        "io.wharf.server.api..").check(classes);
    }

    @Test
    void thePackagesRunningBeneathTheApisKnowNoAdapter() {
        noClasses().that().resideInAnyPackage("io.wharf.server.auth..", "io.wharf.server.jobs..", "io.wharf.server.config..",
                        "io.wharf.server.http..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.server.oci..", "io.wharf.server.ecr..",
                        "io.wharf.server.sts..", "io.wharf.server.api..", "io.wharf.server.cli..", "io.wharf.server.app..")
                .check(classes);
    }

    /** The console calls the domain services and the same authorization as the APIs, never a protocol adapter. */
    @Test
    void theConsoleKnowsNoProtocolAdapter() {
        noClasses().that().resideInAPackage("io.wharf.server.console..")
                .should().dependOnClassesThat().resideInAnyPackage("io.wharf.server.oci..", "io.wharf.server.ecr..",
                        "io.wharf.server.sts..", "io.wharf.server.api..", "io.wharf.server.cli..", "io.wharf.server.app..")
                .check(classes);
    }
}
