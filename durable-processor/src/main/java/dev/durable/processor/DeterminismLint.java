package dev.durable.processor;

import com.sun.source.tree.CatchTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.UnionType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Reports calls in {@code @Handler} bodies whose results differ between the first run and a replay: clocks,
 * randomness, sleeping and threads. The handler re-runs from the top on every resume, so these belong in steps or
 * come from the durable context. Also reports {@code catch (Throwable t)} and {@code catch (Error e)} (alone or in
 * a multi-catch) around durable calls when the catch block does not end by rethrowing: the engine unwinds a handler
 * that has to wait with an {@link Error}, and a handler that swallows it carries on as if the wait were over.
 *
 * <p>The only class of the processor on the {@code com.sun.source} API. Method bodies are read once javac has
 * attributed them (after annotation processing), so calls are matched by the methods they resolve to, not by how
 * they are spelled.
 */
final class DeterminismLint {
    static final String OPTION = "durable.lint";
    static final String SUPPRESSION = "durable-determinism";

    /** The {@code -Adurable.lint} values. */
    enum Mode {
        WARN, ERROR, OFF;

        static Mode parse(String value) {
            return value == null ? WARN : valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final String NOW = "use Durable.context().now(), or read the clock inside a @Step";
    private static final String RANDOM = "use Durable.context().random(), or draw the number inside a @Step";
    private static final String UUID = "use Durable.context().uuid(), or create it inside a @Step";
    private static final String SLEEP = "use Durable.context().wait(...) or a @Wait method, which hold no thread"
            + " and survive restarts";
    private static final String CONCURRENCY = "use Durable.context().parallel(...) or map(...), or start it"
            + " inside a @Step";

    /** A non-deterministic method; {@code method} {@code "*"} matches all of the owner's static methods. */
    private record Rule(String owner, String method, String fix) {}

    private static final List<Rule> CALLS = List.of(
            new Rule("java.lang.System", "currentTimeMillis", NOW),
            new Rule("java.lang.System", "nanoTime", NOW),
            new Rule("java.time.Instant", "now", NOW),
            new Rule("java.time.LocalDateTime", "now", NOW),
            new Rule("java.time.LocalDate", "now", NOW),
            new Rule("java.time.LocalTime", "now", NOW),
            new Rule("java.time.ZonedDateTime", "now", NOW),
            new Rule("java.time.OffsetDateTime", "now", NOW),
            new Rule("java.lang.Math", "random", RANDOM),
            new Rule("java.lang.StrictMath", "random", RANDOM),
            new Rule("java.util.concurrent.ThreadLocalRandom", "current", RANDOM),
            new Rule("java.util.UUID", "randomUUID", UUID),
            new Rule("java.lang.Thread", "sleep", SLEEP),
            new Rule("java.util.concurrent.Executors", "*", CONCURRENCY),
            new Rule("java.util.concurrent.CompletableFuture", "supplyAsync", CONCURRENCY),
            new Rule("java.util.concurrent.CompletableFuture", "runAsync", CONCURRENCY));

    /** A type whose construction, subclasses included, is non-deterministic. */
    private record Construction(String type, String fix) {}

    private static final List<Construction> CONSTRUCTIONS = List.of(
            new Construction("java.util.Random", RANDOM),
            new Construction("java.lang.Thread", CONCURRENCY));

    /** The types whose methods are durable operations, besides {@code @Step}, {@code @Wait} and {@code @Callback}. */
    private static final Set<String> DURABLE_TYPES = Set.of("dev.durable.DurableContext",
            "dev.durable.DurableCallback");

    /** Methods of {@link #DURABLE_TYPES} that neither journal nor wait, so cannot throw the engine's Errors. */
    private static final Set<String> PLAIN_METHODS = Set.of("executionName", "random", "uuid", "isReplaying",
            "logger", "id");

    /** Context methods whose lambda arguments are step bodies, run once and checkpointed. */
    private static final Set<String> STEP_CALLS = Set.of("step", "waitForCallback", "waitForCondition");

    private final Trees trees;
    private final Elements elements;
    private final Types types;
    private final Messager messager;
    private final Diagnostic.Kind kind;
    private final Set<ExecutableElement> linted = new HashSet<>();

    private DeterminismLint(Trees trees, ProcessingEnvironment env, Diagnostic.Kind kind) {
        this.trees = trees;
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
        this.messager = env.getMessager();
        this.kind = kind;
    }

    /**
     * Arranges for every handler to be linted once javac has analysed its class. Returns false when the compiler is
     * not javac (or hides it), in which case there is no lint.
     */
    static boolean install(ProcessingEnvironment env, Mode mode) {
        if (mode == Mode.OFF) {
            return true;
        }
        ProcessingEnvironment javac = unwrap(env);
        if (javac == null) {
            return false;
        }
        DeterminismLint lint = new DeterminismLint(Trees.instance(javac), env,
                mode == Mode.ERROR ? Diagnostic.Kind.ERROR : Diagnostic.Kind.WARNING);
        JavacTask.instance(javac).addTaskListener(new TaskListener() {
            @Override
            public void finished(TaskEvent event) {
                if (event.getKind() == TaskEvent.Kind.ANALYZE && event.getTypeElement() != null) {
                    lint.lintHandlersIn(event.getTypeElement());
                }
            }
        });
        return true;
    }

    /**
     * The javac environment behind {@code env}. Build tools may wrap it (Gradle does, for incremental processing);
     * their wrappers keep it in a field.
     */
    private static ProcessingEnvironment unwrap(ProcessingEnvironment env) {
        for (int depth = 0; env != null && depth < 4; depth++) {
            try {
                JavacTask.instance(env);
                return env;
            } catch (IllegalArgumentException | ClassCastException e) {
                env = delegateOf(env);
            }
        }
        return null;
    }

    private static ProcessingEnvironment delegateOf(ProcessingEnvironment env) {
        for (Class<?> c = env.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (ProcessingEnvironment.class.isAssignableFrom(field.getType())) {
                    try {
                        field.setAccessible(true);
                        return (ProcessingEnvironment) field.get(env);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private void lintHandlersIn(TypeElement type) {
        if (DurableAnnotations.has(type, DurableAnnotations.DURABLE_FUNCTION)) {
            for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
                if (DurableAnnotations.has(method, DurableAnnotations.HANDLER) && linted.add(method)
                        && !isSuppressed(method)) {
                    check(method).printTo(messager);
                }
            }
        }
        for (TypeElement nested : ElementFilter.typesIn(type.getEnclosedElements())) {
            lintHandlersIn(nested);
        }
    }

    private static boolean isSuppressed(Element element) {
        for (Element e = element; e != null; e = e.getEnclosingElement()) {
            SuppressWarnings suppressed = e.getAnnotation(SuppressWarnings.class);
            if (suppressed != null && List.of(suppressed.value()).contains(SUPPRESSION)) {
                return true;
            }
        }
        return false;
    }

    private ValidationReport check(ExecutableElement handler) {
        TreePath path = trees.getPath(handler);
        if (path == null) {
            return ValidationReport.empty();
        }
        ValidationReport.Builder report = ValidationReport.builder();
        new HandlerScanner(path.getCompilationUnit(), report).scan(path, null);
        return report.build();
    }

    /** Points at a call in a method body, which {@code javax.lang.model} cannot name. */
    private record TreeLocation(Trees trees, Tree tree, CompilationUnitTree unit) implements ValidationReport.Location {
        @Override
        public void print(Messager messager, Diagnostic.Kind kind, String message) {
            trees.printMessage(kind, message, tree, unit);
        }
    }

    private final class HandlerScanner extends TreePathScanner<Void, Void> {
        private final CompilationUnitTree unit;
        private final ValidationReport.Builder report;

        HandlerScanner(CompilationUnitTree unit, ValidationReport.Builder report) {
            this.unit = unit;
            this.report = report;
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
            if (trees.getElement(getCurrentPath()) instanceof ExecutableElement method) {
                TypeElement owner = (TypeElement) method.getEnclosingElement();
                String name = method.getSimpleName().toString();
                for (Rule rule : CALLS) {
                    if (owner.getQualifiedName().contentEquals(rule.owner())
                            && (rule.method().equals(name) || rule.method().equals("*"))) {
                        flag(node, owner.getSimpleName() + "." + name + "()", rule.fix());
                    }
                }
                if (name.equals("start") && method.getParameters().isEmpty() && isA(owner.asType(), "java.lang.Thread")) {
                    flag(node, "Thread.start()", CONCURRENCY);
                }
                if (STEP_CALLS.contains(name)) {
                    scan(node.getMethodSelect(), unused);
                    for (ExpressionTree argument : node.getArguments()) {
                        if (!isStepBody(argument)) {
                            scan(argument, unused);
                        }
                    }
                    return null;
                }
            }
            return super.visitMethodInvocation(node, unused);
        }

        @Override
        public Void visitNewClass(NewClassTree node, Void unused) {
            TypeMirror type = trees.getTypeMirror(getCurrentPath());
            for (Construction construction : CONSTRUCTIONS) {
                if (type != null && isA(type, construction.type())) {
                    String simple = construction.type().substring(construction.type().lastIndexOf('.') + 1);
                    flag(node, "new " + simple + "()", construction.fix());
                }
            }
            return super.visitNewClass(node, unused);
        }

        @Override
        public Void visitTry(TryTree node, Void unused) {
            for (CatchTree c : node.getCatches()) {
                if (catchesErrors(c) && !endsByRethrowing(c)) {
                    String call = firstDurableCall(node);
                    if (call != null) {
                        report.add(kind, String.format("catch (%s %s) around %s(), a durable call, also catches the"
                                + " Error the engine throws to suspend the handler while it waits, and swallowing it"
                                + " breaks the execution: catch Exception instead, or rethrow what you catch"
                                + " (or add @SuppressWarnings(\"%s\"))", c.getParameter().getType(),
                                c.getParameter().getName(), call, SUPPRESSION), new TreeLocation(trees, c, unit));
                    }
                }
            }
            return super.visitTry(node, unused);
        }

        /** Whether the clause catches {@link Error}: its type, or one of its alternatives, is Throwable or Error. */
        private boolean catchesErrors(CatchTree c) {
            TypeMirror caught = trees.getTypeMirror(new TreePath(new TreePath(getCurrentPath(), c), c.getParameter()));
            if (caught == null) {
                return false;
            }
            List<? extends TypeMirror> alternatives = caught.getKind() == TypeKind.UNION
                    ? ((UnionType) caught).getAlternatives() : List.of(caught);
            TypeElement error = elements.getTypeElement("java.lang.Error");
            for (TypeMirror alternative : alternatives) {
                if (error != null && alternative.getKind() == TypeKind.DECLARED
                        && types.isSubtype(error.asType(), types.erasure(alternative))) {
                    return true;
                }
            }
            return false;
        }

        private boolean endsByRethrowing(CatchTree c) {
            List<? extends StatementTree> statements = c.getBlock().getStatements();
            return !statements.isEmpty() && statements.get(statements.size() - 1) instanceof ThrowTree t
                    && t.getExpression() instanceof IdentifierTree thrown
                    && thrown.getName().contentEquals(c.getParameter().getName());
        }

        /** The name of the first durable call in the try block or its resources, or {@code null}. */
        private String firstDurableCall(TryTree node) {
            String[] found = new String[1];
            TreePathScanner<Void, Void> finder = new TreePathScanner<>() {
                @Override
                public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                    if (found[0] == null && trees.getElement(getCurrentPath()) instanceof ExecutableElement method
                            && isDurable(method)) {
                        found[0] = method.getSimpleName().toString();
                    }
                    return super.visitMethodInvocation(call, unused);
                }
            };
            TreePath tryPath = getCurrentPath();
            for (Tree resource : node.getResources()) {
                finder.scan(new TreePath(tryPath, resource), null);
            }
            finder.scan(new TreePath(tryPath, node.getBlock()), null);
            return found[0];
        }

        private void flag(Tree tree, String call, String fix) {
            report.add(kind, String.format("%s is not deterministic, and a @Handler re-runs from the top on every"
                    + " resume: %s (or add @SuppressWarnings(\"%s\"))", call, fix, SUPPRESSION),
                    new TreeLocation(trees, tree, unit));
        }

        private boolean isStepBody(ExpressionTree argument) {
            return argument instanceof LambdaExpressionTree
                    || (argument instanceof NewClassTree n && n.getClassBody() != null);
        }
    }

    /** A {@code @Step}, {@code @Wait} or {@code @Callback} method, or a context call that journals or waits. */
    private static boolean isDurable(ExecutableElement method) {
        if (!DurableAnnotations.operations(method).isEmpty()) {
            return true;
        }
        return method.getEnclosingElement() instanceof TypeElement owner
                && DURABLE_TYPES.contains(owner.getQualifiedName().toString())
                && !PLAIN_METHODS.contains(method.getSimpleName().toString());
    }

    private boolean isA(TypeMirror type, String qualifiedName) {
        TypeElement target = elements.getTypeElement(qualifiedName);
        return target != null && type.getKind() == TypeKind.DECLARED
                && types.isSubtype(types.erasure(type), types.erasure(target.asType()));
    }
}
