package dev.durable.spi.journal;

import dev.durable.JournalException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An execution's journal, folded: how it started, each operation's latest state, and how it ended. */
public final class History {
    public final ExecutionEvent started;
    public final ExecutionEvent finished;
    private final Map<String, OpState> ops;

    private History(ExecutionEvent started, ExecutionEvent finished, Map<String, OpState> ops) {
        this.started = started;
        this.finished = finished;
        this.ops = ops;
    }

    public static History of(String execution, List<JournalRecord> records) {
        ExecutionEvent started = null;
        ExecutionEvent finished = null;
        Map<String, OpState> ops = new LinkedHashMap<>(Math.max(16, records.size() * 4 / 3 + 1)); // no rehashing
        for (JournalRecord r : records) {
            switch (r.type()) {
                case EXECUTION_STARTED -> started = EventCodec.readExecution(r);
                case EXECUTION_FINISHED -> finished = EventCodec.readExecution(r);
                case EXECUTION_RETRIED -> {
                    // Operations that failed run again; everything that succeeded is kept.
                    finished = null;
                    // A callback whose payload did not convert waits again, under the same id, for a new payload.
                    ops.values().forEach(OpState::reopenUnreadablePayload);
                    ops.values().removeIf(op -> op.status == OpStatus.FAILED);
                }
                case OPERATION -> {
                    OpEvent e = EventCodec.readOperation(r);
                    OpState op = ops.get(r.operationId());
                    if (op == null) {
                        op = new OpState(r.operationId(), e);
                        ops.put(r.operationId(), op);
                    }
                    op.apply(e, execution);
                }
            }
        }
        if (started == null && !records.isEmpty()) {
            throw missingStart(execution);
        }
        return new History(started, finished, ops);
    }

    public static JournalException missingStart(String execution) {
        return new JournalException("the journal holds records of execution '" + execution
                + "' but not the record of its start; the journal was damaged or edited. Inspect it with the"
                + " CLI's verify command and restore the directory from a backup");
    }

    public OpState op(String id) {
        return ops.get(id);
    }

    public Collection<OpState> operations() {
        return ops.values();
    }
}
