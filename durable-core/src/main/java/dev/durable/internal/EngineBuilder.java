package dev.durable.internal;

import dev.durable.DurableClock;
import dev.durable.DurableContext;
import dev.durable.DurableRuntime;
import dev.durable.ManualClock;
import dev.durable.ParallelConfig;
import dev.durable.SerDes;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.plugin.DurablePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import org.slf4j.Logger;

/** Builds a {@link DurableEngine}: {@code DurableEngine.builder().journal(journal).build()}. */
public final class EngineBuilder {
    Journal journal;
    DurableClock clock;
    SerDes serdes;
    long payloadLimit = DurableRuntime.DEFAULT_PAYLOAD_LIMIT;
    Integer threads;
    ThreadFactory threadFactory;
    Executor executor;
    /** {@code null} unless {@link #virtualThreads} was called: {@link HandlerThreads} then picks. */
    Boolean virtualThreads;

    Function<String, Logger> loggers;
    boolean closeJournal = true;
    final List<DurablePlugin> plugins = new ArrayList<>();
    Ownership ownership = Ownership.SOLE;

    EngineBuilder() {}

    /**
     * Who runs which execution when other processes share the journal; default {@link Ownership#SOLE} (this
     * process owns every execution of its journal).
     */
    public EngineBuilder ownership(Ownership ownership) {
        this.ownership = Objects.requireNonNull(ownership, "ownership must not be null");
        return this;
    }

    /** Adds a plugin: it sees every execution's invocations, operations and attempts (see {@link DurablePlugin}). */
    public EngineBuilder plugin(DurablePlugin plugin) {
        plugins.add(Objects.requireNonNull(plugin, "plugin must not be null"));
        return this;
    }

    /** Adds every {@link DurablePlugin} that {@link ServiceLoader} finds; without this call none is loaded. */
    public EngineBuilder discoverPlugins() {
        ServiceLoader.load(DurablePlugin.class).forEach(plugins::add);
        return this;
    }

    /** Where to checkpoint (required). */
    public EngineBuilder journal(Journal journal) {
        this.journal = journal;
        return this;
    }

    /** Whether {@link DurableEngine#close()} closes the journal too (default true). */
    public EngineBuilder closeJournal(boolean close) {
        this.closeJournal = close;
        return this;
    }

    /** The time source; default wall-clock time. Tests pass a {@link ManualClock}. */
    public EngineBuilder clock(DurableClock clock) {
        this.clock = clock;
        return this;
    }

    /** The serializer for inputs, results and payloads; default {@link JsonSerDes}. */
    public EngineBuilder serdes(SerDes serdes) {
        this.serdes = serdes;
        return this;
    }

    /** The largest serialized input, result or payload, in bytes; default 256 KiB. */
    public EngineBuilder payloadLimit(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("payloadLimit must be positive, was " + bytes);
        }
        this.payloadLimit = bytes;
        return this;
    }

    /**
     * How many handlers run at once; suspended executions hold none. On platform threads the default is 64:
     * handlers spend most of their time waiting for the journal's force, and more of them share each force (group
     * commit). On virtual threads (see {@link #virtualThreads}) the default is no limit.
     */
    public EngineBuilder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
        return this;
    }

    /**
     * Makes the threads that run handlers and parallel branches, instead of the runtime's daemon threads: to name
     * them, set their priority or context, or count them. The runtime still runs at most {@link #threads} handlers
     * at once.
     */
    public EngineBuilder threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "factory must not be null");
        return this;
    }

    /**
     * Runs handlers on {@code executor} instead of a pool of the runtime's own; its size is then the limit of
     * handlers running at once. The runtime never shuts it down: shut it down after closing the runtime.
     * Parallel branches still run on threads of the runtime (or of {@link #threadFactory}), since a handler
     * waits for its branches and must not starve them of the executor's threads.
     */
    public EngineBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor must not be null");
        return this;
    }

    /**
     * Whether handlers and parallel branches run on virtual threads (Java 21 and later). On virtual threads a handler
     * waiting for the journal holds no platform thread, handlers run without a limit unless {@link #threads} sets
     * one, and {@code parallel} and {@code map} without a {@link ParallelConfig#maxConcurrency() maxConcurrency} of
     * their own run every branch at once.
     *
     * <p>Default: virtual threads on Java 24 and later, unless a {@link #threadFactory} or an {@link #executor} is
     * given; platform threads before Java 24, where a virtual thread blocked inside a {@code synchronized} block
     * holds its carrier thread (JEP 491 lifted that in Java 24). Pass {@code true} to use them on Java 21 to 23
     * too, {@code false} to keep platform threads.
     *
     * @throws UnsupportedOperationException for {@code true} on Java before 21, which has no virtual threads
     */
    public EngineBuilder virtualThreads(boolean virtual) {
        if (virtual) {
            HandlerThreads.virtualThreadFactory(); // refuses now, where the caller asked, on a JVM without them
        }
        this.virtualThreads = virtual;
        return this;
    }

    /** Where {@link DurableContext#logger()} writes; default SLF4J's {@code LoggerFactory}. */
    public EngineBuilder loggers(Function<String, Logger> loggers) {
        this.loggers = loggers;
        return this;
    }

    /** Opens the engine: reads the journal and resumes unfinished executions as their functions register. */
    public DurableEngine build() {
        return new DurableEngine(this);
    }
}
