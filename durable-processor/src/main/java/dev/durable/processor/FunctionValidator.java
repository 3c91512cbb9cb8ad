package dev.durable.processor;

import static dev.durable.processor.DurableAnnotations.DURABLE_FUNCTION;
import static dev.durable.processor.DurableAnnotations.HANDLER;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;

/**
 * Checks a {@code @DurableFunction} class: that a proxy can extend and construct it, that it has exactly one
 * {@code @Handler}, and (through {@link MethodValidator} and {@link MigrationValidator}) each of its durable methods
 * and step migrations.
 */
final class FunctionValidator {
    private final MethodValidator methods;
    private final MigrationValidator migrations;

    FunctionValidator(MethodValidator methods, MigrationValidator migrations) {
        this.methods = methods;
        this.migrations = migrations;
    }

    ValidationReport validate(TypeElement type) {
        AnnotationMirror function =
                DurableAnnotations.find(type, DURABLE_FUNCTION).orElseThrow();
        ValidationReport.Builder report = ValidationReport.builder();
        if (type.getKind() != ElementKind.CLASS) {
            report.error(
                    String.format(
                            "@DurableFunction %s is %s, not a class: the generated proxy extends the"
                                    + " class, so put @DurableFunction on a class",
                            type.getSimpleName(), kindName(type)),
                    type,
                    function);
        } else {
            if (DurableAnnotations.wantsProxy(type)) {
                validateExtendable(type, report);
            }
            validateHandlers(type, function, report);
            validateVersion(type, function, report);
        }
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            report.addAll(methods.validate(method));
        }
        report.addAll(migrations.validate(type));
        return report.build();
    }

    private static void validateVersion(TypeElement type, AnnotationMirror function, ValidationReport.Builder report) {
        DurableAnnotations.explicitValue(function, "version").ifPresent(v -> {
            int version = (Integer) v.getValue();
            if (version < 1) {
                report.error(
                        String.format(
                                "@DurableFunction %s has version %d: versions count from 1; give a new"
                                        + " version of a function the next number",
                                type.getSimpleName(), version),
                        type,
                        function,
                        v);
            }
        });
    }

    /**
     * Whether the class's signatures still name types that do not exist yet, typically because another processor
     * generates them in this round; such a class is looked at again in the next round.
     */
    static boolean referencesMissingTypes(TypeElement type) {
        if (isMissing(type.getSuperclass())) {
            return true;
        }
        for (ExecutableElement e : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (isMissing(e.getReturnType()) || signatureIsMissing(e)) {
                return true;
            }
        }
        return ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(FunctionValidator::signatureIsMissing);
    }

    private static boolean signatureIsMissing(ExecutableElement e) {
        return e.getParameters().stream().anyMatch(p -> isMissing(p.asType()))
                || e.getThrownTypes().stream().anyMatch(FunctionValidator::isMissing);
    }

    private static boolean isMissing(TypeMirror type) {
        switch (type.getKind()) {
            case ERROR:
                return true;
            case ARRAY:
                return isMissing(((ArrayType) type).getComponentType());
            case DECLARED:
                return ((DeclaredType) type).getTypeArguments().stream().anyMatch(FunctionValidator::isMissing);
            case WILDCARD:
                WildcardType w = (WildcardType) type;
                return (w.getExtendsBound() != null && isMissing(w.getExtendsBound()))
                        || (w.getSuperBound() != null && isMissing(w.getSuperBound()));
            case TYPEVAR:
                return ((TypeVariable) type).getUpperBound().getKind() == TypeKind.ERROR;
            default:
                return false;
        }
    }

    private static void validateExtendable(TypeElement type, ValidationReport.Builder report) {
        String name = type.getSimpleName().toString();
        if (type.getModifiers().contains(Modifier.FINAL)) {
            report.error(
                    String.format(
                            "@DurableFunction class %s is final, so the generated proxy cannot extend it:"
                                    + " %s (remove final)",
                            name, MethodValidator.AGENT_HINT),
                    type);
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            report.error(
                    String.format(
                            "@DurableFunction class %s is abstract, so its generated proxy could not be"
                                    + " instantiated: make it concrete",
                            name),
                    type);
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            report.error(
                    String.format(
                            "@DurableFunction class %s is a local class, so the generated proxy cannot"
                                    + " extend it: move it to the top level or make it a static nested class",
                            name),
                    type);
            return;
        }
        String proxy = ProxyModelFactory.proxyName(type);
        if (type.getNestingKind() == NestingKind.MEMBER
                && !type.getModifiers().contains(Modifier.STATIC)
                && !type.getEnclosingElement().getKind().isInterface()) {
            report.error(
                    String.format(
                            "@DurableFunction class %s is an inner class, so the generated proxy cannot"
                                    + " extend it: make it static",
                            name),
                    type);
        }
        for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) {
                String where = e == type ? "is private" : "is nested in private class " + e.getSimpleName();
                report.error(
                        String.format(
                                "@DurableFunction class %s %s, so the generated proxy %s cannot extend"
                                        + " it: make it package-private or wider",
                                name, where, proxy),
                        type);
                break;
            }
        }
        boolean constructible = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> !c.getModifiers().contains(Modifier.PRIVATE));
        if (!constructible) {
            report.error(
                    String.format(
                            "@DurableFunction class %s has no non-private constructor, so the generated"
                                    + " proxy %s cannot call one: make a constructor package-private or wider",
                            name, proxy),
                    type);
        }
    }

    private static void validateHandlers(TypeElement type, AnnotationMirror function, ValidationReport.Builder report) {
        List<ExecutableElement> handlers = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (DurableAnnotations.has(method, HANDLER)) {
                handlers.add(method);
            }
        }
        if (handlers.isEmpty()) {
            report.error(
                    String.format(
                            "@DurableFunction class %s has no @Handler method: mark its entry point" + " with @Handler",
                            type.getSimpleName()),
                    type,
                    function);
        } else if (handlers.size() > 1) {
            String names = handlers.stream().map(MethodValidator::name).collect(Collectors.joining(", "));
            for (ExecutableElement extra : handlers.subList(1, handlers.size())) {
                report.error(
                        String.format(
                                "@DurableFunction class %s has %d @Handler methods (%s): a durable"
                                        + " function has exactly one entry point",
                                type.getSimpleName(), handlers.size(), names),
                        extra,
                        DurableAnnotations.find(extra, HANDLER).orElseThrow());
            }
        }
    }

    private static String kindName(TypeElement type) {
        return switch (type.getKind()) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case ANNOTATION_TYPE -> "an annotation type";
            default -> "a " + type.getKind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
