package dev.durable;

import java.util.Objects;

/**
 * Configuration of {@code parallel} and {@code map}: how many branches run at once, when the whole is done, how
 * items and the whole result are serialized, how branches are journaled and what map items are called.
 *
 * <pre>{@code
 * ParallelConfig config = ParallelConfig.builder()
 *         .maxConcurrency(8)
 *         .completion(CompletionConfig.toleratedFailures(2))
 *         .<Order>itemNamer((order, index) -> "charge-" + order.id())
 *         .nesting(ParallelConfig.Nesting.FLAT)
 *         .build();
 * BatchResult<Receipt> receipts = ctx.map("charge-all", orders, Receipt.class, (order, i, c) -> charge(c, order), config);
 * }</pre>
 */
public final class ParallelConfig {
    /**
     * Branches running at once when no limit is set: a {@code map} over 10,000 items must not start 10,000 threads.
     * On virtual threads (a runtime built with {@code virtualThreads(true)}) there is no default limit.
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 64;

    private static final ParallelConfig DEFAULTS = builder().build();

    /**
     * How the branches of a batch are journaled.
     *
     * <ul>
     *   <li>{@link #NESTED} (the default): each branch or item is a child context whose outcome is journaled as
     *       its own record; a replay reads a finished branch's result from that record without running it.
     *   <li>{@link #FLAT}: no record per branch; the branch's own operations are journaled under the batch. A
     *       replay before the whole batch has finished runs a finished branch's code again, its operations
     *       replayed from their checkpoints, to rebuild its result. One record less per item (for large
     *       fan-outs of small items), at the cost of re-running branch code on replay. A branch's code must then
     *       be deterministic outside its durable operations, as handler code always must be.
     * </ul>
     */
    public enum Nesting {
        NESTED,
        FLAT
    }

    /** Names the operation of one {@code map} item from the item and its index. */
    @FunctionalInterface
    public interface ItemNamer<I> {
        String name(I item, int index);
    }

    private final Integer maxConcurrency;
    private final CompletionConfig completion;
    private final SerDes itemSerDes;
    private final SerDes resultSerDes;
    private final Nesting nesting;
    private final ItemNamer<?> itemNamer;

    private ParallelConfig(Builder b) {
        this.maxConcurrency = b.maxConcurrency;
        this.completion = b.completion;
        this.itemSerDes = b.itemSerDes;
        this.resultSerDes = b.resultSerDes;
        this.nesting = b.nesting;
        this.itemNamer = b.itemNamer;
    }

    /** Up to {@value #DEFAULT_MAX_CONCURRENCY} branches at once, every branch runs, nested, the runtime's serializer. */
    public static ParallelConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxConcurrency = maxConcurrency;
        b.completion = completion;
        b.itemSerDes = itemSerDes;
        b.resultSerDes = resultSerDes;
        b.nesting = nesting;
        b.itemNamer = itemNamer;
        return b;
    }

    /** This configuration with at most {@code n} branches running at once ({@code n >= 1}). */
    public ParallelConfig withMaxConcurrency(int n) {
        return toBuilder().maxConcurrency(n).build();
    }

    /** This configuration with another completion rule. */
    public ParallelConfig withCompletion(CompletionConfig c) {
        return toBuilder().completion(c).build();
    }

    /**
     * How many branches run at once: the configured limit, or {@value #DEFAULT_MAX_CONCURRENCY}. A runtime on
     * virtual threads applies no default limit: there only a configured one counts ({@link #hasMaxConcurrency}).
     */
    public int maxConcurrency() {
        return maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : maxConcurrency;
    }

    /** Whether a limit was configured, rather than the default one {@link #maxConcurrency()} reports. */
    public boolean hasMaxConcurrency() {
        return maxConcurrency != null;
    }

    public CompletionConfig completion() {
        return completion;
    }

    /** The serializer of each branch's or item's result, or {@code null} for the runtime's. */
    public SerDes itemSerDes() {
        return itemSerDes;
    }

    /** The serializer of the whole batch result's items as the batch record keeps them, or {@code null} for the item serializer. */
    public SerDes resultSerDes() {
        return resultSerDes;
    }

    public Nesting nesting() {
        return nesting;
    }

    /** The item namer, or {@code null}: items are then named {@code item-<index>}. */
    public ItemNamer<?> itemNamer() {
        return itemNamer;
    }

    @Override
    public String toString() {
        return "ParallelConfig{maxConcurrency=" + maxConcurrency() + ", completion=" + completion + ", nesting="
                + nesting + "}";
    }

    /** Builds a {@link ParallelConfig}; every setter validates its argument. */
    public static final class Builder {
        private Integer maxConcurrency;
        private CompletionConfig completion = CompletionConfig.allCompleted();
        private SerDes itemSerDes;
        private SerDes resultSerDes;
        private Nesting nesting = Nesting.NESTED;
        private ItemNamer<?> itemNamer;

        private Builder() {}

        /** At most {@code n} branches run at once; each running branch holds a thread, a waiting one none. */
        public Builder maxConcurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + n
                        + "; leave it unset for the default of " + DEFAULT_MAX_CONCURRENCY);
            }
            this.maxConcurrency = n;
            return this;
        }

        public Builder completion(CompletionConfig completion) {
            this.completion = Objects.requireNonNull(completion, "completion must not be null");
            return this;
        }

        public Builder itemSerDes(SerDes serdes) {
            this.itemSerDes = serdes;
            return this;
        }

        public Builder resultSerDes(SerDes serdes) {
            this.resultSerDes = serdes;
            return this;
        }

        public Builder nesting(Nesting nesting) {
            this.nesting = Objects.requireNonNull(nesting, "nesting must not be null");
            return this;
        }

        /** Names each {@code map} item's operation, e.g. {@code (order, i) -> "charge-" + order.id()}. */
        public <I> Builder itemNamer(ItemNamer<I> namer) {
            this.itemNamer = namer;
            return this;
        }

        public ParallelConfig build() {
            return new ParallelConfig(this);
        }
    }
}
