package dev.durable.internal;

import dev.durable.ErrorInfo;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.AttemptEnd;
import dev.durable.spi.plugin.AttemptOutcome;
import dev.durable.spi.plugin.AttemptStart;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.ExecutionRef;
import dev.durable.spi.plugin.JournalCommit;
import dev.durable.spi.plugin.OperationChange;
import dev.durable.spi.plugin.OperationEnd;
import dev.durable.spi.plugin.OperationKind;
import dev.durable.spi.plugin.OperationStart;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The registered {@link DurablePlugin}s and how the engine calls them: each hook on every plugin in turn, an
 * exception from one logged once per plugin and hook and swallowed. With no plugin, {@link #on} is false and the
 * engine builds no hook information at all.
 */
final class Plugins {
    final boolean on;
    private final DurablePlugin[] plugins;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** Finds an execution by name, for the start time of an invoking parent. */
    private volatile Function<String, ExecutionEntry> executions = name -> null;

    /** Whether any plugin listens to journal writes: building their deltas is skipped otherwise. */
    private final boolean changes;

    /** Whether any plugin listens to the journal's commits: the journal is not asked to report them otherwise. */
    final boolean commits;

    Plugins(List<DurablePlugin> plugins) {
        this.plugins = plugins.toArray(new DurablePlugin[0]);
        this.on = this.plugins.length > 0;
        this.changes = plugins.stream().anyMatch(p -> overrides(p, "onOperationChange", OperationChange.class));
        this.commits = plugins.stream().anyMatch(p -> overrides(p, "onJournalCommit", JournalCommit.class));
    }

    private static boolean overrides(DurablePlugin p, String hook, Class<?> info) {
        try {
            return p.getClass().getMethod(hook, info).getDeclaringClass() != DurablePlugin.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    /** The journal made a group of records durable. */
    void committed(int records, long bytes, long nanos) {
        JournalCommit commit = new JournalCommit(records, bytes, Duration.ofNanos(nanos));
        fire("onJournalCommit", p -> p.onJournalCommit(commit));
    }

    void executions(Function<String, ExecutionEntry> lookup) {
        this.executions = lookup;
    }

    /** Calls {@code hook} on every plugin; a failing plugin neither stops the others nor the execution. */
    void fire(String hook, Consumer<DurablePlugin> call) {
        fire(plugins, hook, call);
    }

    /** Calls {@code hook} on the plugins that observe execution {@code e}. */
    void fire(ExecutionEntry e, String hook, Consumer<DurablePlugin> call) {
        fire(observers(e), hook, call);
    }

    /**
     * The plugins that want the invocation, operation and attempt hooks of {@code e}, each asked once ({@link
     * DurablePlugin#observes}); a plugin that throws from it observes.
     */
    DurablePlugin[] observers(ExecutionEntry e) {
        DurablePlugin[] o = e.pluginObservers;
        if (o == null) {
            ExecutionRef ref = ref(e);
            o = Arrays.stream(plugins).filter(p -> observes(p, ref)).toArray(DurablePlugin[]::new);
            e.pluginObservers = o;
        }
        return o;
    }

    /** Whether any plugin observes {@code e}: the engine builds no hook information for it otherwise. */
    boolean observed(ExecutionEntry e) {
        return on && observers(e).length > 0;
    }

    private boolean observes(DurablePlugin p, ExecutionRef ref) {
        boolean[] yes = {true};
        fire(new DurablePlugin[] {p}, "observes", q -> yes[0] = q.observes(ref));
        return yes[0];
    }

    private void fire(DurablePlugin[] to, String hook, Consumer<DurablePlugin> call) {
        for (DurablePlugin p : to) {
            try {
                call.accept(p);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable t) {
                if (reported.add(System.identityHashCode(p) + " " + hook)) {
                    DurableEngine.LOG.warn(
                            "plugin {} threw from {}; the execution goes on, and further failures of"
                                    + " this hook of this plugin are not logged",
                            p.getClass().getName(),
                            hook,
                            t);
                }
            }
        }
    }

    /** How many hooks of which plugins have thrown (each logged once). */
    int failingHooks() {
        return reported.size();
    }

    ExecutionRef ref(ExecutionEntry e) {
        ExecutionRef r = e.pluginRef;
        if (r == null) {
            ExecutionEntry parent = e.parent == null ? null : executions.apply(e.parent);
            r = new ExecutionRef(
                    e.name,
                    e.function,
                    e.startedAt,
                    e.parent,
                    e.parentOperation,
                    parent == null ? null : parent.startedAt);
            e.pluginRef = r;
        }
        return r;
    }

    static boolean observed(OpType type) {
        return type != OpType.NOW && type != OpType.PATCH;
    }

    static OperationKind kindOf(OpType type) {
        return switch (type) {
            case STEP -> OperationKind.STEP;
            case WAIT -> OperationKind.WAIT;
            case CALLBACK -> OperationKind.CALLBACK;
            case CONTEXT -> OperationKind.CHILD_CONTEXT;
            case PARALLEL -> OperationKind.PARALLEL;
            case MAP -> OperationKind.MAP;
            case BRANCH -> OperationKind.PARALLEL_BRANCH;
            case INVOKE -> OperationKind.INVOKE;
            case WAIT_FOR_CONDITION -> OperationKind.WAIT_FOR_CONDITION;
            default -> null;
        };
    }

    static String parentOf(String id) {
        int slash = id.lastIndexOf('/');
        return slash < 0 ? null : id.substring(0, slash);
    }

    /** An operation met by an invocation: fires its start unless the journal already holds its outcome. */
    void operationMet(Op op, OperationKind subKind) {
        op.parentId = parentOf(op.id);
        op.subKind = subKind; // after parentId: recorded reads them in the other order
        OpState j = op.journaled;
        Instant now = op.inv.now();
        op.began = j == null ? now : j.startedAt;
        if (j != null && j.isDone() || !observed(op.type)) {
            return;
        }
        // a context or batch journals nothing before its end: its first child tells that it began earlier
        boolean replay = j != null || hasChildrenJournaled(op);
        int attempt = j == null
                ? (stepLike(op.type) ? 1 : 0)
                : j.status == OpStatus.RETRY && op.type == OpType.STEP ? j.attempt + 1 : j.attempt;
        OperationStart s = new OperationStart(
                ref(op.inv.entry),
                op.id,
                op.parentId,
                op.name,
                op.type.name(),
                subKind,
                j == null ? null : j.status.name(),
                op.began,
                attempt,
                replay);
        fire(op.inv.entry, "onOperationStart", p -> p.onOperationStart(s));
    }

    /** Whether the journal holds a child of {@code op}: only contexts and batches have any. */
    private static boolean hasChildrenJournaled(Op op) {
        return switch (op.type) {
            case CONTEXT, PARALLEL, MAP, BRANCH -> op.inv.history.op(op.id + "/1") != null;
            default -> false;
        };
    }

    private static boolean stepLike(OpType type) {
        return type == OpType.STEP || type == OpType.WAIT_FOR_CONDITION;
    }

    /** A change the invocation journaled: the change, and the operation's end if it has its outcome now. */
    void recorded(Op op, OpEvent event) {
        OperationKind subKind = op.subKind != null ? op.subKind : kindOf(op.type);
        Instant began = op.began != null ? op.began : op.journaled != null ? op.journaled.startedAt : event.at();
        String parent = op.subKind != null ? op.parentId : parentOf(op.id); // set together by operationMet
        journaled(op.inv.entry, op.id, parent, event, subKind, began);
    }

    /** A change journaled for operation {@code id}, in an invocation or from outside (callbacks). */
    void journaled(ExecutionEntry e, String id, String parentId, OpEvent event, OperationKind subKind, Instant began) {
        ExecutionRef execution = ref(e);
        int attempt = event.attempt() == null ? 0 : event.attempt();
        if (changes) {
            OperationChange change = new OperationChange(
                    execution,
                    List.of(new OperationChange.Changed(
                            id,
                            event.type().name(),
                            event.name(),
                            event.status().name(),
                            event.at(),
                            attempt)));
            fire(e, "onOperationChange", p -> p.onOperationChange(change));
        }
        if ((event.status() == OpStatus.SUCCEEDED || event.status() == OpStatus.FAILED) && observed(event.type())) {
            OperationEnd end = new OperationEnd(
                    execution,
                    id,
                    parentId,
                    event.name(),
                    event.type().name(),
                    subKind,
                    event.status().name(),
                    began,
                    event.at(),
                    attempt,
                    event.result(),
                    event.error());
            fire(e, "onOperationEnd", p -> p.onOperationEnd(end));
        }
    }

    /** User code of {@code op} about to run on this thread; what to hand to {@link #attemptEnded}. */
    AttemptStart attemptStarting(Op op, int attempt, boolean replayingChildren) {
        OperationKind subKind = op.subKind != null ? op.subKind : kindOf(op.type);
        AttemptStart s =
                new AttemptStart(ref(op.inv.entry), op.id, op.name, subKind, attempt, op.inv.now(), replayingChildren);
        fire(op.inv.entry, "onAttemptStart", p -> p.onAttemptStart(s));
        return s;
    }

    /** The body of a child context, branch or item about to run on this thread. */
    AttemptStart bodyStarting(Op op) {
        OpState j = op.journaled;
        boolean again = j != null || hasChildrenJournaled(op);
        return attemptStarting(op, again ? 2 : 1, j != null && j.status == OpStatus.SUCCEEDED);
    }

    void attemptEnded(Invocation inv, AttemptStart start, AttemptOutcome outcome, Throwable error) {
        if (start == null) {
            return;
        }
        AttemptEnd end = new AttemptEnd(start, inv.now(), outcome, error == null ? null : ErrorInfo.of(error));
        fire(inv.entry, "onAttemptEnd", p -> p.onAttemptEnd(end));
    }
}
