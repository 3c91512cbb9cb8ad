package dev.durable.processor;

import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
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
 * <p>Handlers written against the context API are read the same way: a lambda passed as the handler to
 * {@code register(name, inputType, outputType, handler)} of a {@code DurableRuntime}, or a method reference there to
 * a method of the same top-level class. A handler passed any other way (a variable, a field, a factory's result, an
 * anonymous class) is not read: the lint never guesses what it cannot see.
 *
 * <p>Method bodies are read through {@link JavacAnalysis} once javac has attributed them, so calls are matched by the
 * methods they resolve to, not by how they are spelled; every class javac analyses is read, annotated or not.
 */
final class DeterminismLint {
    static final String OPTION = "durable.lint";
    static final String SUPPRESSION = "durable-determinism";

    private static final String RUNTIME = "dev.durable.DurableRuntime";
    private static final String HANDLER = "dev.durable.DurableHandler";
    private static final String CONTEXT = DurableCalls.CONTEXT;

    /** The {@code -Adurable.lint} values. */
    enum Mode {
        WARN,
        ERROR,
        OFF;

        static Mode parse(String value) {
            return value == null ? WARN : valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Whose body is read, as the reports name it: a {@code @Handler} method, or a registered {@code DurableHandler}
     * whose context parameter is {@code context}.
     */
    private record Subject(String name, String context, String step, boolean annotated) {
        static final Subject ANNOTATED = new Subject("a @Handler", "Durable.context()", "a @Step", true);

        static Subject registered(String context) {
            return new Subject("a DurableHandler", context, context + ".step(...)", false);
        }
    }

    /** What to use instead of a non-deterministic call. */
    private enum Fix {
        NOW,
        RANDOM,
        UUID,
        SLEEP,
        CONCURRENCY;

        String text(Subject s) {
            return switch (this) {
                case NOW -> "use " + s.context() + ".now(), or read the clock inside " + s.step();
                case RANDOM -> "use " + s.context() + ".random(), or draw the number inside " + s.step();
                case UUID -> "use " + s.context() + ".uuid(), or create it inside " + s.step();
                case SLEEP ->
                    s.annotated()
                            ? "use " + s.context() + ".wait(...) or a @Wait method, which hold no thread and survive"
                                    + " restarts"
                            : "use " + s.context() + ".wait(...), which holds no thread and survives restarts";
                case CONCURRENCY -> "use " + s.context() + ".parallel(...) or map(...), or start it inside " + s.step();
            };
        }
    }

    /** A non-deterministic method; {@code method} {@code "*"} matches all of the owner's static methods. */
    private record Rule(String owner, String method, Fix fix) {}

    private static final List<Rule> CALLS = List.of(
            new Rule("java.lang.System", "currentTimeMillis", Fix.NOW),
            new Rule("java.lang.System", "nanoTime", Fix.NOW),
            new Rule("java.time.Instant", "now", Fix.NOW),
            new Rule("java.time.LocalDateTime", "now", Fix.NOW),
            new Rule("java.time.LocalDate", "now", Fix.NOW),
            new Rule("java.time.LocalTime", "now", Fix.NOW),
            new Rule("java.time.ZonedDateTime", "now", Fix.NOW),
            new Rule("java.time.OffsetDateTime", "now", Fix.NOW),
            new Rule("java.lang.Math", "random", Fix.RANDOM),
            new Rule("java.lang.StrictMath", "random", Fix.RANDOM),
            new Rule("java.util.concurrent.ThreadLocalRandom", "current", Fix.RANDOM),
            new Rule("java.util.UUID", "randomUUID", Fix.UUID),
            new Rule("java.lang.Thread", "sleep", Fix.SLEEP),
            new Rule("java.util.concurrent.Executors", "*", Fix.CONCURRENCY),
            new Rule("java.util.concurrent.CompletableFuture", "supplyAsync", Fix.CONCURRENCY),
            new Rule("java.util.concurrent.CompletableFuture", "runAsync", Fix.CONCURRENCY));

    /** A type whose construction, subclasses included, is non-deterministic. */
    private record Construction(String type, Fix fix) {}

    private static final List<Construction> CONSTRUCTIONS = List.of(
            new Construction("java.util.Random", Fix.RANDOM), new Construction("java.lang.Thread", Fix.CONCURRENCY));

    private final Trees trees;
    private final Elements elements;
    private final Types types;
    private final Messager messager;
    private final Diagnostic.Kind kind;
    private final Set<ExecutableElement> linted = new HashSet<>();
    /** Calls and catch clauses already reported, by identity: a lambda registered in a handler is read twice. */
    private final Set<Tree> reported = Collections.newSetFromMap(new IdentityHashMap<>());

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
        JavacAnalysis analysis = JavacAnalysis.of(env);
        if (analysis == null) {
            return false;
        }
        DeterminismLint lint = new DeterminismLint(
                analysis.trees(), env, mode == Mode.ERROR ? Diagnostic.Kind.ERROR : Diagnostic.Kind.WARNING);
        analysis.listen(
                type -> {
                    try {
                        lint.lintHandlersIn(type);
                        lint.lintRegisteredHandlersIn(type);
                    } catch (RuntimeException e) {
                        // a bug in the lint must neither stop javac nor fail a build the lint would only warn about
                        ValidationReport.crash(type, e, lint.kind).printTo(lint.messager);
                    }
                },
                () -> {});
        return true;
    }

