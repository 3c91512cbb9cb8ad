package dev.durable.internal;

import dev.durable.DurableClock;
import dev.durable.spi.journal.Journal;
import java.util.function.Function;
import org.slf4j.Logger;

/** The parts of an engine that a handler's run uses: one value per engine, shared by all its runs. */
record EngineParts(
        Journal journal,
        DurableClock clock,
        PayloadCodec codec,
        Functions functions,
        Executions executions,
        Scheduler scheduler,
        Callbacks callbacks,
        HandlerThreads threads,
        Function<String, Logger> loggers,
        Plugins plugins,
        Ownership ownership) {

    Logger logger(String function) {
        return loggers.apply("dev.durable.execution." + function);
    }
}
