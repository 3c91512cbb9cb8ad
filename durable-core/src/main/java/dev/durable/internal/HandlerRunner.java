package dev.durable.internal;

import dev.durable.DurableException;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.History;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.LeaseLostException;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.SuspendedEvent;
import dev.durable.spi.plugin.InvocationEnd;
import dev.durable.spi.plugin.InvocationStart;
import dev.durable.spi.plugin.InvocationStatus;
import dev.durable.spi.plugin.SuspendReason;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an execution's handler once from the top, on the journal as it stands, and acts on how the run ends: a
 * result or failure ends the execution, a suspension leaves it waiting, a halt (cancel, close, journal failure)
 * leaves it as the journal has it, and a divergence from the journal (whatever user code did with the
 * {@link NonDeterministicExecutionException}) leaves it blocked, its journal untouched.
 */
final class HandlerRunner {
    private final EngineParts parts;

    HandlerRunner(EngineParts parts) {
        this.parts = parts;
    }

    void run(ExecutionEntry e) {
        RegisteredFunction fn = parts.functions().get(e.function, e.version);
        History history;
        int records;
        Object input;
        try {
            List<JournalRecord> read = parts.journal().read(e.name);
            records = read.size();
            history = History.of(e.name, read);
            if (history.started == null) {
                throw History.missingStart(e.name);
            }
            input = parts.codec().serdes().deserialize(history.started.input(), fn.inputType());
        } catch (JournalException ex) {
            if (!parts.ownership().shared()) {
                fail(e, ex);
            } else {
                // the database is unreachable, say: nothing is decided; the execution is let go, due now
                DurableEngine.LOG.warn("execution '{}' could not read its history: {}", e.name, ex.getMessage());
            }
            return;
        } catch (RuntimeException ex) {
            fail(e, ex);
            return;
        }
        if (history.finished != null) {
            // ended in the journal although its last record is not the end (a cancel overtook a step, say)
            ExecutionEvent f = history.finished;
            if (e.end(new ExecutionEntry.Outcome(f.status(), f.result(), f.error()), f.at())) {
                parts.executions().completeFuture(e, fn, null, null);
            }
            return;
        }
        synchronized (e) {
            if (e.outcome() != null) {
                return; // ended (cancelled, say) since the journal was read: keep its final status
            }
            e.status = ExecutionStatus.RUNNING;
            e.suspended = false;
            e.blockedBy = null;
        }
        parts.callbacks().historyRead(e.name, history);
        Invocation inv = new Invocation(parts, e, history, records, fn);
        ContextImpl root = new ContextImpl(inv, "");
        InvocationStart started = inv.observed ? invocationStarting(inv) : null;
        ContextImpl previous = ExecutionThread.enter(root);
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        thread.setContextClassLoader(fn.classLoader());
        try {
            Object out = handle(fn, input, root);
            if (blocked(inv, started)) {
                return; // user code caught the divergence and returned
            }
            String json;
            try {
                json = parts.codec()
                        .serialize(
                                out,
                                fn.outputType(),
                                parts.codec().serdes(),
                                "the result of execution '" + e.name + "'");
            } catch (DurableException ex) {
                fail(e, ex);
                ended(inv, started, InvocationStatus.FAILED, null, ex);
                return;
            }
            if (parts.executions()
                    .finish(e, new ExecutionEntry.Outcome(ExecutionStatus.SUCCEEDED, json, null), out, null)) {
                ended(inv, started, InvocationStatus.SUCCEEDED, null, null);
            } else {
                endNotJournaled(inv, started);
            }
        } catch (SuspendExecution s) {
            ExecutionThread.takeSuspension();
            if (blocked(inv, started)) {
                return;
            }
            ended(inv, started, InvocationStatus.PENDING, s.reason, null);
            journalSuspension(inv, s.wakeAt);
            parts.scheduler().suspend(e, s.wakeAt);
        } catch (ExecutionHalted h) {
            if (blocked(inv, started)) {
                return;
            }
            if (h.getCause() instanceof LeaseLostException lost) {
                DurableEngine.LOG.warn("execution '{}' stopped: {}", e.name, lost.getMessage());
            } else if (h.getCause() instanceof JournalException j) {
                DurableEngine.LOG.error("execution '{}' stopped: {}", e.name, h.getMessage(), j);
                if (!parts.ownership().shared()) {
                    e.future.completeExceptionally(j); // a poisoned journal: nothing more happens in this process
                }
            }
            ended(inv, started, InvocationStatus.PENDING, null, h.getCause() != null ? h.getCause() : h);
        } catch (JournalException j) {
            if (blocked(inv, started)) {
                return;
            }
            if (!parts.ownership().shared()) {
                fail(e, j);
                ended(inv, started, InvocationStatus.FAILED, null, j);
            } else {
                // the database failed under an operation (a child's start, a read): the execution is not to blame;
                // it is let go, due now, and runs again
                DurableEngine.LOG.warn("execution '{}' stopped: {}", e.name, j.getMessage());
                ended(inv, started, InvocationStatus.PENDING, null, j);
            }
        } catch (Throwable t) {
            if (blocked(inv, started)) {
                return;
            }
            fail(e, t);
            ended(inv, started, InvocationStatus.FAILED, null, t);
        } finally {
            thread.setContextClassLoader(loader);
            ExecutionThread.restore(previous);
        }
    }

