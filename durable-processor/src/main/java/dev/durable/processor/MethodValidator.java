package dev.durable.processor;

import static dev.durable.processor.DurableAnnotations.CALLBACK;
import static dev.durable.processor.DurableAnnotations.HANDLER;
import static dev.durable.processor.DurableAnnotations.STEP;
import static dev.durable.processor.DurableAnnotations.WAIT;
import static dev.durable.processor.DurableAnnotations.simpleName;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one method carrying {@code @Step}, {@code @Wait}, {@code @Callback} or {@code @Handler}: that the generated
 * proxy can override it, that its annotations agree with each other and hold well-formed values, and that what it
 * returns can be checkpointed.
 */
final class MethodValidator {
    static final String SERDES = "dev.durable.SerDes";
    static final String AGENT_HINT = "use the agent (-javaagent:durable-agent.jar), or make it overridable";

    /** A return type the journal cannot hold, and what to return instead. */
    private record Uncheckpointable(String type, String instead) {}

    private static final List<Uncheckpointable> UNCHECKPOINTABLE = List.of(
            new Uncheckpointable("java.util.stream.BaseStream", "collect it into a List inside the method"),
            new Uncheckpointable("java.util.Iterator", "return a List"),
            new Uncheckpointable(
                    "java.lang.Thread",
                    "return the thread's result; run concurrent work with" + " Durable.context().parallel(...)"),
            new Uncheckpointable("java.io.InputStream", "read it inside the method and return the bytes"),
            new Uncheckpointable("java.io.OutputStream", "write inside the method and return what was written"),
            new Uncheckpointable("java.io.Reader", "read it inside the method and return the text"),
            new Uncheckpointable("java.io.Writer", "write inside the method and return what was written"),
            new Uncheckpointable("java.sql.Connection", "use the connection inside the method and return the data"),
            new Uncheckpointable("java.net.Socket", "use the socket inside the method and return the data"));

    private final Elements elements;
    private final Types types;
    private final DurableAnnotations annotations;

    MethodValidator(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
        this.annotations = new DurableAnnotations(elements);
    }

    /** Checks a method declared in a {@code @DurableFunction} class. */
    ValidationReport validate(ExecutableElement method) {
        ValidationReport.Builder report = ValidationReport.builder();
        List<AnnotationMirror> operations = DurableAnnotations.operations(method);
        Optional<AnnotationMirror> handler = DurableAnnotations.find(method, HANDLER);
        if (handler.isPresent()) {
            validateHandler(method, operations, report);
        }
        if (operations.isEmpty()) {
            return report.build();
        }
        AnnotationMirror operation = operations.get(0);
        String kind = simpleName(DurableAnnotations.nameOf(operation));
        for (AnnotationMirror extra : operations.subList(1, operations.size())) {
            report.error(
                    String.format(
                            "method %s has both %s and %s: a method is one durable operation;"
                                    + " split it into two methods",
                            name(method), kind, simpleName(DurableAnnotations.nameOf(extra))),
                    method,
                    extra);
        }
        if (DurableAnnotations.wantsProxy(method.getEnclosingElement())) {
            validateOverridable(method, kind, operation, report);
        }
        switch (DurableAnnotations.nameOf(operation)) {
            case STEP -> validateStep(method, operation, report);
            case WAIT -> validateWait(method, operation, report);
            case CALLBACK -> validateCallback(method, operation, report);
            default -> throw new AssertionError(operation);
        }
        validateReturnType(method, kind, operation, report);
        return report.build();
    }

    /** Reports a durable annotation on a method whose class is no {@code @DurableFunction}. */
    ValidationReport validateOutsideFunction(ExecutableElement method) {
        List<AnnotationMirror> found = DurableAnnotations.operations(method);
        DurableAnnotations.find(method, HANDLER).ifPresent(h -> found.add(0, h));
        if (found.isEmpty()) {
            return MigrationValidator.validateOutsideFunction(method);
        }
        AnnotationMirror first = found.get(0);
        String kind = simpleName(DurableAnnotations.nameOf(first));
        Element owner = method.getEnclosingElement();
        ValidationReport.Builder report = ValidationReport.builder();
        if (owner.getKind().isInterface()) {
            reportInterfaceMethod(method, kind, first, report);
        } else {
            report.error(
                    String.format(
                            "%s method %s is in %s, which is not a @DurableFunction: add" + " @DurableFunction to %s",
                            kind, name(method), owner.getSimpleName(), owner.getSimpleName()),
                    method,
                    first);
        }
        return report.build();
    }

    private static void reportInterfaceMethod(
            ExecutableElement method, String kind, AnnotationMirror annotation, ValidationReport.Builder report) {
        report.error(
                String.format(
                        "%s method %s is declared in interface %s: durable methods must be implemented"
                                + " in a @DurableFunction class",
                        kind, name(method), method.getEnclosingElement().getSimpleName()),
                method,
                annotation);
    }