    private void lintHandlersIn(TypeElement type) {
        if (DurableAnnotations.has(type, DurableAnnotations.DURABLE_FUNCTION)) {
            for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
                if (DurableAnnotations.has(method, DurableAnnotations.HANDLER)
                        && linted.add(method)
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
        return check(path, Subject.ANNOTATED);
    }

    private ValidationReport check(TreePath body, Subject subject) {
        ValidationReport.Builder report = ValidationReport.builder();
        new HandlerScanner(body.getCompilationUnit(), report, subject).scan(body, null);
        return report.build();
    }

    /** Lints the handlers {@code type} (with its nested and local classes) registers through the context API. */
    private void lintRegisteredHandlersIn(TypeElement type) {
        TreePath path = trees.getPath(type);
        if (path != null) {
            new RegistrationScanner(JavacAnalysis.outermost(type)).scan(path, null);
        }
    }

    /**
     * Whether {@code method} is {@code register(String, Class|TypeToken, Class|TypeToken, DurableHandler)} of a
     * {@code DurableRuntime}, whatever implementation the receiver's static type names.
     */
    private boolean isRegistration(ExecutableElement method) {
        TypeElement runtime = elements.getTypeElement(RUNTIME);
        TypeElement handler = elements.getTypeElement(HANDLER);
        List<? extends VariableElement> parameters = method.getParameters();
        return runtime != null
                && handler != null
                && parameters.size() == 4
                && method.getSimpleName().contentEquals("register")
                && method.getEnclosingElement() instanceof TypeElement owner
                && types.isSubtype(types.erasure(owner.asType()), types.erasure(runtime.asType()))
                && types.isSameType(types.erasure(parameters.get(3).asType()), types.erasure(handler.asType()));
    }

    /** Finds {@code runtime.register(name, in, out, handler)} calls and lints the handlers it can read. */
    private final class RegistrationScanner extends TreePathScanner<Void, Void> {
        private final Element outermost;

        RegistrationScanner(Element outermost) {
            this.outermost = outermost;
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
            if (node.getArguments().size() == 4
                    && calledName(node).equals("register")
                    && trees.getElement(getCurrentPath()) instanceof ExecutableElement method
                    && isRegistration(method)) {
                TreePath handler =
                        new TreePath(getCurrentPath(), node.getArguments().get(3));
                while (handler.getLeaf() instanceof ParenthesizedTree || handler.getLeaf() instanceof TypeCastTree) {
                    Tree inner = handler.getLeaf() instanceof ParenthesizedTree p
                            ? p.getExpression()
                            : ((TypeCastTree) handler.getLeaf()).getExpression();
                    handler = new TreePath(handler, inner);
                }
                if (handler.getLeaf() instanceof LambdaExpressionTree lambda) {
                    lintLambda(lambda, handler);
                } else if (handler.getLeaf() instanceof MemberReferenceTree) {
                    lintReferencedMethod(handler);
                }
            }
            return super.visitMethodInvocation(node, unused);
        }

        /** The called method's name as written, to skip resolving calls that cannot be registrations. */
        private String calledName(MethodInvocationTree node) {
            ExpressionTree select = node.getMethodSelect();
            if (select instanceof MemberSelectTree member) {
                return member.getIdentifier().toString();
            }
            return select instanceof IdentifierTree identifier
                    ? identifier.getName().toString()
                    : "";
        }

        private void lintLambda(LambdaExpressionTree lambda, TreePath path) {
            if (lambda.getParameters().size() != 2 || isSuppressedAt(path)) {
                return;
            }
            String context = lambda.getParameters().get(1).getName().toString();
            check(path, Subject.registered(context)).printTo(messager);
        }

        /** A method of the same top-level class: javac may already have lowered the trees of any other. */
        private void lintReferencedMethod(TreePath reference) {
            if (!(trees.getElement(reference) instanceof ExecutableElement method)
                    || !JavacAnalysis.outermost(method).equals(outermost)) {
                return;
            }
            TreePath body = trees.getPath(method);
            if (body == null
                    || !(body.getLeaf() instanceof MethodTree tree)
                    || tree.getBody() == null
                    || isSuppressedAt(reference)
                    || isSuppressed(method)
                    || !linted.add(method)) {
                return;
            }
            String context = method.getParameters().stream()
                    .filter(p -> MethodValidator.isType(p.asType(), CONTEXT))
                    .map(p -> p.getSimpleName().toString())
                    .findFirst()
                    .orElse("Durable.context()");
            check(body, Subject.registered(context)).printTo(messager);
        }

        /** Whether the declaration around {@code path} (or one around it) suppresses the lint. */
        private boolean isSuppressedAt(TreePath path) {
            for (TreePath p = path; p != null; p = p.getParentPath()) {
                Tree leaf = p.getLeaf();
                if (leaf instanceof MethodTree || leaf instanceof ClassTree || leaf instanceof VariableTree) {
                    Element declared = trees.getElement(p);
                    if (declared != null) {
                        return isSuppressed(declared);
                    }
                }
            }
            return false;
        }
    }

    private final class HandlerScanner extends TreePathScanner<Void, Void> {
        private final CompilationUnitTree unit;
        private final ValidationReport.Builder report;
        private final Subject subject;

        HandlerScanner(CompilationUnitTree unit, ValidationReport.Builder report, Subject subject) {
            this.unit = unit;
            this.report = report;
            this.subject = subject;
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
                if (name.equals("start")
                        && method.getParameters().isEmpty()
                        && isA(owner.asType(), "java.lang.Thread")) {
                    flag(node, "Thread.start()", Fix.CONCURRENCY);
                }
                if (DurableCalls.STEP_CALLS.contains(name)) {
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
                    String simple =
                            construction.type().substring(construction.type().lastIndexOf('.') + 1);
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
                    if (call != null && reported.add(c)) {
                        report.add(
                                kind,
                                String.format(
                                        "catch (%s %s) around %s(), a durable call, also catches the"
                                                + " Error the engine throws to suspend the handler while it waits, and swallowing it"
                                                + " breaks the execution: catch Exception instead, or rethrow what you catch"
                                                + " (or add @SuppressWarnings(\"%s\"))",
                                        c.getParameter().getType(),
                                        c.getParameter().getName(),
                                        call,
                                        SUPPRESSION),
                                ValidationReport.at(trees, c, unit));
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
            List<? extends TypeMirror> alternatives =
                    caught.getKind() == TypeKind.UNION ? ((UnionType) caught).getAlternatives() : List.of(caught);
            TypeElement error = elements.getTypeElement("java.lang.Error");
            for (TypeMirror alternative : alternatives) {
                if (error != null
                        && alternative.getKind() == TypeKind.DECLARED
                        && types.isSubtype(error.asType(), types.erasure(alternative))) {
                    return true;
                }
            }
            return false;
        }

        private boolean endsByRethrowing(CatchTree c) {
            List<? extends StatementTree> statements = c.getBlock().getStatements();
            return !statements.isEmpty()
                    && statements.get(statements.size() - 1) instanceof ThrowTree t
                    && t.getExpression() instanceof IdentifierTree thrown
                    && thrown.getName().contentEquals(c.getParameter().getName());
        }

        /** The name of the first durable call in the try block or its resources, or {@code null}. */
        private String firstDurableCall(TryTree node) {
            String[] found = new String[1];
            TreePathScanner<Void, Void> finder = new TreePathScanner<>() {
                @Override
                public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                    if (found[0] == null
                            && trees.getElement(getCurrentPath()) instanceof ExecutableElement method
                            && DurableCalls.isDurable(method)) {
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

        private void flag(Tree tree, String call, Fix fix) {
            if (reported.add(tree)) {
                report.add(
                        kind,
                        String.format(
                                "%s is not deterministic, and %s re-runs from the top on every resume:"
                                        + " %s (or add @SuppressWarnings(\"%s\"))",
                                call, subject.name(), fix.text(subject), SUPPRESSION),
                        ValidationReport.at(trees, tree, unit));
            }
        }

        private boolean isStepBody(ExpressionTree argument) {
            return argument instanceof LambdaExpressionTree
                    || (argument instanceof NewClassTree n && n.getClassBody() != null);
        }
    }

    private boolean isA(TypeMirror type, String qualifiedName) {
        TypeElement target = elements.getTypeElement(qualifiedName);
        return target != null
                && type.getKind() == TypeKind.DECLARED
                && types.isSubtype(types.erasure(type), types.erasure(target.asType()));
    }
}
