package dev.durable.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers of durable-core: users import {@code dev.durable}, extensions implement {@code dev.durable.spi..},
 * and only the engine lives in {@code dev.durable.internal..}. Main classes only.
 */
@AnalyzeClasses(packages = "dev.durable", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

    @ArchTest
    static final ArchRule theApiNeitherExposesNorReachesTheSpiOrTheEngine = noClasses()
            .that()
            .resideInAPackage("dev.durable")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.durable.spi..", "dev.durable.internal..")
            .because("users import dev.durable alone; the SPIs and the engine may change under it");

    @ArchTest
    static final ArchRule theSpisDoNotReachTheEngine = noClasses()
            .that()
            .resideInAPackage("dev.durable.spi..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.durable.internal..")
            .because("journals and weavers are written against the SPI, which must not leak the engine");

    @ArchTest
    static final ArchRule coreKnowsNoRuntimeToolOrWeaver = noClasses()
            .that()
            .resideInAnyPackage("dev.durable", "dev.durable.spi..", "dev.durable.internal..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.durable.runtime..", "dev.durable.processor..", "dev.durable.agent..", "dev.durable.cli..")
            .because("those modules build on core, never the other way round");

    @ArchTest
    static final ArchRule packagesFormNoCycles =
            slices().matching("(**)").should().beFreeOfCycles();
}
