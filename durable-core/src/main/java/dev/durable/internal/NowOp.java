package dev.durable.internal;

import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import java.time.Instant;

/** {@code now()}: the time journaled on the first run, so every replay sees the same instant. */
final class NowOp {
    private NowOp() {}

    static Instant run(ContextImpl ctx) {
        Op op = ctx.cursor.next(OpType.NOW, "now");
        if (op.was(OpStatus.SUCCEEDED)) {
            return Instant.parse(op.journaled.result);
        }
        Instant now = ctx.inv.now();
        op.record(op.event(OpStatus.SUCCEEDED, now).result(now.toString()));
        return now;
    }
}
