package dev.durable.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.durable.BatchItem;
import dev.durable.BatchResult;
import dev.durable.CompletionConfig;
import dev.durable.ContextFunction;
import dev.durable.DurableException;
import dev.durable.ErrorInfo;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.ParallelConfig;
import dev.durable.SerDes;
import dev.durable.SerializationException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.AttemptOutcome;
import dev.durable.spi.plugin.AttemptStart;
import dev.durable.spi.plugin.OperationKind;
import dev.durable.spi.plugin.SuspendReason;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs the branches of one {@code parallel} or {@code map} concurrently. Each branch is a child context whose
 * outcome is journaled as a BRANCH operation; branches already finished in the journal are not run again. The
 * batch completes when its {@link CompletionConfig} says so, or suspends when every runnable branch is waiting.
 */
final class Batch<T> {
    private final ContextImpl parent;
    private final String id;
    private final Type itemType;
    private final SerDes serdes;
    private final List<ContextFunction<T>> branches;
    private final List<String> names;
    private final ParallelConfig config;
    private final boolean flat;
    /** PARALLEL_BRANCH or MAP_ITEM, as plugins see the branches. */
    private final OperationKind branchKind;

    private enum Kind {
        SUCCEEDED,
        FAILED,
        SUSPENDED,
        HALTED
    }

    private record Outcome(int index, Kind kind, Object value, ErrorInfo error, Instant wakeAt, Throwable halt) {}

    Batch(
            ContextImpl parent,
            String id,
            Type itemType,
            SerDes serdes,
            List<ContextFunction<T>> branches,
            List<String> names,
            ParallelConfig config,
            OperationKind branchKind) {
        this.branchKind = branchKind;
        this.parent = parent;
        this.id = id;
        this.itemType = itemType;
        this.serdes = serdes;
        this.branches = List.copyOf(branches);
        this.names = names;
        this.config = config;
        this.flat = config.nesting() == ParallelConfig.Nesting.FLAT;
    }

    /** The name of branch or item {@code index} when none is given. */
    static String defaultName(int index) {
        return "branch-" + index;
    }

    /** The names of {@code parallel} branches: their own ({@link ContextFunction#named}) or {@code branch-<index>}. */
    static <T> List<String> branchNames(List<ContextFunction<T>> branches) {
        List<String> names = new ArrayList<>(branches.size());
        for (int i = 0; i < branches.size(); i++) {
            names.add(branches.get(i) instanceof ContextFunction.Named<T> named ? named.name() : defaultName(i));
        }
        return names;
    }

