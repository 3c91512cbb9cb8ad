package dev.durable.processor;

import static dev.durable.processor.DurableAnnotations.HANDLER;
import static dev.durable.processor.DurableAnnotations.STEP;
import static dev.durable.processor.DurableAnnotations.STEP_MIGRATION;
import static dev.durable.processor.DurableAnnotations.simpleName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;

/**
 * Checks the {@code @StepMigration} methods of a {@code @DurableFunction} class against its steps: each names a
 * {@code @Step} of the class, converts from a version below that step's {@code resultVersion}, takes the old value
 * as its one parameter, returns the step's result type, is static and nothing else durable, and no two convert the
 * same step from the same version.
 */
final class MigrationValidator {
    private final Types types;
    private final DurableAnnotations annotations;

    MigrationValidator(DurableAnnotations annotations, Types types) {
        this.annotations = annotations;
        this.types = types;
    }

    ValidationReport validate(TypeElement type) {
        Map<String, List<ExecutableElement>> steps = new LinkedHashMap<>();
        List<ExecutableElement> migrations = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (DurableAnnotations.has(method, STEP)) {
                steps.computeIfAbsent(ManifestBuilder.operationName(method), k -> new ArrayList<>())
                        .add(method);
            }
            if (DurableAnnotations.has(method, STEP_MIGRATION)) {
                migrations.add(method);
            }
        }
        ValidationReport.Builder report = ValidationReport.builder();
        Map<String, ExecutableElement> seen = new HashMap<>();
        for (ExecutableElement migration : migrations) {
            validate(type, migration, steps, seen, report);
        }
        return report.build();
    }

    private void validate(
            TypeElement type,
            ExecutableElement method,
            Map<String, List<ExecutableElement>> steps,
            Map<String, ExecutableElement> seen,
            ValidationReport.Builder report) {
        AnnotationMirror mirror =
                DurableAnnotations.find(method, STEP_MIGRATION).orElseThrow();
        AnnotationValue stepValue = annotations.value(mirror, "step");
        AnnotationValue fromValue = annotations.value(mirror, "from");
        String step = (String) stepValue.getValue();
        int from = (Integer) fromValue.getValue();
        String name = "@StepMigration method " + MethodValidator.name(method);
        validateShape(method, mirror, name, report);
        List<ExecutableElement> targets = steps.get(step);
        if (targets == null) {
            report.error(
                    String.format(
                            "%s converts results of step '%s', which no @Step method of %s has (its steps: %s):"
                                    + " name the step as it is journaled, its @Step value or its method name",
                            name,
                            step,
                            type.getSimpleName(),
                            steps.isEmpty() ? "none" : String.join(", ", steps.keySet())),
                    method,
                    mirror,
                    stepValue);
            return;
        }
        for (ExecutableElement target : targets) {
            AnnotationMirror stepMirror = DurableAnnotations.find(target, STEP).orElseThrow();
            int version =
                    (Integer) annotations.value(stepMirror, "resultVersion").getValue();
            if (from < 1 || from >= version) {
                report.error(
                        String.format(
                                "%s converts from result version %d, but step '%s' (%s) has result version %d:"
                                        + " a migration converts from an older version, %s; raise"
                                        + " @Step(resultVersion) when the step's result type changes",
                                name,
                                from,
                                step,
                                MethodValidator.name(target),
                                version,
                                version > 1 ? "1 to " + (version - 1) : "and version 1 has none"),
                        method,
                        mirror,
                        fromValue);
            }
            TypeMirror result = target.getReturnType();
            if (method.getParameters().size() == 1 && !types.isAssignable(method.getReturnType(), result)) {
                report.error(
                        String.format(
                                "%s returns %s, which is not the result type %s of step '%s' (%s): return what"
                                        + " the step returns now",
                                name, method.getReturnType(), result, step, MethodValidator.name(target)),
                        method);
            }
        }
        ExecutableElement earlier = seen.putIfAbsent(step + "\u0000" + from, method);
        if (earlier != null) {
            report.error(
                    String.format(
                            "%s and %s both convert step '%s' from result version %d: keep one",
                            name, MethodValidator.name(earlier), step, from),
                    method,
                    mirror);
        }
    }

    /** A {@code @StepMigration} on a method of a class that is no {@code @DurableFunction}: it would never run. */
    static ValidationReport validateOutsideFunction(ExecutableElement method) {
        return ValidationReport.builder()
                .error(
                        String.format(
                                "@StepMigration method %s is in %s, which is not a @DurableFunction: put it in the"
                                        + " class of the step it converts",
                                MethodValidator.name(method),
                                method.getEnclosingElement().getSimpleName()),
                        method,
                        DurableAnnotations.find(method, STEP_MIGRATION).orElseThrow())
                .build();
    }

    /** A step's {@code resultVersion} counts from 1. */
    static void validateResultVersion(
            ExecutableElement method,
            AnnotationMirror step,
            AnnotationValue resultVersion,
            ValidationReport.Builder report) {
        if ((Integer) resultVersion.getValue() < 1) {
            report.error(
                    String.format(
                            "@Step resultVersion is %d: result versions count from 1, the version of results"
                                    + " journaled before versions were given",
                            resultVersion.getValue()),
                    method,
                    step,
                    resultVersion);
        }
    }

    private static void validateShape(
            ExecutableElement method, AnnotationMirror mirror, String name, ValidationReport.Builder report) {
        for (AnnotationMirror other : DurableAnnotations.operations(method)) {
            report.error(
                    String.format(
                            "%s is also %s: a migration is a plain method the engine calls on replay; move the"
                                    + " migration into a method of its own",
                            name, simpleName(DurableAnnotations.nameOf(other))),
                    method,
                    other);
        }
        DurableAnnotations.find(method, HANDLER)
                .ifPresent(h -> report.error(
                        String.format("%s is also @Handler: move the migration into a method of its own", name),
                        method,
                        h));
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            report.error(
                    String.format(
                            "%s is not static: a migration runs on every replay of an old result and must depend on"
                                    + " nothing but that value; make it static",
                            name),
                    method,
                    mirror);
        }
        int parameters = method.getParameters().size();
        if (parameters != 1) {
            report.error(
                    String.format(
                            "%s takes %d parameters: it takes one, the old result as the step returned it at that"
                                    + " version (or a JsonNode)",
                            name, parameters),
                    method,
                    mirror);
        }
    }
}
