package dev.durable.processor;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.durable.processor.OperationManifest.Node;
import dev.durable.processor.OperationManifest.Opaque;
import dev.durable.processor.OperationManifest.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Types;

/**
 * The expressions of a handler, in the order Java evaluates them: receiver, then arguments, then the call. A call
 * of a durable method on the function itself is an operation; a helper method of the same source file is read in
 * place; everything that could run durable operations in an order the processor cannot know is opaque.
 */
final class ManifestExpressions {
    /** {@code patched("id")}, or {@code !patched("id")} when {@code negated}. */
    record PatchCall(String id, boolean negated, ValidationReport.Location site) {}

    /** What a piece of code may do: durable calls seen, and whether it may run operations the processor cannot see. */
    private record Reach(int calls, boolean unseen) {
        static final Reach NONE = new Reach(0, false);

        Reach plus(Reach other) {
            return new Reach(calls + other.calls, unseen || other.unseen);
        }
    }

    private final Trees trees;
    private final Types types;
    private final TypeElement function;
    private final CompilationUnitTree unit;
    private final Set<String> deprecated;
    private final ManifestBuilder.Statements statements;
    /** The handler, then the helpers being read in place, innermost last. */
    final List<ExecutableElement> inlining = new ArrayList<>();

    private final Map<ExecutableElement, Reach> helpers = new HashMap<>();

    ManifestExpressions(
            Trees trees,
            Types types,
            TypeElement function,
            CompilationUnitTree unit,
            Set<String> deprecated,
            ManifestBuilder.Statements statements) {
        this.trees = trees;
        this.types = types;
        this.function = function;
        this.unit = unit;
        this.deprecated = deprecated;
        this.statements = statements;
    }

    boolean inHelper() {
        return inlining.size() > 1;
    }

    ValidationReport.Location at(Tree tree) {
        return ValidationReport.at(trees, tree, unit);
    }

    /** Source text as javac renders it: stable across reformatting. */
    static String text(Tree tree) {
        Tree t = tree;
        while (t instanceof ParenthesizedTree p) {
            t = p.getExpression();
        }
        return t.toString();
    }

    /** Appends the nodes of the expression at {@code path} (none for {@code null}). */
    void scan(TreePath path, List<Node> out) {
        if (path != null) {
            new Walker().scan(path, out);
        }
    }

    /** The durable calls the code at {@code path} makes, helpers of this file included. */
    int durableCalls(TreePath path) {
        return reach(path).calls();
    }

    /** Whether the code at {@code path} makes durable calls or may run operations unseen. */
    boolean touchesDurable(TreePath path) {
        Reach r = reach(path);
        return r.calls() > 0 || r.unseen();
    }

    /** {@code patched("id")} or {@code !patched("id")} with a constant id, as an {@code if} condition. */
    Optional<PatchCall> patchCall(TreePath condition) {
        Tree t = condition.getLeaf();
        boolean negated = false;
        while (t instanceof ParenthesizedTree || t.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
            if (t instanceof UnaryTree u) {
                negated = !negated;
                t = u.getExpression();
            } else {
                t = ((ParenthesizedTree) t).getExpression();
            }
        }
        if (t instanceof MethodInvocationTree call
                && trees.getElement(new TreePath(condition, call)) instanceof ExecutableElement method
                && DurableCalls.of(method) == DurableCalls.Kind.PATCHED
                && call.getArguments().size() == 1) {
            boolean not = negated;
            return constant(new TreePath(condition, call.getArguments().get(0)))
                    .map(id -> new PatchCall(id, not, at(call)));
        }
        return Optional.empty();
    }

    private Optional<String> constant(TreePath argument) {
        if (argument.getLeaf() instanceof LiteralTree literal && literal.getValue() instanceof String s) {
            return Optional.of(s);
        }
        if (trees.getElement(argument) instanceof VariableElement v && v.getConstantValue() instanceof String s) {
            return Optional.of(s);
        }
        return Optional.empty();
    }