    /**
     * Blocks the execution if this run diverged from its journal: nothing is journaled (the history stays as it was,
     * with no end), no timer is armed, callers keep waiting. It is replayed again when the runtime opens with new code,
     * its function is registered again, an operator retries it or an outside event (a callback) arrives.
     */
    private boolean blocked(Invocation inv, InvocationStart started) {
        NonDeterministicExecutionException d = inv.diverged();
        if (d == null) {
            return false;
        }
        ExecutionThread.takeSuspension();
        if (inv.entry.block(ErrorInfo.of(d))) {
            DurableEngine.LOG.warn(
                    "execution '{}' is BLOCKED, not failed, and its journal is unchanged: {} It is replayed again when"
                            + " the runtime opens with code that matches its history; an operator may fail it"
                            + " (runtime.fail, durable fail)",
                    inv.entry.name,
                    d.getMessage());
        }
        ended(inv, started, InvocationStatus.PENDING, null, d);
        return true;
    }

    /**
     * Journals where the run left the execution, if the journal keeps such records, so that a reopened runtime
     * schedules it without replaying it. Only a hint: if it cannot be written, reopening replays the execution.
     */
    private void journalSuspension(Invocation inv, Instant wakeAt) {
        Journal journal = parts.journal();
        if (!journal.recordsSuspensions() || parts.ownership().shared()) {
            return;
        }
        ExecutionEntry e = inv.entry;
        try {
            // after a restart nothing arms the callbacks' deadlines until the execution runs: it is due at the first
            Instant deadline = parts.callbacks().nextDeadline(e.name);
            Instant due = deadline != null && (wakeAt == null || deadline.isBefore(wakeAt)) ? deadline : wakeAt;
            SuspendedEvent s = new SuspendedEvent(due, parts.callbacks().pendingIds(e.name), inv.seenRecords());
            e.appendWhileOpen(() -> journal.append(EventCodec.suspended(e.name, s)));
        } catch (JournalException ex) {
            DurableEngine.LOG.debug("execution '{}': its suspension was not journaled: {}", e.name, ex.getMessage());
        }
    }

    /** Tells plugins a run begins: whether it is the first, and how many operations changed since the last run. */
    private static InvocationStart invocationStarting(Invocation inv) {
        RunChanges last = inv.entry.seenByLastRun;
        Map<String, Long> before = last == null ? null : last.atEnd();
        Map<String, Long> atStart =
                new HashMap<>(Math.max(16, inv.history.operations().size() * 4 / 3 + 1));
        int count = 0;
        int changed = 0;
        for (OpState op : inv.history.operations()) {
            long now = Invocation.fingerprint(op.status, op.updatedAt);
            atStart.put(op.id, now);
            count++;
            Long then = before == null ? null : before.get(op.id);
            if (then == null || then != now) {
                changed++;
            }
        }
        inv.seen = new RunChanges(atStart);
        InvocationStart s = new InvocationStart(inv.plugins.ref(inv.entry), inv.now(), count == 0, count, changed);
        inv.plugins.fire(inv.entry, "onInvocationStart", p -> p.onInvocationStart(s));
        return s;
    }

    private static void ended(
            Invocation inv, InvocationStart started, InvocationStatus status, SuspendReason reason, Throwable error) {
        if (started == null) {
            return;
        }
        inv.entry.seenByLastRun = inv.seen;
        InvocationEnd end =
                new InvocationEnd(started, inv.now(), status, reason, error == null ? null : ErrorInfo.of(error));
        inv.plugins.fire(inv.entry, "onInvocationEnd", p -> p.onInvocationEnd(end));
    }

    /**
     * Tells plugins how a run ended whose result was not journaled as the execution's end. The journal refused the end
     * record: the run failed with the journal's error, which the caller got too. Otherwise (the execution was
     * cancelled meanwhile, or another process holds it now) the execution goes on without this run's result.
     */
    private static void endNotJournaled(Invocation inv, InvocationStart started) {
        Throwable refused = inv.entry.future.isCompletedExceptionally() && inv.entry.outcome() == null
                ? inv.entry.future.handle((v, t) -> t).getNow(null)
                : null;
        ended(inv, started, refused != null ? InvocationStatus.FAILED : InvocationStatus.PENDING, null, refused);
    }

    /** Runs the handler; a suspension that user code caught instead of letting through fails the run. */
    private static Object handle(RegisteredFunction fn, Object input, ContextImpl root) throws Throwable {
        Object out;
        ExecutionThread.takeSuspension(); // a pooled thread starts clean, whatever its last run left
        try {
            out = fn.handler().handle(input, root);
        } catch (SuspendExecution | ExecutionHalted passedThrough) {
            throw passedThrough;
        } catch (Throwable t) {
            String swallowed = ExecutionThread.takeSuspension();
            throw swallowed != null ? ExecutionThread.swallowed(swallowed, t) : t;
        }
        String swallowed = ExecutionThread.takeSuspension();
        if (swallowed != null) {
            throw ExecutionThread.swallowed(swallowed, null);
        }
        return out;
    }

    private void fail(ExecutionEntry e, Throwable t) {
        parts.executions()
                .finish(e, new ExecutionEntry.Outcome(ExecutionStatus.FAILED, null, ErrorInfo.of(t)), null, t);
    }
}
