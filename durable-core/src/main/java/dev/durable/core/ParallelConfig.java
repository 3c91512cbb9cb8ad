package dev.durable.core;

import java.util.Objects;

/**
 * Configuration of {@code parallel} and {@code map}.
 *
 * @param maxConcurrency how many branches run at once; {@code 0} for the default, {@value #DEFAULT_MAX_CONCURRENCY}
 *     (each running branch holds a thread; a waiting one holds none)
 * @param completion when the whole is done
 */
public record ParallelConfig(int maxConcurrency, CompletionConfig completion) {
    /** Branches running at once when no limit is set: a {@code map} over 10,000 items must not start 10,000 threads. */
    public static final int DEFAULT_MAX_CONCURRENCY = 64;

    public ParallelConfig {
        if (maxConcurrency < 0) {
            throw new IllegalArgumentException("maxConcurrency must not be negative, was " + maxConcurrency);
        }
        Objects.requireNonNull(completion, "completion");
    }

    /** Up to {@value #DEFAULT_MAX_CONCURRENCY} branches at once, every branch runs. */
    public static ParallelConfig defaults() {
        return new ParallelConfig(0, CompletionConfig.allCompleted());
    }

    public ParallelConfig withMaxConcurrency(int n) {
        return new ParallelConfig(n, completion);
    }

    public ParallelConfig withCompletion(CompletionConfig c) {
        return new ParallelConfig(maxConcurrency, c);
    }
}
