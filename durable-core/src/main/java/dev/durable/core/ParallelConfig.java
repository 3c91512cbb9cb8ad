package dev.durable.core;

import java.util.Objects;

/**
 * Configuration of {@code parallel} and {@code map}.
 *
 * @param maxConcurrency how many branches run at once; {@code 0} for no limit
 * @param completion when the whole is done
 */
public record ParallelConfig(int maxConcurrency, CompletionConfig completion) {
    public ParallelConfig {
        if (maxConcurrency < 0) {
            throw new IllegalArgumentException("maxConcurrency must not be negative, was " + maxConcurrency);
        }
        Objects.requireNonNull(completion, "completion");
    }

    /** No concurrency limit, every branch runs. */
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
