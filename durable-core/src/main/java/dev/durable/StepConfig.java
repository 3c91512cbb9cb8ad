package dev.durable;

import dev.durable.annotations.StepSemantics;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How a step runs: retry strategy, at-least-once or at-most-once semantics, serializer, and the version of its
 * result's shape with migrations from older versions.
 *
 * <pre>{@code
 * StepConfig.builder().retry(RetryPolicy.builder().maxAttempts(5).build())
 *     .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY).build();
 * }</pre>
 *
 * <p>When a step's result type changes in a way its journaled values do not convert to (a field renamed or retyped,
 * another type altogether), give the new shape the next result version and say how an older value becomes a new
 * one; executions in flight then replay the old value through the migration:
 *
 * <pre>{@code
 * Quote q = ctx.step("quote", Quote.class, s -> pricing.quote(order), StepConfig.builder()
 *     .resultVersion(2)
 *     .migrateFrom(1, QuoteV1.class, old -> new Quote(new Money(old.price(), "EUR")))
 *     .build());
 * }</pre>
 */
public final class StepConfig {
    private static final StepConfig DEFAULT = builder().build();

    private final RetryStrategy retry;
    private final StepSemantics semantics;
    private final SerDes serdes;
    private final int resultVersion;
    private final Map<Integer, Migration> migrations;

    private StepConfig(Builder b) {
        this.retry = b.retry;
        this.semantics = b.semantics;
        this.serdes = b.serdes;
        this.resultVersion = b.resultVersion;
        this.migrations = Collections.unmodifiableMap(new TreeMap<>(b.migrations));
    }

    /** {@link RetryPolicy#defaults()}, at-least-once, the runtime's serializer, result version 1. */
    public static StepConfig defaults() {
        return DEFAULT;
    }

    public static Builder builder() {
        return new Builder();
    }

    public RetryStrategy retry() {
        return retry;
    }

    public StepSemantics semantics() {
        return semantics;
    }

    /** The step's own serializer, or {@code null} for the runtime's. */
    public SerDes serdes() {
        return serdes;
    }

    /** The version of the result's shape, journaled with each result; 1 unless set. */
    public int resultVersion() {
        return resultVersion;
    }

    /** The migrations from older result versions, by the version each converts from. */
    public Map<Integer, Migration> migrations() {
        return migrations;
    }

    /**
     * How a result journaled at an older version becomes a value of the step's current result type: the journaled
     * text is read as {@link #oldType()} with the step's serializer, then {@link #migrate converted}.
     */
    public static final class Migration {
        private final int from;
        private final Type oldType;
        private final Function<Object, ?> convert;

        private Migration(int from, Type oldType, Function<Object, ?> convert) {
            this.from = from;
            this.oldType = oldType;
            this.convert = convert;
        }

        /** The result version this migration converts from. */
        public int from() {
            return from;
        }

        /** The type a result of version {@link #from()} is read as. */
        public Type oldType() {
            return oldType;
        }

        /** Converts a value read as {@link #oldType()} into the step's current result type. */
        public Object migrate(Object old) {
            return convert.apply(old);
        }
    }

    /** Builds a {@link StepConfig}. */
    public static final class Builder {
        private RetryStrategy retry = RetryPolicy.defaults();
        private StepSemantics semantics = StepSemantics.AT_LEAST_ONCE_PER_RETRY;
        private SerDes serdes;
        private int resultVersion = 1;
        private final Map<Integer, Migration> migrations = new TreeMap<>();

        private Builder() {}

        public Builder retry(RetryStrategy retry) {
            this.retry = Objects.requireNonNull(retry, "retry must not be null");
            return this;
        }

        public Builder semantics(StepSemantics semantics) {
            this.semantics = Objects.requireNonNull(semantics, "semantics must not be null");
            return this;
        }

        public Builder serdes(SerDes serdes) {
            this.serdes = serdes;
            return this;
        }

        /**
         * The version of the result's shape (default 1), journaled with each result. Raise it when the result type
         * changes in a way journaled values no longer read as, and add a {@link #migrateFrom migration} from each
         * older version executions in flight may hold. A replay that meets a version with no migration, or a version
         * newer than this one (older code deployed again), holds its execution
         * {@link ExecutionStatus#BLOCKED} with an {@link IncompatibleStepResultException}.
         */
        public Builder resultVersion(int version) {
            if (version < 1) {
                throw new IllegalArgumentException(
                        "resultVersion is " + version + ": result versions count from 1 (the version of every result"
                                + " journaled before versions were given)");
            }
            this.resultVersion = version;
            return this;
        }

        /**
         * Converts a result journaled at result version {@code version} into the current result type: the journaled
         * value is read as {@code oldType} (which may be {@code JsonNode} with the default serializer), then passed to
         * {@code migration}, whose return value the step returns on replay.
         *
         * <pre>{@code
         * .resultVersion(2).migrateFrom(1, QuoteV1.class, old -> new Quote(new Money(old.price(), "EUR")))
         * }</pre>
         */
        public <O> Builder migrateFrom(int version, Class<O> oldType, Function<? super O, ?> migration) {
            return migrateFrom(version, (Type) Objects.requireNonNull(oldType, "oldType must not be null"), migration);
        }

        /** {@link #migrateFrom(int, Class, Function)} for an old type with type parameters. */
        public <O> Builder migrateFrom(int version, TypeToken<O> oldType, Function<? super O, ?> migration) {
            return migrateFrom(
                    version,
                    Objects.requireNonNull(oldType, "oldType must not be null").type(),
                    migration);
        }

        @SuppressWarnings("unchecked")
        private Builder migrateFrom(int version, Type oldType, Function<?, ?> migration) {
            Objects.requireNonNull(migration, "migration must not be null");
            if (version < 1) {
                throw new IllegalArgumentException("a migration from result version " + version
                        + " converts nothing: result versions count from 1");
            }
            if (migrations.containsKey(version)) {
                throw new IllegalArgumentException("two migrations from result version " + version
                        + ": keep one, which converts such a result into the current result type");
            }
            migrations.put(version, new Migration(version, oldType, (Function<Object, ?>) migration));
            return this;
        }

        /**
         * @throws IllegalArgumentException if a migration converts from the current result version or a later one
         */
        public StepConfig build() {
            for (int from : migrations.keySet()) {
                if (from >= resultVersion) {
                    throw new IllegalArgumentException("a migration from result version " + from + " needs a"
                            + " current result version above it, and it is " + resultVersion
                            + ": call resultVersion(" + (from + 1) + ") or higher, or remove the migration");
                }
            }
            return new StepConfig(this);
        }
    }
}
