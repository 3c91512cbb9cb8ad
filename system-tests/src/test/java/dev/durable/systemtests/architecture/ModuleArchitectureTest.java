package dev.durable.systemtests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Only durable-runtime-local builds on the engine: the other modules a user sees use the API and the SPIs. Reads
 * each module's main classes where the reactor compiled them (durable.modules.dir is the repository root), so this
 * module needs none of them on its class path.
 */
class ModuleArchitectureTest {
    private static final Path ROOT = Path.of(System.getProperty("durable.modules.dir", ".."));

    @ParameterizedTest
    @ValueSource(
            strings = {"durable-cli", "durable-testing", "durable-spring-boot-starter", "samples", "samples-spring-boot"
            })
    void mainCodeOfModulesOtherThanTheRuntimeNeverUsesTheEngine(String module) throws IOException {
        Path classes = ROOT.resolve(module).resolve("target/classes");
        assertThat(countClasses(classes))
                .as("compiled classes of %s in %s; build the reactor first", module, classes)
                .isPositive();
        JavaClasses imported = new ClassFileImporter().importPaths(List.of(classes));

        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.durable.internal..")
                .because(module
                        + " uses the API (dev.durable) and the SPIs; only durable-runtime-local may reach the engine")
                .check(imported);
    }

    private static long countClasses(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".class")).count();
        }
    }
}
