package dev.durable.processor;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.durable.processor.OperationManifest.Arm;
import dev.durable.processor.OperationManifest.Branch;
import dev.durable.processor.OperationManifest.End;
import dev.durable.processor.OperationManifest.Node;
import dev.durable.processor.OperationManifest.Opaque;
import dev.durable.processor.OperationManifest.Patch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;

/**
 * Reads the {@code @Handler} body of a {@code @DurableFunction} class into its {@link OperationManifest}: statements
 * here, expressions in {@link ManifestExpressions}. What it cannot order for certain becomes an {@link Opaque} node;
 * it never guesses.
 */
final class ManifestBuilder {
    private final Trees trees;
    private final Types types;

    ManifestBuilder(Trees trees, Types types) {
        this.trees = trees;
        this.types = types;
    }

    /** The manifest of {@code function}, or empty when its handler's source is not at hand. */
    Optional<OperationManifest> build(TypeElement function) {
        Optional<ExecutableElement> handler = ElementFilter.methodsIn(function.getEnclosedElements()).stream()
                .filter(m -> DurableAnnotations.has(m, DurableAnnotations.HANDLER))
                .findFirst();
        TreePath path = handler.map(trees::getPath).orElse(null);
        if (path == null || !(path.getLeaf() instanceof MethodTree method) || method.getBody() == null) {
            return Optional.empty();
        }
        Set<String> deprecated = new TreeSet<>();
        Statements statements = new Statements(function, path.getCompilationUnit(), deprecated);
        List<Node> nodes = new ArrayList<>();
        statements.expressions.inlining.add(handler.get());
        statements.block(new TreePath(path, method.getBody()), nodes);
        return Optional.of(new OperationManifest(
                ProxyModelFactory.functionName(function),
                version(function),
                function.getQualifiedName().toString(),
                nodes,
                deprecated));
    }

    static int version(TypeElement function) {
        return DurableAnnotations.find(function, DurableAnnotations.DURABLE_FUNCTION)
                .flatMap(f -> DurableAnnotations.explicitValue(f, "version"))
                .map(v -> (Integer) v.getValue())
                .orElse(1);
    }

    /** The walk of one handler, with the helpers it inlines. */
    final class Statements {
        final ManifestExpressions expressions;

        Statements(TypeElement function, CompilationUnitTree unit, Set<String> deprecated) {
            this.expressions = new ManifestExpressions(trees, types, function, unit, deprecated, this);
        }

        /** Appends the nodes of {@code block}; nothing after a node that ends the path. */
        void block(TreePath block, List<Node> out) {
            for (StatementTree statement : ((BlockTree) block.getLeaf()).getStatements()) {
                if (endsPath(out)) {
                    return;
                }
                statement(new TreePath(block, statement), out);
            }
        }

        void statement(TreePath path, List<Node> out) {
            Tree leaf = path.getLeaf();
            if (leaf instanceof BlockTree) {
                block(path, out);
            } else if (leaf instanceof ExpressionStatementTree e) {
                expressions.scan(child(path, e.getExpression()), out);
            } else if (leaf instanceof VariableTree v) {
                expressions.scan(child(path, v.getInitializer()), out);
            } else if (leaf instanceof ReturnTree r) {
                expressions.scan(child(path, r.getExpression()), out);
                if (!expressions.inHelper()) {
                    out.add(new End("return"));
                }
            } else if (leaf instanceof ThrowTree t) {
                expressions.scan(child(path, t.getExpression()), out);
                out.add(new End("throw"));
            } else if (leaf instanceof IfTree i) {
                ifStatement(path, i, out);
            } else if (leaf instanceof SwitchTree s) {
                switchStatement(path, s, out);
            } else if (leaf instanceof ForLoopTree
                    || leaf instanceof EnhancedForLoopTree
                    || leaf instanceof WhileLoopTree
                    || leaf instanceof DoWhileLoopTree) {
                opaqueIfDurable(path, "loop", out);
            } else if (leaf instanceof TryTree t) {
                tryStatement(path, t, out);
            } else if (leaf instanceof SynchronizedTree s) {
                expressions.scan(child(path, s.getExpression()), out);
                block(child(path, s.getBlock()), out);
            } else if (leaf instanceof LabeledStatementTree l) {
                statement(child(path, l.getStatement()), out);
            } else if (leaf instanceof BreakTree || leaf instanceof ContinueTree) {
                // out of a switch or a labeled block (loops are not read): what runs next is not followed
                out.add(new Opaque("break or continue", 0, expressions.at(leaf)));
            } else if (!(leaf instanceof ClassTree)) {
                opaqueIfDurable(path, leaf.getKind().name().toLowerCase(Locale.ROOT), out);
            }
        }

