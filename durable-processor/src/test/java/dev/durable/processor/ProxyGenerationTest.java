package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

class ProxyGenerationTest {
    private static void assertGolden(String input, String proxy) {
        Compilation compilation = Compilations.compile(Compilations.LINT, Compilations.good(input));

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation)
                .generatedSourceFile(proxy)
                .hasSourceEquivalentTo(
                        JavaFileObjects.forResource("good/" + proxy.substring(proxy.indexOf('.') + 1) + ".java"));
    }

    @Test
    void proxyOverridesStepWaitAndCallbackMethodsAndMirrorsConstructors() {
        assertGolden("OrderProcessor", "shop.OrderProcessor_Durable");
    }

    @Test
    void proxyKeepsClassAndMethodTypeVariablesAndGenericReturnTypes() {
        assertGolden("Inventory", "shop.Inventory_Durable");
    }

    @Test
    void proxyRethrowsCheckedExceptionsAndHandlesOverloadsVarargsPrimitivesAndClashingNames() {
        assertGolden("Transfers", "bank.Transfers_Durable");
    }

    @Test
    void nestedClassGetsATopLevelProxyNamedAfterItsPath() {
        assertGolden("Outer", "shop.Outer_Inner_Durable");
    }

    @Test
    void waitsWithDurationOrInstantParametersAndCallbacksInAPackagePrivateClass() {
        assertGolden("Reminders", "shop.Reminders_Durable");
    }

    @Test
    void startersKeepGenericInputAndOutputTypes() {
        assertGolden("Shipments", "shop.Shipments_Durable");
    }

    @Test
    void aMethodNamedStartMovesTheStartersToANestedClass() {
        assertGolden("Jobs", "shop.Jobs_Durable");
    }

    @Test
    void userTypesAndParametersNamedLikeGeneratedOnesDoNotClash() {
        Compilation compilation = Compilations.compile(
                Compilations.LINT,
                Compilations.source(
                        "Clash",
                        "@DurableFunction",
                        "public class Clash {",
                        "  public static class DurableMethod {}",
                        "  public static class Registration {}",
                        "  public static class Override {}",
                        "  public static class UndeclaredThrowableException {}",
                        "  public static class DurableRuntime {}",
                        "  public static class Execution {}",
                        "  public static class Starter {}",
                        "  @Handler public Execution handle(DurableRuntime runtime) { return null; }",
                        "  @Step Registration register(DurableMethod m, String DurableMethods, int e, int t, int REGISTER) {",
                        "    return null;",
                        "  }",
                        "}"));

        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void serviceFileListsEveryRegistrationSorted() {
        Compilation compilation = Compilations.compile(
                Compilations.good("Transfers"),
                Compilations.good("Reminders"),
                Compilations.good("Outer"),
                Compilations.good("OrderProcessor"));

        assertThat(compilation).succeeded();
        assertThat(compilation)
                .generatedFile(StandardLocation.CLASS_OUTPUT, ServiceRegistrations.PATH)
                .contentsAsUtf8String()
                .isEqualTo("bank.Transfers_Durable$Registration\n"
                        + "shop.OrderProcessor_Durable$Registration\n"
                        + "shop.Outer_Inner_Durable$Registration\n"
                        + "shop.Reminders_Durable$Registration\n");
    }

    @Test
    void classWithoutDurableFunctionGetsNoProxyAndNoServiceFile() {
        Compilation compilation = Compilations.compile(Compilations.source("Plain", "class Plain { void run() {} }"));

        assertThat(compilation).succeededWithoutWarnings();
        org.assertj.core.api.Assertions.assertThat(compilation.generatedFiles())
                .allMatch(f -> f.getKind() == javax.tools.JavaFileObject.Kind.CLASS);
    }
}
