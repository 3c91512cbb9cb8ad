package dev.durable.internal;

import dev.durable.SerDes;
import dev.durable.StepConfig;
import dev.durable.StepContext;
import java.lang.reflect.Type;

/** One step attempt between its start and its journaled outcome; or an outcome already in the journal. */
final class StepCall implements StepContext {
    final ContextImpl ctx;
    final String id;
    final String name;
    final Type type;
    final StepConfig config;
    final SerDes serdes;
    final int attempt;
    final boolean replayed;
    final Object replayedValue;
    final Throwable replayedFailure;

    StepCall(
            ContextImpl ctx,
            String id,
            String name,
            Type type,
            StepConfig config,
            SerDes serdes,
            int attempt,
            boolean replayed,
            Object replayedValue,
            Throwable replayedFailure) {
        this.ctx = ctx;
        this.id = id;
        this.name = name;
        this.type = type;
        this.config = config;
        this.serdes = serdes;
        this.attempt = attempt;
        this.replayed = replayed;
        this.replayedValue = replayedValue;
        this.replayedFailure = replayedFailure;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public String executionName() {
        return ctx.executionName();
    }

    @Override
    public String operationId() {
        return id;
    }

    @Override
    public org.slf4j.Logger logger() {
        return ctx.stepLogger(id);
    }
}
