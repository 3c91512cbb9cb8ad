package dev.durable.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * The annotations of durable-annotations, read by name through {@code javax.lang.model}: annotations are matched by
 * their qualified names so the processor never loads the user's annotation values as classes.
 */
final class DurableAnnotations {
    static final String DURABLE_FUNCTION = "dev.durable.annotations.DurableFunction";
    static final String HANDLER = "dev.durable.annotations.Handler";
    static final String STEP = "dev.durable.annotations.Step";
    static final String WAIT = "dev.durable.annotations.Wait";
    static final String CALLBACK = "dev.durable.annotations.Callback";
    static final String STEP_MIGRATION = "dev.durable.annotations.StepMigration";

    /** The annotations that make a method a durable operation, in the order conflicts are reported. */
    static final List<String> OPERATIONS = List.of(STEP, WAIT, CALLBACK);

    /** Every annotation the processor handles. */
    static final List<String> ALL = List.of(DURABLE_FUNCTION, HANDLER, STEP, WAIT, CALLBACK, STEP_MIGRATION);

    private final Elements elements;

    DurableAnnotations(Elements elements) {
        this.elements = elements;
    }

    /** {@code "@Step"} for {@code dev.durable.annotations.Step}. */
    static String simpleName(String annotation) {
        return "@" + annotation.substring(annotation.lastIndexOf('.') + 1);
    }

    static Optional<AnnotationMirror> find(Element element, String annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (type.getQualifiedName().contentEquals(annotation)) {
                return Optional.of(mirror);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the {@code @DurableFunction} class {@code type} asks for a generated proxy; {@code proxy = false}
     * means the agent alone makes it durable.
     */
    static boolean wantsProxy(Element type) {
        return find(type, DURABLE_FUNCTION)
                .flatMap(f -> explicitValue(f, "proxy"))
                .map(v -> (Boolean) v.getValue())
                .orElse(true);
    }

    static boolean has(Element element, String annotation) {
        return find(element, annotation).isPresent();
    }

    /** The durable-operation annotations on {@code method}, in {@link #OPERATIONS} order. */
    static List<AnnotationMirror> operations(Element method) {
        List<AnnotationMirror> found = new ArrayList<>();
        for (String annotation : OPERATIONS) {
            find(method, annotation).ifPresent(found::add);
        }
        return found;
    }

    static String nameOf(AnnotationMirror mirror) {
        return ((TypeElement) mirror.getAnnotationType().asElement())
                .getQualifiedName()
                .toString();
    }

    /** The value the user wrote for {@code attribute}, or empty when it is left at its default. */
    static Optional<AnnotationValue> explicitValue(AnnotationMirror mirror, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
                mirror.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** The value of {@code attribute}, written or default. */
    AnnotationValue value(AnnotationMirror mirror, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
                elements.getElementValuesWithDefaults(mirror).entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return e.getValue();
            }
        }
        throw new IllegalArgumentException(nameOf(mirror) + " has no attribute " + attribute);
    }
}
