package dev.durable.processor;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.processing.Filer;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The {@code META-INF/services/dev.durable.spi.weaving.ProxyRegistration} file: one line per generated proxy's
 * {@code Registration}, collected over all rounds and written once, sorted, when processing is over.
 */
final class ServiceRegistrations {
    static final String PATH = "META-INF/services/" + ProxyWriter.WEAVING + ".ProxyRegistration";

    private final Map<String, TypeElement> entries = new TreeMap<>();

    void add(ProxyModel model) {
        entries.put(model.proxyClass().reflectionName() + "$Registration", model.function());
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Writes the file, naming every function class as an originating element (the file aggregates them). */
    void writeTo(Filer filer) throws IOException {
        List<TypeElement> origins = new ArrayList<>(entries.values());
        FileObject file =
                filer.createResource(StandardLocation.CLASS_OUTPUT, "", PATH, origins.toArray(new TypeElement[0]));
        try (Writer writer = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
            for (String entry : entries.keySet()) {
                writer.write(entry);
                writer.write('\n');
            }
        }
    }
}
