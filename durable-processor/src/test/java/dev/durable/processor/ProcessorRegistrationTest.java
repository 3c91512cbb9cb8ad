package dev.durable.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import javax.annotation.processing.Processor;
import org.junit.jupiter.api.Test;

class ProcessorRegistrationTest {
    @Test
    void javacFindsTheProcessorThroughServiceLoader() {
        assertThat(ServiceLoader.load(Processor.class).stream()
                        .map(p -> p.type().getName()))
                .contains(DurableProcessor.class.getName());
    }

    @Test
    void processorDeclaresItsOptionsAndItsAnnotations() {
        DurableProcessor processor = new DurableProcessor();

        assertThat(processor.getSupportedOptions())
                .containsExactlyInAnyOrder(
                        "durable.lint", "durable.compat.baseline", "durable.compat.level", "durable.compat.write");
        assertThat(processor.getSupportedAnnotationTypes())
                .containsExactlyInAnyOrder(
                        "dev.durable.annotations.DurableFunction",
                        "dev.durable.annotations.Handler",
                        "dev.durable.annotations.Step",
                        "dev.durable.annotations.Wait",
                        "dev.durable.annotations.Callback",
                        "dev.durable.annotations.StepMigration");
    }

    @Test
    void gradleTreatsTheProcessorAsAggregating() throws IOException {
        try (InputStream in =
                DurableProcessor.class.getResourceAsStream("/META-INF/gradle/incremental.annotation.processors")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("dev.durable.processor.DurableProcessor,aggregating\n");
        }
    }
}