        private void ifStatement(TreePath path, IfTree node, List<Node> out) {
            List<Node> then = new ArrayList<>();
            statement(child(path, node.getThenStatement()), then);
            List<Node> otherwise = new ArrayList<>();
            if (node.getElseStatement() != null) {
                statement(child(path, node.getElseStatement()), otherwise);
            }
            Optional<ManifestExpressions.PatchCall> patch = expressions.patchCall(child(path, node.getCondition()));
            if (patch.isPresent()) {
                ManifestExpressions.PatchCall p = patch.get();
                out.add(
                        p.negated()
                                ? new Patch(p.id(), otherwise, then, p.site())
                                : new Patch(p.id(), then, otherwise, p.site()));
                return;
            }
            expressions.scan(child(path, node.getCondition()), out);
            if (!then.isEmpty() || !otherwise.isEmpty()) {
                out.add(new Branch(
                        "if",
                        ManifestExpressions.text(node.getCondition()),
                        List.of(new Arm("then", then), new Arm("else", otherwise))));
            }
        }

        /**
         * One arm per case. A case that falls through into the next, or a {@code break} anywhere but at the end of a
         * case, makes the whole switch opaque when it holds durable calls.
         */
        private void switchStatement(TreePath path, SwitchTree node, List<Node> out) {
            expressions.scan(child(path, node.getExpression()), out);
            boolean durableCases = false;
            for (CaseTree k : node.getCases()) {
                durableCases |= expressions.touchesDurable(child(path, k));
            }
            if (!durableCases) {
                return;
            }
            List<Arm> arms = new ArrayList<>();
            boolean hasDefault = false;
            List<String> labels = new ArrayList<>(); // of empty cases that fall into the next: case 1: case 2: ...
            List<? extends CaseTree> cases = node.getCases();
            for (int c = 0; c < cases.size(); c++) {
                CaseTree k = cases.get(c);
                TreePath casePath = child(path, k);
                labels.add(label(k));
                hasDefault |= k.getExpressions().isEmpty();
                List<Node> nodes = new ArrayList<>();
                if (k.getCaseKind() == CaseTree.CaseKind.RULE) {
                    Tree body = k.getBody();
                    if (body instanceof ExpressionTree e) {
                        expressions.scan(child(casePath, e), nodes);
                    } else {
                        statement(child(casePath, body), nodes);
                    }
                } else {
                    List<? extends StatementTree> statements = k.getStatements();
                    if (statements.isEmpty() && c < cases.size() - 1) {
                        continue;
                    }
                    int end = statements.size();
                    boolean breaks = end > 0 && statements.get(end - 1) instanceof BreakTree b && b.getLabel() == null;
                    if (breaks) {
                        end--;
                    }
                    for (StatementTree statement : statements.subList(0, end)) {
                        if (!endsPath(nodes)) {
                            statement(child(casePath, statement), nodes);
                        }
                    }
                    if (!breaks && !endsPath(nodes) && c < cases.size() - 1) {
                        out.add(new Opaque(
                                "switch with a case that falls through",
                                expressions.durableCalls(path),
                                expressions.at(node)));
                        return;
                    }
                }
                arms.add(new Arm(String.join(", ", labels), nodes));
                labels.clear();
            }
            if (!hasDefault) {
                arms.add(new Arm("default", List.of()));
            }
            out.add(new Branch("switch", ManifestExpressions.text(node.getExpression()), arms));
        }

        private static String label(CaseTree k) {
            if (k.getExpressions().isEmpty()) {
                return "default";
            }
            List<String> labels = new ArrayList<>();
            k.getExpressions().forEach(e -> labels.add(ManifestExpressions.text(e)));
            return "case " + String.join(", ", labels);
        }

