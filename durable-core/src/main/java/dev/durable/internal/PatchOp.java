package dev.durable.internal;

import dev.durable.Names;
import dev.durable.NonDeterministicExecutionException;
import dev.durable.spi.journal.OpState;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import java.util.Objects;

/**
 * A patch: whether this execution takes the new code path at a change, decided once and journaled under a marker
 * id of its own ({@code patch:<id>}), so patches never shift the ids of the operations after them.
 */
final class PatchOp {
    private PatchOp() {}

    static boolean patched(ContextImpl ctx, String patchId) {
        Names.checkOperation(Objects.requireNonNull(patchId, "patchId must not be null"));
        Invocation inv = ctx.inv;
        inv.checkActive();
        String id = marker(ctx, patchId);
        OpState journaled = inv.history.op(id);
        if (journaled != null) {
            return Boolean.parseBoolean(journaled.result);
        }
        Boolean decided = inv.patches.get(id);
        if (decided != null) {
            return decided;
        }
        // Replaying journaled operations past this point: the code that wrote them had no patch here (it would have
        // left a marker), so this execution keeps the old path. Running live: the new path.
        boolean patched = !ctx.cursor.isReplaying();
        Op op = Op.at(inv, id, OpType.PATCH, patchId, null);
        op.record(op.event(OpStatus.SUCCEEDED).result(Boolean.toString(patched)));
        inv.patches.put(id, patched);
        return patched;
    }

    static void deprecate(ContextImpl ctx, String patchId) {
        Names.checkOperation(Objects.requireNonNull(patchId, "patchId must not be null"));
        ctx.inv.checkActive();
        OpState journaled = ctx.inv.history.op(marker(ctx, patchId));
        if (journaled != null && !Boolean.parseBoolean(journaled.result)) {
            throw ctx.inv.diverged(new NonDeterministicExecutionException(
                    ctx.executionName(),
                    journaled.id,
                    "PATCH '" + patchId + "' decided for the old path",
                    "the patch deprecated (only the new path remains)",
                    CallSite.find()));
        }
    }

    private static String marker(ContextImpl ctx, String patchId) {
        return ctx.cursor.marker("patch:" + patchId);
    }
}
