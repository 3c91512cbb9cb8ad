package dev.durable.processor;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;

/**
 * Generates a {@code <Name>_Durable} proxy for each {@code @DurableFunction} class, which routes its
 * {@code @Step}, {@code @Wait} and {@code @Callback} methods through the durable engine, and lists it in
 * {@code META-INF/services/dev.durable.spi.weaving.ProxyRegistration}. Rejects, at compile time, what the proxy or the
 * journal could not handle, and warns about non-deterministic calls in handlers.
 *
 * <p>Each proxy has static starters typed by the {@code @Handler}: {@code OrderProcessor_Durable.start(runtime,
 * "order-42", order)} returns an {@code Execution<Receipt>} on the version of that class, {@code startNewest} the same
 * by function name on the newest version. When the user's class has a method named {@code start} or
 * {@code startNewest}, of any signature, they are in the nested class {@code OrderProcessor_Durable.Starter} instead.
 * A handler whose signature names a private class gets none: the proxy could not name that class.
 *
 * <p>Options: {@code -Adurable.lint=warn|error|off} sets how the determinism lint reports (default {@code warn});
 * {@code -Adurable.compat.baseline}, {@code -Adurable.compat.level} and {@code -Adurable.compat.write} configure the
 * compatibility check against the operation manifests of the last release ({@link CompatibilityCheck}).
 */
@AutoService(Processor.class)
@SupportedOptions({
    DeterminismLint.OPTION,
    CompatibilityCheck.BASELINE,
    CompatibilityCheck.LEVEL,
    CompatibilityCheck.WRITE
})
public final class DurableProcessor extends AbstractProcessor {
    private Elements elements;
    private Messager messager;
    private MethodValidator methodValidator;
    private FunctionValidator functionValidator;
    private ProxyModelFactory models;
    private ProxyWriter writer;
    private final ServiceRegistrations registrations = new ServiceRegistrations();
    /** Classes naming types that another processor has yet to generate, by qualified name. */
    private final Set<String> deferred = new TreeSet<>();

    private final Set<String> processed = new HashSet<>();

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        elements = env.getElementUtils();
        messager = env.getMessager();
        methodValidator = new MethodValidator(elements, env.getTypeUtils());
        functionValidator = new FunctionValidator(
                methodValidator, new MigrationValidator(new DurableAnnotations(elements), env.getTypeUtils()));
        models = new ProxyModelFactory(elements, env.getTypeUtils());
        writer = new ProxyWriter(elements.getTypeElement("javax.annotation.processing.Generated") != null);
        installLint(env);
        if (!CompatibilityCheck.install(env) && env.getOptions().containsKey(CompatibilityCheck.BASELINE)) {
            messager.printMessage(
                    Diagnostic.Kind.NOTE,
                    "the durable compatibility check needs javac; no operation manifest is written or checked");
        }
    }

    private void installLint(ProcessingEnvironment env) {
        String option = env.getOptions().get(DeterminismLint.OPTION);
        DeterminismLint.Mode mode;
        try {
            mode = DeterminismLint.Mode.parse(option);
        } catch (IllegalArgumentException e) {
            mode = DeterminismLint.Mode.WARN;
            ValidationReport.builder()
                    .add(
                            Diagnostic.Kind.WARNING,
                            "-A" + DeterminismLint.OPTION + "=" + option
                                    + " is not a lint mode: write warn, error or off; using warn",
                            ValidationReport.at(null))
                    .build()
                    .printTo(messager);
        }
        if (!DeterminismLint.install(env, mode)) {
            ValidationReport.builder()
                    .add(
                            Diagnostic.Kind.NOTE,
                            "the durable determinism lint needs javac;"
                                    + " @Handler bodies and registered handlers are not checked",
                            ValidationReport.at(null))
                    .build()
                    .printTo(messager);
        }
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.copyOf(DurableAnnotations.ALL);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        try {
            for (TypeElement function : functionsOf(round)) {
                processFunction(function, round.processingOver());
            }
            for (ExecutableElement method : methodsOutsideFunctions(round)) {
                methodValidator.validateOutsideFunction(method).printTo(messager);
            }
            if (round.processingOver() && !registrations.isEmpty()) {
                registrations.writeTo(processingEnv.getFiler());
            }
        } catch (Throwable e) {
            ValidationReport.crash(null, e).printTo(messager);
        }
        return false;
    }

    /** Validate, model, write: one class at a time, so a bug on one class still lets javac report the others. */
    private void processFunction(TypeElement function, boolean lastRound) {
        String name = function.getQualifiedName().toString();
        try {
            if (FunctionValidator.referencesMissingTypes(function) && !lastRound) {
                deferred.add(name);
                return;
            }
            if (!processed.add(name)) {
                return;
            }
            ValidationReport report = functionValidator.validate(function);
            report.printTo(messager);
            // in the last round javac itself reports the types that never appeared
            if (report.hasErrors()
                    || FunctionValidator.referencesMissingTypes(function)
                    || !DurableAnnotations.wantsProxy(function)) {
                return;
            }
            ProxyModel model = models.create(function);
            writer.write(model).writeTo(processingEnv.getFiler());
            registrations.add(model);
        } catch (Throwable e) {
            ValidationReport.crash(function, e).printTo(messager);
        }
    }

    private List<TypeElement> functionsOf(RoundEnvironment round) {
        Set<TypeElement> functions = new LinkedHashSet<>();
        for (String name : deferred) {
            TypeElement type = elements.getTypeElement(name);
            if (type != null) {
                functions.add(type);
            }
        }
        deferred.clear();
        TypeElement annotation = elements.getTypeElement(DurableAnnotations.DURABLE_FUNCTION);
        if (annotation != null) {
            functions.addAll(ElementFilter.typesIn(round.getElementsAnnotatedWith(annotation)));
        }
        List<TypeElement> sorted = new ArrayList<>(functions);
        sorted.sort(Comparator.comparing(t -> t.getQualifiedName().toString()));
        return sorted;
    }

    private Set<ExecutableElement> methodsOutsideFunctions(RoundEnvironment round) {
        Set<ExecutableElement> methods = new LinkedHashSet<>();
        for (String name : DurableAnnotations.ALL) {
            TypeElement annotation = elements.getTypeElement(name);
            if (annotation == null || name.equals(DurableAnnotations.DURABLE_FUNCTION)) {
                continue;
            }
            for (ExecutableElement method : ElementFilter.methodsIn(round.getElementsAnnotatedWith(annotation))) {
                Element owner = method.getEnclosingElement();
                if (!DurableAnnotations.has(owner, DurableAnnotations.DURABLE_FUNCTION)) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }
}
