package dev.durable.runtime.local;

import dev.durable.DurableClock;
import dev.durable.DurableHandler;
import dev.durable.DurableRuntime;
import dev.durable.Execution;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.SerDes;
import dev.durable.TypeToken;
import dev.durable.internal.DurableEngine;
import dev.durable.internal.EngineBuilder;
import dev.durable.runtime.local.journal.Durability;
import dev.durable.runtime.local.journal.FileJournal;
import dev.durable.runtime.local.journal.FileJournalOptions;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.plugin.DurablePlugin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The embedded runtime: durable executions checkpointed to a journal directory on local disk, with nothing to
 * deploy. Executions that were running or waiting when the process stopped resume when the runtime is opened
 * again and their function is registered; due timers fire then.
 *
 * <pre>{@code
 * try (LocalRuntime runtime = LocalRuntime.open(Path.of(".durable"))) {
 *     runtime.register(new OrderProcessor_Durable(inventory, payments, mailer));
 *     Execution<Receipt> ex = runtime.start(OrderProcessor.class, "order-42", order);
 *     Receipt receipt = ex.result(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class LocalRuntime implements DurableRuntime {
    /** Handler threads by default ({@link Builder#threads}); idle ones time out, so a quiet runtime holds none. */
    public static final int DEFAULT_THREADS = DurableEngine.DEFAULT_THREADS;

    /** Finished executions are kept this long by default, then removed by compaction. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(14);

    private static final Duration RETENTION_SWEEP = Duration.ofHours(6);

    private final DurableEngine engine;
    private final Path directory;
    private final Duration retention;
    private final long payloadLimit;
    private volatile DurableClock.Timer sweep;

    private LocalRuntime(Builder b, Journal journal) {
        this.directory = b.directory;
        this.retention = b.retention;
        this.payloadLimit = b.payloadLimit;
        this.engine = b.engine.journal(journal).build();
        sweepRetention();
    }

    /** Opens (creating if needed) the journal directory with the default settings: SYNC durability. */
    public static LocalRuntime open(Path directory) {
        return builder().directory(directory).open();
    }

    /** A runtime whose journal lives in memory: for tests and throwaway runs; nothing survives the process. */
    public static LocalRuntime inMemory() {
        return builder().durability(Durability.MEMORY).open();
    }

    public static Builder builder() {
        return new Builder();
    }

    private void sweepRetention() {
        engine.forgetFinished(engine.clock().now().minus(retention));
        sweep = engine.clock().schedule(engine.clock().now().plus(RETENTION_SWEEP), this::sweepRetentionQuietly);
    }

    private void sweepRetentionQuietly() {
        try {
            sweepRetention();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LocalRuntime.class).warn("retention sweep failed: {}", e.getMessage(), e);
        }
    }

    /** The journal directory, or {@code null} in memory mode. */
    public Path directory() {
        return directory;
    }

    /**
     * Serves the admin HTTP API of this runtime on 127.0.0.1, a free port and a generated token, and writes them
     * owner-only into the journal directory for the CLI: {@code durable list --journal DIR} then works while the
     * application runs. Close the returned server (or the runtime's process) to stop it.
     */
    public dev.durable.runtime.local.admin.AdminServer serveAdmin() {
        return serveAdmin(dev.durable.runtime.local.admin.AdminServer.Options.defaults());
    }

    /** {@link #serveAdmin()} with another host, port or token. */
    public dev.durable.runtime.local.admin.AdminServer serveAdmin(
            dev.durable.runtime.local.admin.AdminServer.Options options) {
        return dev.durable.runtime.local.admin.AdminServer.start(this, directory, options, payloadLimit);
    }

    /** The largest serialized value accepted, in bytes. */
    public long payloadLimit() {
        return payloadLimit;
    }

    /**
     * The journal this runtime writes: a {@code FileJournal}, or the journal given to the builder. For tools that
     * read records (the CLI, the test kit); appending to it behind the runtime's back corrupts executions.
     */
    public Journal journal() {
        return engine.journal();
    }

    /** Waits until no handler is running or queued (every execution has ended or is waiting); false on timeout. */
    public boolean awaitIdle(Duration timeout) {
        return engine.awaitIdle(timeout);
    }

    @Override
    public <I, O> void register(
            String functionName, Class<I> inputType, Class<O> outputType, DurableHandler<I, O> handler) {
        engine.register(functionName, inputType, outputType, handler);
    }

    @Override
    public <I, O> void register(
            String functionName, TypeToken<I> inputType, TypeToken<O> outputType, DurableHandler<I, O> handler) {
        engine.register(functionName, inputType, outputType, handler);
    }

    @Override
    public String register(Object durableFunction) {
        return engine.register(durableFunction);
    }

    @Override
    public <O> Execution<O> start(String functionName, String executionName, Object input) {
        return engine.start(functionName, executionName, input);
    }

    @Override
    public <O> Execution<O> start(Class<?> functionClass, String executionName, Object input) {
        return engine.start(functionClass, executionName, input);
    }

    @Override
    public <O> Execution<O> execution(String executionName) {
        return engine.execution(executionName);
    }

    @Override
    public List<ExecutionInfo> list(ExecutionStatus... statuses) {
        return engine.list(statuses);
    }

    @Override
    public boolean cancel(String executionName) {
        return engine.cancel(executionName);
    }

    @Override
    public void completeCallback(String callbackId, Object payload) {
        engine.completeCallback(callbackId, payload);
    }

    @Override
    public void completeCallbackJson(String callbackId, String json) {
        engine.completeCallbackJson(callbackId, json);
    }

    @Override
    public void failCallback(String callbackId, String errorType, String message) {
        engine.failCallback(callbackId, errorType, message);
    }

    @Override
    public void failCallback(String callbackId, String errorType, String message, String errorData) {
        engine.failCallback(callbackId, errorType, message, errorData);
    }

    @Override
    public void heartbeatCallback(String callbackId) {
        engine.heartbeatCallback(callbackId);
    }

    @Override
    public <O> Execution<O> startJson(String functionName, String executionName, String inputJson) {
        return engine.startJson(functionName, executionName, inputJson);
    }

    @Override
    public java.util.List<dev.durable.HistoryEvent> history(String executionName) {
        return engine.history(executionName);
    }

    @Override
    public dev.durable.ExecutionDetails describe(String executionName) {
        return engine.describe(executionName);
    }

    @Override
    public <O> Execution<O> retry(String executionName) {
        return engine.retry(executionName);
    }

    @Override
    public void fail(String executionName, String reason) {
        engine.fail(executionName, reason);
    }

    @Override
    public int forgetFinished(java.time.Instant before) {
        return engine.forgetFinished(before);
    }

    @Override
    public java.util.SortedMap<Integer, Integer> unfinishedByVersion(String functionName) {
        return engine.unfinishedByVersion(functionName);
    }

    @Override
    public DurableClock clock() {
        return engine.clock();
    }

    @Override
    public boolean isOpen() {
        return engine.isOpen();
    }

    /**
     * Why the journal stopped taking records (a failed write or force), if it did: the runtime then acknowledges
     * nothing more until it is opened again. For health checks.
     */
    public java.util.Optional<String> journalFailure() {
        return engine.journal() instanceof dev.durable.runtime.local.journal.FileJournal f
                ? f.failure().map(Throwable::toString)
                : java.util.Optional.empty();
    }

    @Override
    public void close() {
        DurableClock.Timer t = sweep;
        if (t != null) {
            t.cancel();
        }
        engine.close();
    }

    /** Builds a {@link LocalRuntime}. */
    public static final class Builder {
        private final EngineBuilder engine = DurableEngine.builder();
        private Path directory;
        private Durability durability = Durability.SYNC;
        private FileJournalOptions journalOptions;
        private Journal journal;
        private Duration retention = DEFAULT_RETENTION;
        private long payloadLimit = DurableRuntime.DEFAULT_PAYLOAD_LIMIT;

        private Builder() {}

        /** The journal directory, created owner-only if missing. Required unless the durability is MEMORY. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** SYNC (default: each operation is forced to disk before it is acknowledged), BATCHED or MEMORY. */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** Full control over the file journal (segment size, batch window, compaction). */
        public Builder journalOptions(FileJournalOptions options) {
            this.journalOptions = options;
            return this;
        }

        /** A journal of your own (another backend); the directory and durability are then ignored. */
        public Builder journal(Journal journal) {
            this.journal = journal;
            return this;
        }

        /** The time source; tests pass a {@link dev.durable.ManualClock}. */
        public Builder clock(DurableClock clock) {
            engine.clock(clock);
            return this;
        }

        /** The serializer of inputs, results and payloads; default JSON through Jackson. */
        public Builder serdes(SerDes serdes) {
            engine.serdes(serdes);
            return this;
        }

        /** The largest serialized value, in bytes; default 256 KiB. */
        public Builder payloadLimit(long bytes) {
            engine.payloadLimit(bytes);
            this.payloadLimit = bytes;
            return this;
        }

        /**
         * Handlers running at once (default 64 on platform threads, no limit on virtual threads); suspended
         * executions hold no thread.
         */
        public Builder threads(int threads) {
            engine.threads(threads);
            return this;
        }

        /** Makes the threads that run handlers and parallel branches, instead of the runtime's daemon threads. */
        public Builder threadFactory(java.util.concurrent.ThreadFactory factory) {
            engine.threadFactory(factory);
            return this;
        }

        /**
         * Runs handlers on {@code executor} (its size limits the handlers running at once); the runtime never shuts
         * it down. Parallel branches still run on the runtime's threads.
         */
        public Builder executor(java.util.concurrent.Executor executor) {
            engine.executor(executor);
            return this;
        }

        /**
         * Whether handlers and parallel branches run on virtual threads (Java 21 and later). By default they do from
         * Java 24 (where a virtual thread blocked in a {@code synchronized} block no longer holds its carrier thread)
         * unless a {@link #threadFactory} or an {@link #executor} is given. On them, a handler waiting for the
         * journal's force holds no platform thread, so every execution in flight can share one force, and {@code
         * parallel} and {@code map} have no default limit of branches running at once.
         *
         * @throws UnsupportedOperationException for {@code true} on Java before 21
         */
        public Builder virtualThreads(boolean virtual) {
            engine.virtualThreads(virtual);
            return this;
        }

        /** How long finished executions are kept; default 14 days. */
        public Builder retention(Duration retention) {
            if (retention.isNegative()) {
                throw new IllegalArgumentException("retention must not be negative, was " + retention);
            }
            this.retention = retention;
            return this;
        }

        /** Where execution loggers write; default SLF4J. */
        public Builder loggers(Function<String, Logger> loggers) {
            engine.loggers(loggers);
            return this;
        }

        /** Adds a plugin that sees inside every execution (tracing, metrics): see {@link DurablePlugin}. */
        public Builder plugin(DurablePlugin plugin) {
            engine.plugin(plugin);
            return this;
        }

        /** Adds every {@link DurablePlugin} listed under {@code META-INF/services}; none is loaded without this call. */
        public Builder discoverPlugins() {
            engine.discoverPlugins();
            return this;
        }

        /** Opens the journal and the runtime. */
        public LocalRuntime open() {
            Journal j = journal;
            if (j == null) {
                if (durability == Durability.MEMORY) {
                    j = new MemoryJournal();
                } else {
                    if (directory == null) {
                        throw new IllegalStateException(
                                "a journal directory is required: LocalRuntime.open(Path.of(\".durable\"))"
                                        + " or builder().directory(...); use Durability.MEMORY for a runtime without files");
                    }
                    FileJournalOptions options =
                            journalOptions != null ? journalOptions : FileJournalOptions.defaults();
                    j = FileJournal.open(directory, options.durability(durability));
                }
            }
            try {
                return new LocalRuntime(this, j);
            } catch (RuntimeException e) {
                j.close();
                throw e;
            }
        }
    }
}
