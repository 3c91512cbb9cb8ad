package dev.durable.processor;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Whether a piece of a handler may run durable operations: the durable calls it makes, helpers of the handler's
 * source file included (read once each), and whether it hands the function or a context to code the processor
 * cannot read. Code of other classes that is handed neither is assumed to run no operation.
 */
final class DurableReach {
    /** What a piece of code may do: durable calls seen, and whether it may run operations the processor cannot see. */
    record Reach(int calls, boolean unseen) {
        static final Reach NONE = new Reach(0, false);

        boolean touches() {
            return calls > 0 || unseen;
        }

        Reach plus(Reach other) {
            return new Reach(calls + other.calls, unseen || other.unseen);
        }
    }

    private final Trees trees;
    private final Types types;
    private final TypeElement function;
    private final Map<ExecutableElement, Reach> helpers = new HashMap<>();

    DurableReach(Trees trees, Types types, TypeElement function) {
        this.trees = trees;
        this.types = types;
        this.function = function;
    }

    /** Whether {@code call} goes to {@code method} on the function itself: no receiver, or {@code this}. */
    boolean onFunction(MethodInvocationTree call, ExecutableElement method) {
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
    TreePath helperBody(ExecutableElement method) {
        if (!JavacAnalysis.outermost(method).equals(JavacAnalysis.outermost(function))) {
            return null;
        }
        TreePath path = trees.getPath(method);
        return path != null && path.getLeaf() instanceof MethodTree tree && tree.getBody() != null ? path : null;
    }

    Reach ofHelper(ExecutableElement method) {
        Reach known = helpers.get(method);
        if (known != null) {
            return known;
        }
        helpers.put(method, Reach.NONE); // a recursive helper adds nothing more than one pass finds
        Reach reach = of(helperBody(method));
        helpers.put(method, reach);
        return reach;
    }

    /** A {@code return} anywhere but as the last statement of the method (lambdas and classes aside). */
    static boolean returnsEarly(MethodTree method) {
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
            public Void visitClass(ClassTree node, Void unused) {
                return null;
            }
        }.scan(method.getBody(), null);
        return early[0];
    }

    /**
     * Whether a call of code the processor cannot read may run durable operations: it is an inherited method from
     * outside the JDK called on the function, or it is handed the function or a durable context.
     */
    boolean mayRunUnseen(TreePath call, ExecutableElement method) {
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
    Reach of(TreePath path) {
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
                        total[0] = total[0].plus(ofHelper(method));
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
                        total[0] = total[0].plus(ofHelper(method));
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
}
