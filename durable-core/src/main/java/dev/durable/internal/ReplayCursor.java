package dev.durable.internal;

import dev.durable.NonDeterministicExecutionException;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.OperationKind;
import java.util.Objects;

/**
 * Where a context's replay stands: numbers its operations ({@code 1}, {@code 2}; {@code 3/1} in child context 3),
 * finds what the journal holds for each, and checks the journal agrees on what the operation is.
 */
final class ReplayCursor {
    private final Invocation inv;
    /** This context's operation id prefix: empty for the root, {@code "3"} for child context 3. */
    private final String prefix;

    private int counter;
    private volatile String current = "";

    ReplayCursor(Invocation inv, String prefix) {
        this.inv = inv;
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** The operation begun last, for logs and messages; empty before the first. */
    String current() {
        return current;
    }

    /**
     * Begins the next operation: checks the run may go on and that the journal has, at its id, an operation of the
     * same type and name if any (the determinism check).
     *
     * @throws NonDeterministicExecutionException if the journal has another operation there
     */
    Op next(OpType type, String name) {
        return next(type, name, Plugins.kindOf(type));
    }

    /** {@link #next(OpType, String)} for an operation that is a {@code subKind} to the user. */
    Op next(OpType type, String name, OperationKind subKind) {
        counter++;
        String id = idOf(counter);
        inv.checkActive();
        current = id;
        OpState journaled = inv.history.op(id);
        if (journaled != null && (journaled.type != type || !Objects.equals(journaled.name, name))) {
            throw inv.diverged(new NonDeterministicExecutionException(
                    inv.executionName(), id, journaled.describe(), type + " '" + name + "'", CallSite.find()));
        }
        Op op = new Op(inv, id, type, name, journaled);
        if (inv.observed) {
            inv.plugins.operationMet(op, subKind);
        }
        return op;
    }

    /** The id the next operation will get. */
    String peekId() {
        return idOf(counter + 1);
    }

    /** Whether the next operation is already in the journal: the context is replaying. */
    boolean isReplaying() {
        return inv.history.op(peekId()) != null;
    }

    /** An id in this context that takes no number, so it never shifts the ids of the operations after it. */
    String marker(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private String idOf(int n) {
        return prefix.isEmpty() ? Integer.toString(n) : prefix + "/" + n;
    }
}
