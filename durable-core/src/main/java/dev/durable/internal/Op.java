package dev.durable.internal;

import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpTransitions;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.OperationKind;
import java.time.Instant;

/**
 * One operation in one run: its id, what the journal held for it when the run began, and the changes this run
 * journals, each checked against {@link OpTransitions} before it is written.
 */
final class Op {
    final Invocation inv;
    final String id;
    final OpType type;
    final String name;
    /** The operation as the journal held it when the run began; {@code null} if it is new. */
    final OpState journaled;

    private OpStatus status;
    /** What the operation is to the user, and when it began; set for plugins only. */
    volatile OperationKind subKind;

    volatile Instant began;

    /** The id of the context the operation is in, {@code null} at the top; set for plugins only. */
    volatile String parentId;

    Op(Invocation inv, String id, OpType type, String name, OpState journaled) {
        this(inv, id, type, name, journaled, journaled == null ? null : journaled.status);
    }

    /**
     * An operation outside the numbered sequence of its context (a patch marker), or changed since the run began
     * (a callback completed from outside): {@code status} is its latest one.
     */
    static Op at(Invocation inv, String id, OpType type, String name, OpStatus status) {
        return new Op(inv, id, type, name, null, status);
    }

    private Op(Invocation inv, String id, OpType type, String name, OpState journaled, OpStatus status) {
        this.inv = inv;
        this.id = id;
        this.type = type;
        this.name = name;
        this.journaled = journaled;
        this.status = status;
    }

    /** Whether the journal held this operation with status {@code s} when the run began. */
    boolean was(OpStatus s) {
        return journaled != null && journaled.status == s;
    }

    /** A change of this operation to {@code s}, dated now. */
    OpEvent event(OpStatus s) {
        return event(s, inv.now());
    }

    OpEvent event(OpStatus s, Instant at) {
        return OpEvent.of(type, name, s, at);
    }

    /**
     * Journals {@code event}; returns once it is durable.
     *
     * @throws IllegalStateException if it is not a legal change from the operation's status (an engine error)
     */
    void record(OpEvent event) {
        checkLegal(type, status, event, where());
        inv.journal(id, event);
        if (event.status() != OpStatus.HEARTBEAT) {
            status = event.status();
        }
        if (inv.observed) {
            inv.plugins.recorded(this, event);
        }
    }

    /** Throws unless {@code event} is a legal change of an operation of kind {@code type} from {@code status}. */
    static void checkLegal(OpType type, OpStatus status, OpEvent event, String where) {
        String problem = OpTransitions.problem(type, status, event);
        if (problem != null) {
            throw new IllegalStateException("the engine tried to journal " + event.status() + " for " + where
                    + ", which is not a legal change: " + problem + "; nothing was journaled");
        }
    }

    String where() {
        return "operation " + id + " '" + name + "' of execution '" + inv.executionName() + "'";
    }
}
