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
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.durable.processor.OperationManifest.Node;
import dev.durable.processor.OperationManifest.Opaque;
import dev.durable.processor.OperationManifest.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeMirror;
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

    private final Trees trees;
    private final Types types;
    private final TypeElement function;
    private final CompilationUnitTree unit;
    private final Set<String> deprecated;
    private final ManifestBuilder.Statements statements;
    /** The handler, then the helpers being read in place, innermost last. */
    final List<ExecutableElement> inlining = new ArrayList<>();

    private final DurableReach reach;

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
        this.reach = new DurableReach(trees, types, function);
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
        return reach.of(path).calls();
    }

    /** Whether the code at {@code path} makes durable calls or may run operations unseen. */
    boolean touchesDurable(TreePath path) {
        return reach.of(path).touches();
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
                            reach.onFunction(node, method)
                                    ? new Operation(
                                            ManifestBuilder.kindOf(method),
                                            ManifestBuilder.operationName(method),
                                            typeName(method.getReturnType(), true),
                                            ManifestBuilder.resultVersion(method),
                                            ManifestBuilder.migratesFrom(method),
                                            at(calledName(node)))
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
            TreePath body = reach.helperBody(method);
            if (body != null) {
                DurableReach.Reach helper = reach.ofHelper(method);
                if (!helper.touches()) {
                    return;
                }
                if (!reach.onFunction(node, method)) {
                    out.add(new Opaque("helper called on another object", helper.calls(), at(node)));
                } else if (inlining.contains(method)) {
                    out.add(new Opaque("recursive helper " + method.getSimpleName() + "()", helper.calls(), at(node)));
                } else if (DurableReach.returnsEarly((MethodTree) body.getLeaf())) {
                    out.add(new Opaque(
                            "helper " + method.getSimpleName() + "() that returns early", helper.calls(), at(node)));
                } else {
                    inlining.add(method);
                    statements.block(new TreePath(body, ((MethodTree) body.getLeaf()).getBody()), out);
                    inlining.remove(inlining.size() - 1);
                }
            } else if (reach.mayRunUnseen(getCurrentPath(), method)) {
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
            if (reach.mayRunUnseen(getCurrentPath(), null)) {
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

    /** The called method's name when written alone ({@code charge(o)}), so javac points at it; else the call. */
    private static Tree calledName(MethodInvocationTree call) {
        return call.getMethodSelect() instanceof IdentifierTree name ? name : call;
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
            // what the journal can read it as: renaming a type variable changes nothing
            case TYPEVAR -> typeName(types.erasure(type), boxed);
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
