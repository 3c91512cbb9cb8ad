package dev.durable;

/**
 * The outcome of one branch of {@code parallel} or one item of {@code map}.
 *
 * @param index position of the branch or item
 * @param status how it ended
 * @param result its result when {@link Status#SUCCEEDED}
 * @param error its failure when {@link Status#FAILED}
 */
public record BatchItem<T>(int index, Status status, T result, ErrorInfo error) {
    /** How a branch ended. */
    public enum Status {
        SUCCEEDED,
        FAILED,
        /** Started, but the whole completed before it did (it is suspended or was still running). */
        STARTED,
        /** Never started because the whole completed first. */
        NOT_STARTED
    }
}