    private final class Walker extends TreePathScanner<Void, List<Node>> {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, List<Node> out) {
            if (!(trees.getElement(getCurrentPath()) instanceof ExecutableElement method)) {
                return super.visitMethodInvocation(node, out);
            }
            DurableCalls.Kind kind = DurableCalls.of(method);
            if (kind == DurableCalls.Kind.CONTEXT_OPERATION) {
                out.add(new Opaque(
                        "context API: " + method.getSimpleName() + "()", durableCalls(getCurrentPath()), at(node)));
                return null;
            }
            if (node.getMethodSelect() instanceof MemberSelectTree select) {
                scan(select.getExpression(), out);
            }
            for (ExpressionTree argument : node.getArguments()) {
                scan(argument, out);
            }
            switch (kind) {
                case DURABLE_METHOD ->
                    out.add(
                            onFunction(node, method)
                                    ? new Operation(
                                            ManifestBuilder.kindOf(method),
                                            ManifestBuilder.operationName(method),
                                            typeName(method.getReturnType(), true),
                                            at(node))
                                    : new Opaque("durable method called on another object", 1, at(node)));
                case PATCHED -> out.add(new Opaque("patched() outside if (patched(\"id\"))", 0, at(node)));
                case DEPRECATE_PATCH -> {
                    Optional<String> id = node.getArguments().size() == 1
                            ? constant(new TreePath(
                                    getCurrentPath(), node.getArguments().get(0)))
                            : Optional.empty();
                    if (id.isPresent()) {
                        deprecated.add(id.get());
                    } else {
                        out.add(new Opaque("deprecatePatch() with an id that is not a constant", 0, at(node)));
                    }
                }
                default -> other(node, method, out);
            }
            return null;
        }

        /** A helper of this file is read in place; other code is opaque when handed the function or its context. */
        private void other(MethodInvocationTree node, ExecutableElement method, List<Node> out) {
            TreePath body = helperBody(method);
            if (body != null) {
                Reach reach = helperReach(method);
                if (reach.calls() == 0 && !reach.unseen()) {
                    return;
                }
                if (!onFunction(node, method)) {
                    out.add(new Opaque("helper called on another object", reach.calls(), at(node)));
                } else if (inlining.contains(method)) {
                    out.add(new Opaque("recursive helper " + method.getSimpleName() + "()", reach.calls(), at(node)));
                } else if (returnsEarly((MethodTree) body.getLeaf())) {
                    out.add(new Opaque(
                            "helper " + method.getSimpleName() + "() that returns early", reach.calls(), at(node)));
                } else {
                    inlining.add(method);
                    statements.block(new TreePath(body, ((MethodTree) body.getLeaf()).getBody()), out);
                    inlining.remove(inlining.size() - 1);
                }
            } else if (mayRunUnseen(getCurrentPath(), method)) {
                out.add(new Opaque(
                        "call of " + method.getSimpleName() + "() that may run durable operations", 0, at(node)));
            }
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree node, List<Node> out) {
            return opaqueIfDurable(node, "lambda", out);
        }

        @Override
        public Void visitMemberReference(MemberReferenceTree node, List<Node> out) {
            return opaqueIfDurable(node, "method reference", out);
        }

        @Override
        public Void visitNewClass(NewClassTree node, List<Node> out) {
            if (node.getClassBody() != null) {
                return opaqueIfDurable(node, "anonymous class", out);
            }
            super.visitNewClass(node, out);
            if (mayRunUnseen(getCurrentPath(), null)) {
                out.add(new Opaque("constructor handed the function or its context", 0, at(node)));
            }
            return null;
        }

        @Override
        public Void visitConditionalExpression(ConditionalExpressionTree node, List<Node> out) {
            scan(node.getCondition(), out);
            return opaqueIfDurable(node, "conditional expression", out);
        }

