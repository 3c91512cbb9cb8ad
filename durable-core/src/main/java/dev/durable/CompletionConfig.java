package dev.durable;

/**
 * When a {@code parallel} or {@code map} is done. Evaluated after each branch finishes: it stops as soon as
 * {@code minSuccessful} branches succeeded, or as soon as failures exceed the tolerated count or percentage;
 * otherwise when every branch has finished. Branches not started by then are not started.
 *
 * @param minSuccessful stop after this many successes, or {@code null}
 * @param toleratedFailureCount stop when more branches than this failed, or {@code null}
 * @param toleratedFailurePercentage stop when more than this percentage of all branches failed, or {@code null}
 */
public record CompletionConfig(
        Integer minSuccessful, Integer toleratedFailureCount, Double toleratedFailurePercentage) {
    public CompletionConfig {
        if (minSuccessful != null && minSuccessful < 1) {
            throw new IllegalArgumentException("minSuccessful must be at least 1, was " + minSuccessful);
        }
        if (toleratedFailureCount != null && toleratedFailureCount < 0) {
            throw new IllegalArgumentException(
                    "toleratedFailureCount must not be negative, was " + toleratedFailureCount);
        }
        if (toleratedFailurePercentage != null
                && !(toleratedFailurePercentage >= 0 && toleratedFailurePercentage <= 100)) {
            throw new IllegalArgumentException(
                    "toleratedFailurePercentage must be within 0..100, was " + toleratedFailurePercentage);
        }
    }

    /** Run every branch; failures are reported in the result. The default. */
    public static CompletionConfig allCompleted() {
        return new CompletionConfig(null, null, null);
    }

    /** Stop at the first failure. */
    public static CompletionConfig allSuccessful() {
        return new CompletionConfig(null, 0, null);
    }

    /** Stop at the first success. */
    public static CompletionConfig firstSuccessful() {
        return new CompletionConfig(1, null, null);
    }

    /** Stop after {@code n} successes. */
    public static CompletionConfig minSuccessful(int n) {
        return new CompletionConfig(n, null, null);
    }

    /** Stop when more than {@code n} branches failed. */
    public static CompletionConfig toleratedFailures(int n) {
        return new CompletionConfig(null, n, null);
    }

    /** Stop when more than {@code percent}% of all branches failed. */
    public static CompletionConfig toleratedFailurePercentage(double percent) {
        return new CompletionConfig(null, null, percent);
    }
}
