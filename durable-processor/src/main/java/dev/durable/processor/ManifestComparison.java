package dev.durable.processor;

import dev.durable.processor.OperationManifest.Arm;
import dev.durable.processor.OperationManifest.Branch;
import dev.durable.processor.OperationManifest.End;
import dev.durable.processor.OperationManifest.Node;
import dev.durable.processor.OperationManifest.Opaque;
import dev.durable.processor.OperationManifest.Operation;
import dev.durable.processor.OperationManifest.Patch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a function's manifest with its baseline, path by path: every path an execution in flight may have taken
 * through the baseline against every path the code now takes through the same branches. A path is compared up to
 * its first opaque node on either side, and up to the baseline's end: what comes after is new to every execution.
 *
 * <ul>
 *   <li>The same {@code if} (same condition) or {@code switch} (same selector) on both sides: the same arm is taken.
 *   <li>A branch only the code has, or only the baseline has: each of its arms is compared with the other side.
 *   <li>A branch whose condition changed: the paths are not compared further, as which arm is taken is unknown.
 *   <li>A branch without operations, whose arms only end the handler (a guard clause): the paths that go on are
 *       compared whatever its condition.
 *   <li>A patch the baseline lacks: executions in flight past it take the unpatched arm, so only that is compared.
 *   <li>A patch the code no longer has: both arms of the baseline are compared, the unpatched one only if the code
 *       does not deprecate the patch (then executions on it fail by design).
 * </ul>
 */
final class ManifestComparison {
    /** How many paths of one manifest are enumerated at most; beyond, a branch is taken as opaque. */
    static final int MAX_PATHS = 256;

    /** An incompatible operation, at the call site in the code. */
    record Finding(ValidationReport.Location site, String message) {}

    /** One step of a path. */
    private sealed interface Step permits OpStep, ChoiceStep, PatchStep, StopStep {}

    private record OpStep(Operation operation) implements Step {}

    private record ChoiceStep(String branch, String arm) implements Step {}

    private record PatchStep(String id, boolean patched) implements Step {}

    /** An opaque node, a {@code return} or {@code throw}, or the end of the handler. */
    private record StopStep(boolean opaque) implements Step {}

    private static final StopStep END = new StopStep(false);
    private static final StopStep OPAQUE = new StopStep(true);

    private ManifestComparison() {}

    static List<Finding> compare(OperationManifest baseline, OperationManifest current) {
        List<List<Step>> before = paths(baseline.operations());
        List<List<Step>> now = paths(current.operations());
        Map<Object, Finding> findings = new LinkedHashMap<>();
        for (List<Step> old : before) {
            for (List<Step> path : now) {
                Finding f = compare(old, path, current);
                if (f != null) {
                    findings.putIfAbsent(f.site() == null ? f.message() : f.site(), f); // one finding per call site
                }
            }
        }
        return List.copyOf(findings.values());
    }

    private static Finding compare(List<Step> old, List<Step> now, OperationManifest current) {
        int i = 0;
        int j = 0;
        int position = 1;
        while (true) {
            Step o = old.get(i);
            Step n = now.get(j);
            if (o instanceof StopStep || (n instanceof StopStep stop && stop.opaque())) {
                return null;
            }
            if (n instanceof PatchStep np) {
                if (o instanceof PatchStep op && op.id().equals(np.id())) {
                    if (op.patched() != np.patched()) {
                        return null;
                    }
                    i++;
                } else if (np.patched()) {
                    return null; // a new patch: executions in flight past it take the unpatched arm
                }
                j++;
            } else if (o instanceof PatchStep op) {
                if (!op.patched() && current.deprecatedPatches().contains(op.id())) {
                    return null;
                }
                i++;
            } else if (o instanceof ChoiceStep oc && n instanceof ChoiceStep nc) {
                if (!oc.branch().equals(nc.branch())) {
                    return null; // the condition changed: which arm an execution takes now is unknown
                }
                if (!oc.arm().equals(nc.arm())) {
                    return null; // not the same execution
                }
                i++;
                j++;
            } else if (n instanceof ChoiceStep) {
                j++;
            } else if (o instanceof ChoiceStep) {
                i++;
            } else if (n instanceof StopStep) {
                return null; // the code ends here now: operations removed at the end do not fail a replay
            } else {
                Operation was = ((OpStep) o).operation();
                Operation is = ((OpStep) n).operation();
                if (!was.replaysAs(is)) {
                    return new Finding(is.site(), message(current, position, was, is, next(old, i), next(now, j)));
                }
                i++;
                j++;
                position++;
            }
        }
    }

    /** The operation after index {@code i} of {@code path}, or {@code null} when a branch or an end comes first. */
    private static Operation next(List<Step> path, int i) {
        return i + 1 < path.size() && path.get(i + 1) instanceof OpStep op ? op.operation() : null;
    }