        /**
         * The block in order when no catch or finally block makes durable calls. Otherwise a branch: the block
         * completes (then the finally block, opaque if it makes durable calls), or it throws at an operation the
         * processor cannot know and the handlers run: opaque.
         */
        private void tryStatement(TreePath path, TryTree node, List<Node> out) {
            List<Node> body = new ArrayList<>();
            for (Tree resource : node.getResources()) {
                statement(child(path, resource), body);
            }
            block(child(path, node.getBlock()), body);
            int handlers = 0;
            boolean unseen = false;
            for (CatchTree c : node.getCatches()) {
                handlers += expressions.durableCalls(child(path, c));
                unseen |= expressions.touchesDurable(child(path, c));
            }
            TreePath cleanup = child(path, node.getFinallyBlock());
            boolean durableCleanup = cleanup != null && expressions.touchesDurable(cleanup);
            if (!unseen && !durableCleanup) {
                out.addAll(body);
                return;
            }
            int cleanupCalls = cleanup == null ? 0 : expressions.durableCalls(cleanup);
            if (durableCleanup && !endsPath(body)) {
                body.add(new Opaque("finally block", cleanupCalls, expressions.at(node.getFinallyBlock())));
            }
            List<Node> thrown =
                    List.of(new Opaque("catch or finally block", handlers + cleanupCalls, expressions.at(node)));
            out.add(new Branch("try", "catch", List.of(new Arm("completes", body), new Arm("throws", thrown))));
        }

        private void opaqueIfDurable(TreePath path, String what, List<Node> out) {
            int calls = expressions.durableCalls(path);
            if (expressions.touchesDurable(path)) {
                out.add(new Opaque(what, calls, expressions.at(path.getLeaf())));
            }
        }
    }

    static boolean endsPath(List<Node> nodes) {
        return !nodes.isEmpty() && nodes.get(nodes.size() - 1) instanceof End;
    }

    static TreePath child(TreePath parent, Tree leaf) {
        return leaf == null ? null : new TreePath(parent, leaf);
    }

    /** The kind of durable method {@code method} is, as the runtime journals it: STEP, WAIT or CALLBACK. */
    static String kindOf(ExecutableElement method) {
        String annotation =
                DurableAnnotations.nameOf(DurableAnnotations.operations(method).get(0));
        return DurableAnnotations.simpleName(annotation).substring(1).toUpperCase(Locale.ROOT);
    }

    /** A step's {@code resultVersion}; 1 for other durable methods. */
    static int resultVersion(ExecutableElement method) {
        return DurableAnnotations.find(method, DurableAnnotations.STEP)
                .flatMap(step -> DurableAnnotations.explicitValue(step, "resultVersion"))
                .map(v -> (Integer) v.getValue())
                .orElse(1);
    }

    /** The result versions the {@code @StepMigration} methods of a step's class convert that step from. */
    static Set<Integer> migratesFrom(ExecutableElement method) {
        Set<Integer> from = new TreeSet<>();
        if (!DurableAnnotations.has(method, DurableAnnotations.STEP)) {
            return from;
        }
        String name = operationName(method);
        for (ExecutableElement m :
                ElementFilter.methodsIn(method.getEnclosingElement().getEnclosedElements())) {
            DurableAnnotations.find(m, DurableAnnotations.STEP_MIGRATION)
                    .filter(a -> DurableAnnotations.explicitValue(a, "step")
                            .map(v -> name.equals(v.getValue()))
                            .orElse(false))
                    .flatMap(a -> DurableAnnotations.explicitValue(a, "from"))
                    .ifPresent(v -> from.add((Integer) v.getValue()));
        }
        return from;
    }

    /** The operation name the runtime journals: the annotation's name attribute, or the method's name. */
    static String operationName(ExecutableElement method) {
        AnnotationMirror mirror = DurableAnnotations.operations(method).get(0);
        String attribute = DurableAnnotations.nameOf(mirror).equals(DurableAnnotations.STEP) ? "value" : "name";
        return DurableAnnotations.explicitValue(mirror, attribute)
                .map(v -> (String) v.getValue())
                .filter(v -> !v.isEmpty())
                .orElse(method.getSimpleName().toString());
    }
}
