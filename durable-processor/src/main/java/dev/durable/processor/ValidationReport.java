package dev.durable.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * What a validator or the lint found, as data. Checks never print: they return a report, and the processor prints
 * every report through {@link #printTo(Messager)}, the one place diagnostics leave the processor.
 */
final class ValidationReport {
    /** Where a diagnostic points: an element and, when the problem is in an annotation, its mirror and value. */
    interface Location {
        void print(Messager messager, Diagnostic.Kind kind, String message);
    }

    /** One finding. */
    record Item(Diagnostic.Kind kind, String message, Location location) {}

    private record ElementLocation(Element element, AnnotationMirror mirror, AnnotationValue value)
            implements Location {
        @Override
        public void print(Messager messager, Diagnostic.Kind kind, String message) {
            if (element == null) {
                messager.printMessage(kind, message);
            } else if (mirror == null) {
                messager.printMessage(kind, message, element);
            } else if (value == null) {
                messager.printMessage(kind, message, element, mirror);
            } else {
                messager.printMessage(kind, message, element, mirror, value);
            }
        }
    }

    private static final ValidationReport EMPTY = new ValidationReport(List.of());

    private final List<Item> items;

    private ValidationReport(List<Item> items) {
        this.items = List.copyOf(items);
    }

    static ValidationReport empty() {
        return EMPTY;
    }

    static Builder builder() {
        return new Builder();
    }

    /** The report for a bug in the processor itself: one error with the stack, so javac goes on and says where. */
    static ValidationReport crash(Element element, Throwable t) {
        return crash(element, t, Diagnostic.Kind.ERROR);
    }

    /** The same at {@code kind}: the lint, which only advises, reports its own failures as it reports findings. */
    static ValidationReport crash(Element element, Throwable t, Diagnostic.Kind kind) {
        StringWriter stack = new StringWriter();
        t.printStackTrace(new PrintWriter(stack));
        String what = element == null ? "" : " on " + element;
        return builder()
                .add(
                        kind,
                        "durable-processor failed" + what + "; please report this with the stack trace:\n" + stack,
                        at(element))
                .build();
    }

    static Location at(Element element) {
        return new ElementLocation(element, null, null);
    }

    /** A call or clause in a method body, which {@code javax.lang.model} cannot name. */
    static Location at(Trees trees, Tree tree, CompilationUnitTree unit) {
        return new TreeLocation(trees, tree, unit);
    }

    private record TreeLocation(Trees trees, Tree tree, CompilationUnitTree unit) implements Location {
        @Override
        public void print(Messager messager, Diagnostic.Kind kind, String message) {
            trees.printMessage(kind, message, tree, unit);
        }
    }

    static Location at(Element element, AnnotationMirror mirror) {
        return new ElementLocation(element, mirror, null);
    }

    static Location at(Element element, AnnotationMirror mirror, AnnotationValue value) {
        return new ElementLocation(element, mirror, value);
    }

    List<Item> items() {
        return items;
    }

    boolean hasErrors() {
        return items.stream().anyMatch(i -> i.kind() == Diagnostic.Kind.ERROR);
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    void printTo(Messager messager) {
        for (Item item : items) {
            item.location().print(messager, item.kind(), item.message());
        }
    }

    /** Collects findings in the order they are made. */
    static final class Builder {
        private final List<Item> items = new ArrayList<>();

        private Builder() {}

        Builder add(Diagnostic.Kind kind, String message, Location location) {
            items.add(new Item(kind, message, location));
            return this;
        }

        Builder error(String message, Element element) {
            return add(Diagnostic.Kind.ERROR, message, at(element));
        }

        Builder error(String message, Element element, AnnotationMirror mirror) {
            return add(Diagnostic.Kind.ERROR, message, at(element, mirror));
        }

        Builder error(String message, Element element, AnnotationMirror mirror, AnnotationValue value) {
            return add(Diagnostic.Kind.ERROR, message, at(element, mirror, value));
        }

        Builder addAll(ValidationReport report) {
            items.addAll(report.items);
            return this;
        }

        ValidationReport build() {
            return items.isEmpty() ? EMPTY : new ValidationReport(items);
        }
    }
}
