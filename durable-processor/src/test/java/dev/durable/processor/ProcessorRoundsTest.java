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
                try (Writer w =
                        processingEnv.getFiler().createSourceFile("gen.Receipt").openWriter()) {
                    w.write("package gen; public record Receipt(String id) {}");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
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