    private void validateHandler(
            ExecutableElement method, List<AnnotationMirror> operations, ValidationReport.Builder report) {
        for (AnnotationMirror operation : operations) {
            String kind = simpleName(DurableAnnotations.nameOf(operation));
            report.error(
                    String.format(
                            "@Handler method %s cannot also be %s: the handler is the execution itself;"
                                    + " move the %s into a method of its own",
                            name(method), kind, kind),
                    method,
                    operation);
        }
        int count = method.getParameters().size();
        if (count > 1) {
            report.error(
                    String.format(
                            "@Handler method %s takes %d parameters: a handler takes the execution's"
                                    + " input as its only parameter, or none; wrap the values in one record",
                            name(method), count),
                    method);
        }
    }

    private void validateOverridable(
            ExecutableElement method, String kind, AnnotationMirror operation, ValidationReport.Builder report) {
        if (method.getEnclosingElement().getKind().isInterface()) {
            reportInterfaceMethod(method, kind, operation, report);
            return;
        }
        for (Modifier modifier : List.of(Modifier.PRIVATE, Modifier.FINAL, Modifier.STATIC)) {
            if (method.getModifiers().contains(modifier)) {
                report.error(
                        String.format(
                                "%s method %s is %s, so the generated proxy cannot override it: %s" + " (not %s)",
                                kind, name(method), modifier, AGENT_HINT, modifier),
                        method);
            }
        }
        if (method.getModifiers().contains(Modifier.ABSTRACT)) {
            report.error(
                    String.format(
                            "%s method %s is abstract: a durable method needs a body to checkpoint;" + " implement it",
                            kind, name(method)),
                    method);
        }
        for (TypeMirror thrown : method.getThrownTypes()) {
            if (thrown.getKind() == TypeKind.TYPEVAR) {
                report.error(
                        String.format(
                                "%s method %s throws the type variable %s, which the generated proxy"
                                        + " cannot rethrow: declare the exception type, or use the agent"
                                        + " (-javaagent:durable-agent.jar)",
                                kind, name(method), thrown),
                        method);
            }
        }
    }