        @Override
        public Void visitBinary(BinaryTree node, List<Node> out) {
            if (node.getKind() != Tree.Kind.CONDITIONAL_AND && node.getKind() != Tree.Kind.CONDITIONAL_OR) {
                return super.visitBinary(node, out);
            }
            scan(node.getLeftOperand(), out);
            if (touchesDurable(new TreePath(getCurrentPath(), node.getRightOperand()))) {
                out.add(new Opaque(
                        "short-circuit operator",
                        durableCalls(new TreePath(getCurrentPath(), node.getRightOperand())),
                        at(node)));
            }
            return null;
        }

        @Override
        public Void visitSwitchExpression(SwitchExpressionTree node, List<Node> out) {
            scan(node.getExpression(), out);
            return opaqueIfDurable(node, "switch expression", out);
        }

        private Void opaqueIfDurable(Tree node, String what, List<Node> out) {
            if (touchesDurable(getCurrentPath())) {
                out.add(new Opaque(what, durableCalls(getCurrentPath()), at(node)));
            }
            return null;
        }
    }

    /** Whether {@code call} goes to {@code method} on the function itself: no receiver, or {@code this}. */
    private boolean onFunction(MethodInvocationTree call, ExecutableElement method) {
        if (method.getModifiers().contains(Modifier.STATIC)) {
            return true;
        }
        ExpressionTree select = call.getMethodSelect();
        boolean own = select instanceof IdentifierTree
                || (select instanceof MemberSelectTree m
                        && m.getExpression() instanceof IdentifierTree receiver
                        && receiver.getName().contentEquals("this"));
        return own
                && method.getEnclosingElement() instanceof TypeElement owner
                && types.isSubtype(types.erasure(function.asType()), types.erasure(owner.asType()));
    }

    /** The body of {@code method} when it is a helper in the handler's file, which the processor can read. */
    private TreePath helperBody(ExecutableElement method) {
        if (!outermost(method).equals(outermost(function))) {
            return null;
        }
        TreePath path = trees.getPath(method);
        return path != null && path.getLeaf() instanceof MethodTree tree && tree.getBody() != null ? path : null;
    }

    private Reach helperReach(ExecutableElement method) {
        Reach known = helpers.get(method);
        if (known != null) {
            return known;
        }
        helpers.put(method, Reach.NONE); // a recursive helper adds nothing more than one pass finds
        Reach reach = reach(helperBody(method));
        helpers.put(method, reach);
        return reach;
    }

    /** A {@code return} anywhere but as the last statement of the method (lambdas and classes aside). */
    private static boolean returnsEarly(MethodTree method) {
        List<? extends StatementTree> statements = method.getBody().getStatements();
        Tree last = statements.isEmpty() ? null : statements.get(statements.size() - 1);
        boolean[] early = new boolean[1];
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitReturn(ReturnTree node, Void unused) {
                early[0] |= node != last;
                return null;
            }

            @Override
            public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
                return null;
            }

            @Override
            public Void visitClass(com.sun.source.tree.ClassTree node, Void unused) {
                return null;
            }
        }.scan(method.getBody(), null);
        return early[0];
    }

    /**
     * Whether a call of code the processor cannot read may run durable operations: it is an inherited method from
     * outside the JDK called on the function, or it is handed the function or a durable context.
     */
    private boolean mayRunUnseen(TreePath call, ExecutableElement method) {
        if (method != null
                && call.getLeaf() instanceof MethodInvocationTree invocation
                && !method.getModifiers().contains(Modifier.STATIC)
                && onFunction(invocation, method)
                && !isJdk(method)) {
            return true;
        }
        List<? extends ExpressionTree> arguments = call.getLeaf() instanceof MethodInvocationTree m
                ? m.getArguments()
                : ((NewClassTree) call.getLeaf()).getArguments();
        for (ExpressionTree argument : arguments) {
            TypeMirror type = trees.getTypeMirror(new TreePath(call, argument));
            if (type != null && type.getKind() == TypeKind.DECLARED && handsOverDurable(type)) {
                return true;
            }
        }
        return false;
    }

    /** A durable context or callback, or the function itself ({@code this}, or a value of its class). */
    private boolean handsOverDurable(TypeMirror type) {
        if (types.asElement(type) instanceof TypeElement t) {
            String name = t.getQualifiedName().toString();
            if (name.equals(DurableCalls.CONTEXT) || name.equals(DurableCalls.CALLBACK)) {
                return true;
            }
        }
        return types.isSubtype(types.erasure(type), types.erasure(function.asType()));
    }

    private static boolean isJdk(ExecutableElement method) {
        Element e = method;
        while (e != null && !(e instanceof PackageElement)) {
            e = e.getEnclosingElement();
        }
        String pkg = e == null ? "" : ((PackageElement) e).getQualifiedName().toString();
        return pkg.startsWith("java.") || pkg.startsWith("javax.");
    }

    /** Counts durable calls, reading helpers of this file, and notes code that may run operations unseen. */
    private Reach reach(TreePath path) {
        if (path == null) {
            return Reach.NONE;
        }
        Reach[] total = {Reach.NONE};
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                if (trees.getElement(getCurrentPath()) instanceof ExecutableElement method) {
                    DurableCalls.Kind kind = DurableCalls.of(method);
                    if (kind == DurableCalls.Kind.DURABLE_METHOD || kind == DurableCalls.Kind.CONTEXT_OPERATION) {
                        total[0] = total[0].plus(new Reach(1, false));
                    } else if (kind != DurableCalls.Kind.OTHER) {
                        total[0] = total[0].plus(new Reach(0, true));
                    } else if (helperBody(method) != null) {
                        total[0] = total[0].plus(helperReach(method));
                    } else if (mayRunUnseen(getCurrentPath(), method)) {
                        total[0] = total[0].plus(new Reach(0, true));
                    }
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitMemberReference(MemberReferenceTree node, Void unused) {
                if (trees.getElement(getCurrentPath()) instanceof ExecutableElement method) {
                    if (DurableCalls.of(method) != DurableCalls.Kind.OTHER) {
                        total[0] = total[0].plus(new Reach(1, false));
                    } else if (helperBody(method) != null) {
                        total[0] = total[0].plus(helperReach(method));
                    }
                }
                return super.visitMemberReference(node, unused);
            }

            @Override
            public Void visitNewClass(NewClassTree node, Void unused) {
                if (mayRunUnseen(getCurrentPath(), null)) {
                    total[0] = total[0].plus(new Reach(0, true));
                }
                return super.visitNewClass(node, unused);
            }
        }.scan(path, null);
        return total[0];
    }

    private static Element outermost(Element element) {
        Element e = element;
        while (e.getEnclosingElement() != null
                && e.getEnclosingElement().getKind() != ElementKind.PACKAGE
                && e.getEnclosingElement().getKind() != ElementKind.MODULE) {
            e = e.getEnclosingElement();
        }
        return e;
    }

    /** A type as the runtime sees a result: boxed at the top level, {@code void} as {@code java.lang.Void}. */
    String typeName(TypeMirror type, boolean boxed) {
        return switch (type.getKind()) {
            case VOID -> "java.lang.Void";
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                String name =
                        ((TypeElement) declared.asElement()).getQualifiedName().toString();
                yield declared.getTypeArguments().isEmpty()
                        ? name
                        : name
                                + declared.getTypeArguments().stream()
                                        .map(a -> typeName(a, false))
                                        .collect(Collectors.joining(",", "<", ">"));
            }
            case ARRAY -> typeName(((ArrayType) type).getComponentType(), false) + "[]";
            case TYPEVAR -> ((TypeVariable) type).asElement().getSimpleName().toString();
            case WILDCARD -> {
                WildcardType w = (WildcardType) type;
                yield w.getExtendsBound() != null
                        ? "? extends " + typeName(w.getExtendsBound(), false)
                        : w.getSuperBound() != null ? "? super " + typeName(w.getSuperBound(), false) : "?";
            }
            default ->
                type.getKind().isPrimitive() && boxed
                        ? types.boxedClass((PrimitiveType) type)
                                .getQualifiedName()
                                .toString()
                        : type.toString();
        };
    }
}
