package dev.durable.internal;

import dev.durable.BatchResult;
import dev.durable.ContextFunction;
import dev.durable.MapFunction;
import dev.durable.Names;
import dev.durable.ParallelConfig;
import dev.durable.SerDes;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.plugin.OperationKind;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code parallel} and {@code map}: a PARALLEL or MAP operation whose branches run as a {@link Batch}; the whole
 * result is journaled when the batch completes. A result over the payload limit is not journaled: a replay rebuilds
 * it from the branches' records.
 */
final class BatchOp {
    private BatchOp() {}

    static <T> BatchResult<T> parallel(
            ContextImpl ctx, String name, Type type, List<ContextFunction<T>> branches, ParallelConfig config) {
        return run(ctx, name, OpType.PARALLEL, type, branches, null, config);
    }

    @SuppressWarnings("unchecked")
    static <I, O> BatchResult<O> map(
            ContextImpl ctx, String name, List<I> items, Type type, MapFunction<I, O> fn, ParallelConfig config) {
        Objects.requireNonNull(items, "items must not be null");
        Objects.requireNonNull(fn, "fn must not be null");
        ParallelConfig.ItemNamer<I> namer = config == null ? null : (ParallelConfig.ItemNamer<I>) config.itemNamer();
        List<ContextFunction<O>> branches = new ArrayList<>(items.size());
        List<String> names = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            I item = items.get(i);
            int index = i;
            branches.add(c -> fn.apply(item, index, c));
            names.add(namer == null ? Batch.defaultName(i) : Names.checkOperation(namer.name(item, i)));
        }
        return run(ctx, name, OpType.MAP, type, branches, names, config);
    }

    private static <T> BatchResult<T> run(
            ContextImpl ctx,
            String name,
            OpType type,
            Type itemType,
            List<ContextFunction<T>> branches,
            List<String> names,
            ParallelConfig config) {
        Names.checkOperation(name);
        Objects.requireNonNull(itemType, "type must not be null");
        Objects.requireNonNull(branches, "branches must not be null");
        ParallelConfig cfg = config == null ? ParallelConfig.defaults() : config;
        Integer min = cfg.completion().minSuccessful();
        if (min != null && min > branches.size()) {
            throw new IllegalArgumentException(type.name().toLowerCase() + " '" + name + "': minSuccessful is " + min
                    + " but there are only " + branches.size() + (type == OpType.MAP ? " items" : " branches")
                    + "; it could never complete by reaching minSuccessful");
        }
        List<String> branchNames = names != null ? names : Batch.branchNames(branches);
        SerDes itemSerdes = ctx.codec().or(cfg.itemSerDes());
        SerDes resultSerdes = cfg.resultSerDes() != null ? cfg.resultSerDes() : itemSerdes;
        Op op = ctx.cursor.next(type, name);
        if (op.was(OpStatus.SUCCEEDED) && !op.journaled.replayChildren) {
            return Batch.decode(op.journaled.result, itemType, resultSerdes);
        }
        BatchResult<T> result = new Batch<>(
                        ctx,
                        op.id,
                        itemType,
                        itemSerdes,
                        branches,
                        branchNames,
                        cfg,
                        type == OpType.MAP ? OperationKind.MAP_ITEM : OperationKind.PARALLEL_BRANCH)
                .run();
        if (op.was(OpStatus.SUCCEEDED)) {
            return result; // rebuilt by replaying the branches of a result too large to journal
        }
        String json = Batch.encode(result, itemType, resultSerdes);
        BatchResult<T> checkpointed = Batch.decode(json, itemType, resultSerdes);
        OpEvent done = op.event(OpStatus.SUCCEEDED);
        op.record(ctx.codec().fits(json) ? done.result(json) : done.rebuiltOnReplay());
        return checkpointed;
    }
}