    private void validateStep(ExecutableElement method, AnnotationMirror step, ValidationReport.Builder report) {
        AnnotationMirror retry =
                (AnnotationMirror) annotations.value(step, "retry").getValue();
        int maxAttempts = (Integer) annotations.value(retry, "maxAttempts").getValue();
        if (maxAttempts < 1) {
            report.error(
                    String.format(
                            "@Retry maxAttempts is %d: it counts every attempt, the first included,"
                                    + " so it must be at least 1 (1 means no retry)",
                            maxAttempts),
                    method,
                    retry,
                    annotations.value(retry, "maxAttempts"));
        }
        double backoff = (Double) annotations.value(retry, "backoff").getValue();
        if (!(backoff >= 1.0)) {
            report.error(
                    String.format(
                            "@Retry backoff is %s: it multiplies each delay, so it must be at least 1.0", backoff),
                    method,
                    retry,
                    annotations.value(retry, "backoff"));
        }
        double jitter = (Double) annotations.value(retry, "jitter").getValue();
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            report.error(
                    String.format(
                            "@Retry jitter is %s: it is the fraction of each delay randomised away, so"
                                    + " it must be between 0 and 1",
                            jitter),
                    method,
                    retry,
                    annotations.value(retry, "jitter"));
        }
        MigrationValidator.validateResultVersion(method, step, annotations.value(step, "resultVersion"), report);
        validateDuration(method, retry, "@Retry", "initialDelay", report);
        validateDuration(method, retry, "@Retry", "maxDelay", report);
        validateSerdes(method, step, report);
    }

    private void validateWait(ExecutableElement method, AnnotationMirror wait, ValidationReport.Builder report) {
        String value = (String) annotations.value(wait, "value").getValue();
        if (!value.isEmpty()) {
            validateDuration(method, wait, "@Wait", "value", report);
            return;
        }
        boolean hasLengthParameter = method.getParameters().stream()
                .anyMatch(p -> isType(p.asType(), "java.time.Duration") || isType(p.asType(), "java.time.Instant"));
        if (!hasLengthParameter) {
            report.error(
                    String.format(
                            "@Wait method %s has no duration: write @Wait(\"PT1H\"), or give the method"
                                    + " a java.time.Duration (wait this long) or java.time.Instant (wait until then) parameter",
                            name(method)),
                    method,
                    wait);
        }
    }

    private void validateCallback(
            ExecutableElement method, AnnotationMirror callback, ValidationReport.Builder report) {
        validateDuration(method, callback, "@Callback", "timeout", report);
        validateDuration(method, callback, "@Callback", "heartbeatTimeout", report);
    }

    private void validateDuration(
            ExecutableElement method,
            AnnotationMirror mirror,
            String annotation,
            String attribute,
            ValidationReport.Builder report) {
        AnnotationValue value = annotations.value(mirror, attribute);
        String text = (String) value.getValue();
        if (text.isEmpty()) {
            return;
        }
        String label = annotation + " " + attribute;
        try {
            if (Duration.parse(text).isNegative()) {
                report.error(
                        String.format("%s \"%s\" is negative: a duration must be zero or more", label, text),
                        method,
                        mirror,
                        value);
            }
        } catch (DateTimeParseException e) {
            report.error(
                    String.format(
                            "%s \"%s\" is not an ISO-8601 duration: write e.g. \"PT30S\", \"PT24H\" or" + " \"P7D\"",
                            label, text),
                    method,
                    mirror,
                    value);
        }
    }

    private void validateSerdes(ExecutableElement method, AnnotationMirror step, ValidationReport.Builder report) {
        AnnotationValue value = annotations.value(step, "serdes");
        TypeMirror serdes = (TypeMirror) value.getValue();
        if (serdes.getKind() != TypeKind.DECLARED) {
            return;
        }
        TypeElement type = (TypeElement) types.asElement(serdes);
        String shown = type.getQualifiedName().toString();
        if (shown.equals("java.lang.Void")) {
            return;
        }
        if (!isSubtypeByName(serdes, SERDES)) {
            report.error(String.format("@Step serdes %s does not implement %s", shown, SERDES), method, step, value);
        } else if (type.getKind() != ElementKind.CLASS || type.getModifiers().contains(Modifier.ABSTRACT)) {
            report.error(
                    String.format(
                            "@Step serdes %s is not a concrete class: give a class implementing %s", shown, SERDES),
                    method,
                    step,
                    value);
        } else if (!hasPublicNoArgConstructor(type)) {
            report.error(
                    String.format(
                            "@Step serdes %s needs a public no-argument constructor: the engine creates"
                                    + " one instance of it for the method",
                            shown),
                    method,
                    step,
                    value);
        }
    }

    private void validateReturnType(
            ExecutableElement method, String kind, AnnotationMirror operation, ValidationReport.Builder report) {
        TypeMirror returned = method.getReturnType();
        if (returned.getKind() != TypeKind.DECLARED) {
            return;
        }
        if (isType(returned, "java.lang.Object") && !hasCustomSerdes(operation)) {
            String serdesHint = kind.equals("@Step") ? ", or set @Step(serdes = ...)" : "";
            report.error(
                    String.format(
                            "%s method %s returns Object, which the journal cannot read back as a"
                                    + " concrete type: declare the concrete return type%s",
                            kind, name(method), serdesHint),
                    method);
            return;
        }
        for (Uncheckpointable u : UNCHECKPOINTABLE) {
            TypeElement type = elements.getTypeElement(u.type());
            if (type != null && types.isAssignable(types.erasure(returned), types.erasure(type.asType()))) {
                report.error(
                        String.format(
                                "%s method %s returns %s, which cannot be checkpointed in the journal:" + " %s",
                                kind, name(method), returned, u.instead()),
                        method);
                return;
            }
        }
    }

    private boolean hasCustomSerdes(AnnotationMirror operation) {
        if (!DurableAnnotations.nameOf(operation).equals(STEP)) {
            return false;
        }
        TypeMirror serdes = (TypeMirror) annotations.value(operation, "serdes").getValue();
        return serdes.getKind() == TypeKind.DECLARED && !isType(serdes, "java.lang.Void");
    }

    private boolean isSubtypeByName(TypeMirror type, String name) {
        if (isType(type, name)) {
            return true;
        }
        for (TypeMirror supertype : types.directSupertypes(type)) {
            if (isSubtypeByName(supertype, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPublicNoArgConstructor(TypeElement type) {
        boolean inner = type.getNestingKind() != NestingKind.TOP_LEVEL
                && !type.getModifiers().contains(Modifier.STATIC);
        return !inner
                && ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                        .anyMatch(c ->
                                c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC));
    }

    static boolean isType(TypeMirror type, String qualifiedName) {
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) type).asElement())
                        .getQualifiedName()
                        .contentEquals(qualifiedName);
    }

    /** {@code reserve(Order)}: enough to tell overloads apart in a message. */
    static String name(ExecutableElement method) {
        StringBuilder s = new StringBuilder(method.getSimpleName()).append('(');
        List<? extends VariableElement> parameters = method.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            s.append(i == 0 ? "" : ", ");
            TypeMirror type = parameters.get(i).asType();
            s.append(
                    type.getKind() == TypeKind.DECLARED
                            ? ((DeclaredType) type).asElement().getSimpleName()
                            : type.toString());
        }
        return s.append(')').toString();
    }
}
