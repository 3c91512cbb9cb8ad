package dev.durable.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.durable.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessorRoundsTest {
    /** Writes {@code gen.Receipt} in the first round, as another code generator in the same build would. */
    static final class ReceiptGenerator extends AbstractProcessor {
        private boolean written;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (!written) {
                written = true;
                write("gen.Receipt", "package gen; public record Receipt(String id) {}");
                write("gen.Declined", "package gen; public class Declined extends Exception {}");
            }
            return false;
        }

        private void write(String name, String source) {
            try (Writer w = processingEnv.getFiler().createSourceFile(name).openWriter()) {
                w.write(source);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void typesThatAnotherProcessorGeneratesAreWaitedFor() {
        Compilation compilation = Compiler.javac()
                .withProcessors(new DurableProcessor(), new ReceiptGenerator())
                .compile(source(
                        "Orders",
                        "import gen.Receipt;",
                        "@DurableFunction",
                        "public class Orders {",
                        "  @Handler public Receipt handle(String id) { return pay(id); }",
                        "  @Step Receipt pay(String id) { return new Receipt(id); }",
                        "}"));

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation)
                .generatedSourceFile("test.Orders_Durable")
                .contentsAsUtf8String()
                .contains("import gen.Receipt;");
    }

    /** Each a member of {@code Orders} that names a generated type somewhere in its signature. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "public Orders(Receipt first) {}",
                "@Step void pay(String id) throws Declined {}",
                "@Step Receipt[] all(String id) { return new Receipt[0]; }",
                "@Step void keep(List<Receipt> receipts) {}",
                "@Step void read(List<? extends Receipt> receipts) {}",
                "@Step void fill(List<? super Receipt> receipts) {}",
                "<R extends Receipt> R same(R receipt) { return receipt; }",
            })
    void aGeneratedTypeAnywhereInASignatureIsWaitedFor(String member) {
        Compilation compilation = Compiler.javac()
                .withProcessors(new DurableProcessor(), new ReceiptGenerator())
                .compile(source(
                        "Orders",
                        "import gen.Declined;",
                        "import gen.Receipt;",
                        "import java.util.List;",
                        "@DurableFunction",
                        "public class Orders {",
                        "  public Orders() {}",
                        "  @Handler public String handle(String id) { return id; }",
                        "  " + member,
                        "}"));

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("test.Orders_Durable");
    }

    @Test
    void typesThatNeverAppearAreLeftToJavac() {
        Compilation compilation = Compilations.compile(source(
                "Orders",
                "@DurableFunction",
                "public class Orders {",
                "  @Handler public void handle() {}",
                "  @Step Missing pay(String id) { return null; }",
                "}"));

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("cannot find symbol");
    }
}
