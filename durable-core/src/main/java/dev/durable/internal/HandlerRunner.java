package dev.durable.internal;

import dev.durable.DurableException;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.History;

/**
 * Runs an execution's handler once from the top, on the journal as it stands, and acts on how the run ends: a
 * result or failure ends the execution, a suspension leaves it waiting, a halt (cancel, close, journal failure)
 * leaves it as the journal has it.
 */
final class HandlerRunner {
    private final EngineParts parts;

    HandlerRunner(EngineParts parts) {
        this.parts = parts;
    }

    void run(ExecutionEntry e) {
        RegisteredFunction fn = parts.functions().get(e.function, e.version);
        History history;
        Object input;
        try {
            history = History.of(e.name, parts.journal().read(e.name));
            input = parts.codec().serdes().deserialize(e.inputJson, fn.inputType());
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
        }
        parts.callbacks().historyRead(e.name, history);
        ContextImpl root = new ContextImpl(new Invocation(parts, e, history, fn), "");
        ContextImpl previous = ExecutionThread.enter(root);
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        thread.setContextClassLoader(fn.classLoader());
        try {
            Object out = handle(fn, input, root);
            String json;
            try {
                json = parts.codec().serialize(out, fn.outputType(), parts.codec().serdes(),
                        "the result of execution '" + e.name + "'");
            } catch (DurableException ex) {
                fail(e, ex);
                return;
            }
            parts.executions().finish(e, new ExecutionEntry.Outcome(ExecutionStatus.SUCCEEDED, json, null), out, null);
        } catch (SuspendExecution s) {
            ExecutionThread.takeSuspension();
            parts.scheduler().suspend(e, s.wakeAt);
        } catch (ExecutionHalted h) {
            if (h.getCause() instanceof JournalException j) {
                DurableEngine.LOG.error("execution '{}' stopped: {}", e.name, h.getMessage(), j);
                e.future.completeExceptionally(j);
            }
        } catch (Throwable t) {
            fail(e, t);
        } finally {
            thread.setContextClassLoader(loader);
            ExecutionThread.restore(previous);
        }
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
        parts.executions().finish(e, new ExecutionEntry.Outcome(ExecutionStatus.FAILED, null, ErrorInfo.of(t)), null, t);
    }
}