    private static String message(
            OperationManifest current,
            int position,
            Operation was,
            Operation is,
            Operation oldNext,
            Operation newNext) {
        String what;
        if (oldNext != null && newNext != null && oldNext.replaysAs(is) && was.replaysAs(newNext)) {
            what = is + " and " + was + " were swapped";
        } else if (oldNext != null && oldNext.replaysAs(is)) {
            what = was + " was removed before it";
        } else if (newNext != null && was.replaysAs(newNext)) {
            what = is + " was inserted before " + was;
        } else if (was.name().equals(is.name()) && was.kind().equals(is.kind())) {
            what = resultChange(was, is);
        } else if (was.name().equals(is.name())) {
            what = "its kind changed from " + was.kind() + " to " + is.kind();
        } else {
            what = was + " was renamed or replaced";
        }
        return String.format(
                "operation %d of durable function '%s' (version %d) was %s in the baseline and is %s here: %s."
                        + " Executions in flight past this point would fail on replay. Guard the change with"
                        + " Durable.patched(\"...\"), register it as @DurableFunction(value = \"%s\", version = %d),"
                        + " or add operations after the baseline's last one",
                position,
                current.function(),
                current.version(),
                was,
                is,
                what,
                current.function(),
                current.version() + 1);
    }

    /** How the result of the same operation changed so that what the baseline journaled no longer reads. */
    private static String resultChange(Operation was, Operation is) {
        String migration = "@StepMigration(step = \"" + was.name() + "\", from = " + was.resultVersion() + ")";
        if (is.resultVersion() < was.resultVersion()) {
            return "its result version went down from " + was.resultVersion() + " to " + is.resultVersion()
                    + ", so a result journaled at version " + was.resultVersion() + " would not read";
        }
        if (is.resultVersion() > was.resultVersion()) {
            return "its result version went up from " + was.resultVersion() + " to " + is.resultVersion()
                    + " with no " + migration + ", so a result journaled at version " + was.resultVersion()
                    + " would not read; add that migration";
        }
        String changed = "its result type changed from " + was.resultType() + " to " + is.resultType()
                + ", so the journaled result no longer reads as what the code expects";
        return was.kind().equals("STEP")
                ? changed + " (or give the step @Step(resultVersion = " + (was.resultVersion() + 1) + ") and a "
                        + migration + " method)"
                : changed;
    }

    /** Every path through {@code nodes}, each ending in a stop step; at most {@link #MAX_PATHS}. */
    private static List<List<Step>> paths(List<Node> nodes) {
        List<List<Step>> paths = new ArrayList<>();
        expand(new Rest(nodes, 0, null), new ArrayList<>(), paths, new int[] {1});
        return paths;
    }

    private static boolean onlyEnds(Branch branch) {
        return branch.arms().stream().allMatch(a -> a.nodes().stream().allMatch(n -> n instanceof End));
    }

    /** What remains to walk: the rest of a node list, then what follows the branch it is an arm of. */
    private record Rest(List<Node> nodes, int index, Rest then) {}

    private static void expand(Rest rest, List<Step> prefix, List<List<Step>> paths, int[] open) {
        while (true) {
            if (rest == null) {
                prefix.add(END);
                paths.add(prefix);
                return;
            }
            if (rest.index() >= rest.nodes().size()) {
                rest = rest.then();
                continue;
            }
            Node node = rest.nodes().get(rest.index());
            Rest after = new Rest(rest.nodes(), rest.index() + 1, rest.then());
            if (node instanceof Operation op) {
                prefix.add(new OpStep(op));
                rest = after;
            } else if (node instanceof Opaque || node instanceof End) {
                prefix.add(node instanceof Opaque ? OPAQUE : END);
                paths.add(prefix);
                return;
            } else if (node instanceof Branch b && onlyEnds(b)) {
                // a guard clause (if (...) throw ...;): a path that ends there is never compared, so it is no choice
                if (b.arms().stream().noneMatch(a -> a.nodes().isEmpty())) {
                    prefix.add(END);
                    paths.add(prefix);
                    return;
                }
                rest = after;
            } else {
                List<Step> choices = new ArrayList<>();
                List<List<Node>> arms = new ArrayList<>();
                if (node instanceof Branch b) {
                    String signature = b.kind() + " " + b.condition();
                    for (Arm arm : b.arms()) {
                        choices.add(new ChoiceStep(signature, arm.label()));
                        arms.add(arm.nodes());
                    }
                } else {
                    Patch p = (Patch) node;
                    choices.add(new PatchStep(p.id(), true));
                    arms.add(p.patched());
                    choices.add(new PatchStep(p.id(), false));
                    arms.add(p.unpatched());
                }
                if (open[0] + choices.size() - 1 > MAX_PATHS) {
                    prefix.add(OPAQUE);
                    paths.add(prefix);
                    return;
                }
                open[0] += choices.size() - 1;
                for (int a = 0; a < choices.size(); a++) {
                    List<Step> path = new ArrayList<>(prefix);
                    path.add(choices.get(a));
                    expand(new Rest(arms.get(a), 0, after), path, paths, open);
                }
                return;
            }
        }
    }
}