    BatchResult<T> run() {
        int n = branches.size();
        Outcome[] outcomes = new Outcome[n];
        boolean[] launched = new boolean[n];
        BlockingQueue<Outcome> done = new LinkedBlockingQueue<>();
        // the default cap keeps a large map from holding a thread per item; virtual threads need no cap
        boolean capped =
                config.hasMaxConcurrency() || parent.inv.parts.threads().capsBranches();
        int limit = capped ? config.maxConcurrency() : Integer.MAX_VALUE;
        int running = 0;
        int next = 0;
        int successes = 0;
        int failures = 0;
        BatchResult.CompletionReason reason = n == 0 ? BatchResult.CompletionReason.ALL_COMPLETED : null;
        while (true) {
            // Launch (or replay) branches in order while there is room and the batch is not complete.
            while (reason == null && next < n && running < limit) {
                int i = next++;
                String branchId = id + "/" + (i + 1);
                OpState op = parent.inv.history.op(branchId);
                String name = names.get(i);
                if (flat) {
                    op = null; // a flat branch has no record of its own: it runs again, its operations replayed
                } else if (op != null && (op.type != OpType.BRANCH || !java.util.Objects.equals(name, op.name))) {
                    throw parent.inv.diverged(new NonDeterministicExecutionException(
                            parent.executionName(), branchId, op.describe(), OpType.BRANCH + " '" + name + "'", null));
                }
                if (op != null && op.status == OpStatus.SUCCEEDED && !op.replayChildren) {
                    outcomes[i] =
                            new Outcome(i, Kind.SUCCEEDED, serdes.deserialize(op.result, itemType), null, null, null);
                } else if (op != null && op.status == OpStatus.FAILED) {
                    outcomes[i] = new Outcome(i, Kind.FAILED, null, op.error, null, null);
                } else {
                    launched[i] = true;
                    running++;
                    Op branch = new Op(parent.inv, branchId, OpType.BRANCH, name, op);
                    if (parent.inv.observed && !flat) {
                        parent.inv.plugins.operationMet(branch, branchKind);
                    }
                    launch(i, branch, done);
                    continue;
                }
                if (outcomes[i].kind == Kind.SUCCEEDED) {
                    successes++;
                } else {
                    failures++;
                }
                reason = evaluate(successes, failures, n);
            }
            if (running == 0) {
                break;
            }
            Outcome o = take(done);
            running--;
            outcomes[o.index] = o;
            if (o.kind == Kind.SUCCEEDED) {
                successes++;
            } else if (o.kind == Kind.FAILED) {
                failures++;
            }
            if (reason == null && (o.kind == Kind.SUCCEEDED || o.kind == Kind.FAILED)) {
                reason = evaluate(successes, failures, n);
            }
        }
        Instant wake = null;
        SuspendReason waitsFor = null;
        boolean suspended = false;
        for (Outcome o : outcomes) {
            if (o != null && o.kind == Kind.HALTED) {
                throw ContextImpl.sneaky(o.halt);
            }
            if (o != null && o.kind == Kind.SUSPENDED) {
                suspended = true;
                if (o.wakeAt != null && (wake == null || o.wakeAt.isBefore(wake))) {
                    wake = o.wakeAt;
                    waitsFor = ((SuspendExecution) o.halt).reason;
                } else if (waitsFor == null) {
                    waitsFor = ((SuspendExecution) o.halt).reason;
                }
            }
        }
        if (reason == null) {
            if (suspended) {
                throw new SuspendExecution(wake, waitsFor);
            }
            reason = BatchResult.CompletionReason.ALL_COMPLETED;
        }
        List<BatchItem<T>> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(item(i, outcomes[i], launched[i]));
        }
        return new BatchResult<>(items, reason);
    }

    @SuppressWarnings("unchecked")
    private BatchItem<T> item(int i, Outcome o, boolean launched) {
        if (o == null) {
            return new BatchItem<>(i, launched ? BatchItem.Status.STARTED : BatchItem.Status.NOT_STARTED, null, null);
        }
        return switch (o.kind) {
            case SUCCEEDED -> new BatchItem<>(i, BatchItem.Status.SUCCEEDED, (T) o.value, null);
            case FAILED -> new BatchItem<>(i, BatchItem.Status.FAILED, null, o.error);
            default -> new BatchItem<>(i, BatchItem.Status.STARTED, null, null);
        };
    }

    private BatchResult.CompletionReason evaluate(int successes, int failures, int total) {
        CompletionConfig c = config.completion();
        if (c.toleratedFailureCount() != null && failures > c.toleratedFailureCount()) {
            return BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED;
        }
        if (c.toleratedFailurePercentage() != null && failures * 100.0 / total > c.toleratedFailurePercentage()) {
            return BatchResult.CompletionReason.FAILURE_TOLERANCE_EXCEEDED;
        }
        if (c.minSuccessful() != null && successes >= c.minSuccessful()) {
            return BatchResult.CompletionReason.MIN_SUCCESSFUL_REACHED;
        }
        if (successes + failures == total) {
            return BatchResult.CompletionReason.ALL_COMPLETED;
        }
        return null;
    }

    private void launch(int index, Op branch, BlockingQueue<Outcome> done) {
        ContextImpl ctx = parent.child(branch.id);
        ContextFunction<T> fn = branches.get(index);
        parent.inv.parts.threads().runBranch(() -> done.add(runBranch(index, branch, ctx, fn)));
    }

    /** Journals a branch's outcome, unless the batch is flat (its operations are the record). */
    private void journal(Op branch, OpEvent event) {
        if (!flat) {
            branch.record(event);
        }
    }

    private Outcome runBranch(int index, Op branch, ContextImpl ctx, ContextFunction<T> fn) {
        ContextImpl previous = ExecutionThread.enter(ctx);
        try {
            parent.inv.checkActive();
            T value;
            ExecutionThread.takeSuspension(); // a pooled thread starts clean, whatever its last branch left
            Plugins plugins = parent.inv.plugins;
            AttemptStart body = parent.inv.observed && !flat ? plugins.bodyStarting(branch) : null;
            try {
                value = fn.apply(ctx);
            } catch (SuspendExecution s) {
                ExecutionThread.takeSuspension();
                plugins.attemptEnded(parent.inv, body, AttemptOutcome.SUSPENDED, null);
                return new Outcome(index, Kind.SUSPENDED, null, null, s.wakeAt, s);
            } catch (ExecutionHalted h) {
                return new Outcome(index, Kind.HALTED, null, null, null, h);
            } catch (NonDeterministicExecutionException e) {
                return new Outcome(index, Kind.HALTED, null, null, null, e);
            } catch (Throwable t) {
                String swallowed = ExecutionThread.takeSuspension();
                if (swallowed != null) {
                    return new Outcome(index, Kind.HALTED, null, null, null, ExecutionThread.swallowed(swallowed, t));
                }
                ErrorInfo error = ErrorInfo.of(t);
                plugins.attemptEnded(parent.inv, body, AttemptOutcome.FAILED, t);
                journal(branch, branch.event(OpStatus.FAILED).error(error));
                return new Outcome(index, Kind.FAILED, null, error, null, null);
            }
            String swallowed = ExecutionThread.takeSuspension();
            if (swallowed != null) {
                return new Outcome(index, Kind.HALTED, null, null, null, ExecutionThread.swallowed(swallowed, null));
            }
            plugins.attemptEnded(parent.inv, body, AttemptOutcome.SUCCEEDED, null);
            if (branch.was(
                    OpStatus.SUCCEEDED)) { // rebuilt by replaying the operations of a result too large to journal
                return new Outcome(index, Kind.SUCCEEDED, value, null, null, null);
            }
            String json;
            Object checkpointed;
            try {
                String what = "the result of " + branch.name + " of batch " + id + " in execution '"
                        + parent.executionName() + "'";
                json = serdes.serialize(value, itemType);
                checkpointed = PayloadCodec.checkpointed(value, json, itemType, serdes, what);
            } catch (DurableException e) {
                ErrorInfo error = ErrorInfo.of(e);
                journal(branch, branch.event(OpStatus.FAILED).error(error));
                return new Outcome(index, Kind.FAILED, null, error, null, null);
            }
            OpEvent succeeded = branch.event(OpStatus.SUCCEEDED);
            journal(branch, parent.codec().fits(json) ? succeeded.result(json) : succeeded.rebuiltOnReplay());
            return new Outcome(index, Kind.SUCCEEDED, checkpointed, null, null, null);
        } catch (ExecutionHalted h) {
            return new Outcome(index, Kind.HALTED, null, null, null, h);
        } catch (Error | RuntimeException e) {
            // from journaling the outcome: the batch rethrows it, rather than wait for an outcome that never comes
            return new Outcome(index, Kind.HALTED, null, null, null, e);
        } finally {
            ExecutionThread.restore(previous);
        }
    }

    private static <O> O take(BlockingQueue<O> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionHalted("interrupted while waiting for parallel branches", e);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(BatchItem.Status status, String result, ErrorInfo error) {}

    record Encoded(BatchResult.CompletionReason reason, List<Item> items) {}

    static <T> String encode(BatchResult<T> result, Type itemType, SerDes serdes) {
        List<Item> items = new ArrayList<>();
        for (BatchItem<T> i : result.items()) {
            String json = i.status() == BatchItem.Status.SUCCEEDED ? serdes.serialize(i.result(), itemType) : null;
            items.add(new Item(i.status(), json, i.error()));
        }
        try {
            return EventCodec.MAPPER.writeValueAsString(new Encoded(result.completionReason(), items));
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot encode a batch result: " + e.getOriginalMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> BatchResult<T> decode(String json, Type itemType, SerDes serdes) {
        try {
            Encoded e = EventCodec.MAPPER.readValue(json, Encoded.class);
            List<BatchItem<T>> items = new ArrayList<>();
            for (int i = 0; i < e.items().size(); i++) {
                Item it = e.items().get(i);
                T value = it.result() == null ? null : (T) serdes.deserialize(it.result(), itemType);
                items.add(new BatchItem<>(i, it.status(), value, it.error()));
            }
            return new BatchResult<>(items, e.reason());
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot decode a journaled batch result: " + e.getOriginalMessage(), e);
        }
    }
}
