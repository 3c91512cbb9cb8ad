package dev.durable;

import java.util.List;

/**
 * What {@code parallel} or {@code map} produced: each branch's outcome in order, and why the whole completed.
 *
 * @param items one entry per branch or item, in order
 * @param completionReason why the whole completed
 */
public record BatchResult<T>(List<BatchItem<T>> items, CompletionReason completionReason) {
    /** Why a batch completed. */
    public enum CompletionReason {
        ALL_COMPLETED,
        MIN_SUCCESSFUL_REACHED,
        FAILURE_TOLERANCE_EXCEEDED
    }

    public BatchResult {
        items = List.copyOf(items);
    }

    /** Results of the successful branches, in order. */
    public List<T> results() {
        return items.stream()
                .filter(i -> i.status() == BatchItem.Status.SUCCEEDED)
                .map(BatchItem::result)
                .toList();
    }

    public List<BatchItem<T>> succeeded() {
        return items.stream()
                .filter(i -> i.status() == BatchItem.Status.SUCCEEDED)
                .toList();
    }

    public List<BatchItem<T>> failed() {
        return items.stream().filter(i -> i.status() == BatchItem.Status.FAILED).toList();
    }

    public int successCount() {
        return succeeded().size();
    }

    public int failureCount() {
        return failed().size();
    }

    /** Whether any branch failed. */
    public boolean hasFailure() {
        return items.stream().anyMatch(i -> i.status() == BatchItem.Status.FAILED);
    }

    /** Throws a {@link StepFailedException} describing the first failed branch, if any; returns this otherwise. */
    public BatchResult<T> throwIfFailed() {
        for (BatchItem<T> i : items) {
            if (i.status() == BatchItem.Status.FAILED) {
                throw new StepFailedException(
                        "branch " + i.index() + " failed: " + i.error().summary() + " (" + failureCount() + " of "
                                + items.size() + " failed)",
                        i.error(),
                        null);
            }
        }
        return this;
    }
}
