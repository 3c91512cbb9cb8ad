package dev.durable.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link DurableTest}: resolves {@link DurableTestRuntime} parameters, one runtime
 * per test, and closes it after the test. A runtime asked for in a {@code @BeforeAll} method lives for the class
 * and is shared by its tests.
 */
public final class DurableTestExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DurableTestExtension.class);
    private static final String KEY = "runtime";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DurableTestRuntime.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, key -> open(context), DurableTestRuntime.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close(context);
    }

    private static void close(ExtensionContext context) {
        DurableTestRuntime runtime = context.getStore(NAMESPACE).remove(KEY, DurableTestRuntime.class);
        if (runtime != null) {
            runtime.close();
        }
    }

    private static DurableTestRuntime open(ExtensionContext context) {
        DurableTest config = find(context).orElse(null);
        DurableTestRuntime.Builder builder = DurableTestRuntime.builder();
        if (config != null) {
            try {
                builder.startAt(Instant.parse(config.start()));
            } catch (DateTimeParseException e) {
                throw new ExtensionConfigurationException(
                        "@DurableTest(start = \"" + config.start() + "\") is not an"
                                + " ISO-8601 instant such as 2025-01-01T00:00:00Z",
                        e);
            }
            if (config.journal() == DurableTest.JournalKind.FILE) {
                try {
                    builder.fileJournal(Files.createTempDirectory("durable-test-"))
                            .deleteDirectoryOnClose();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a temporary journal directory", e);
                }
            }
        }
        return builder.open();
    }

    /** The nearest {@code @DurableTest}: on the method, its class, its superclasses, then enclosing classes. */
    private static Optional<DurableTest> find(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = c.getElement();
            if (element.isPresent()) {
                Optional<DurableTest> found = AnnotationSupport.findAnnotation(element.get(), DurableTest.class);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
