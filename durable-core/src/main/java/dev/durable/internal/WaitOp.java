package dev.durable.internal;

import dev.durable.DurableContext;
import dev.durable.Names;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.SuspendReason;
import java.time.Duration;
import java.time.Instant;

/** A durable timer: journaled STARTED with its due time, suspends until then, SUCCEEDED once it is over. */
final class WaitOp {
    private WaitOp() {}

    /** Waits until {@code until}, or for {@code duration} from the first run when {@code until} is null. */
    static void run(ContextImpl ctx, String name, Instant until, Duration duration) {
        Names.checkOperation(name);
        Op op = ctx.cursor.next(OpType.WAIT, name);
        if (op.was(OpStatus.SUCCEEDED)) {
            return;
        }
        Instant now = ctx.inv.now();
        Instant due;
        if (op.journaled == null) {
            due = until != null ? until : now.plus(duration);
            if (Duration.between(now, due).compareTo(DurableContext.MAX_WAIT) > 0) {
                throw new IllegalArgumentException("wait " + op.where() + " ends at " + due + ", more than a year"
                        + " ahead; durable waits last at most " + DurableContext.MAX_WAIT.toDays() + " days");
            }
            op.record(op.event(OpStatus.STARTED, now).until(due));
        } else {
            due = op.journaled.until;
        }
        if (now.isBefore(due)) {
            throw new SuspendExecution(due, SuspendReason.WAIT);
        }
        op.record(op.event(OpStatus.SUCCEEDED, now));
    }
}
