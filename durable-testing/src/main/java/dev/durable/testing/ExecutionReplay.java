package dev.durable.testing;

/**
 * How one saved execution replayed against the current code, as {@link JournalReplayer} reports it.
 *
 * @param execution the execution's name
 * @param function the durable function it runs
 * @param verdict OK, DIVERGED, RESULT_DIFFERS or SKIPPED
 * @param operationId where it diverged (DIVERGED), else {@code null}
 * @param journaled what the journal holds at that operation, e.g. {@code STEP 'charge' SUCCEEDED}
 * @param performed what the code performed there instead, e.g. {@code STEP 'reserve' (at Orders.handle(Orders.java:31))}
 * @param expected the outcome the journal holds, e.g. {@code SUCCEEDED with {"id":7}} or {@code WAITING}
 * @param actual the outcome of the replay
 * @param message what happened, in a sentence (for DIVERGED, the message of the
 *     {@link dev.durable.NonDeterministicExecutionException})
 */
public record ExecutionReplay(
        String execution,
        String function,
        Verdict verdict,
        String operationId,
        String journaled,
        String performed,
        String expected,
        String actual,
        String message) {

    /** The outcome of replaying one execution. */
    public enum Verdict {
        /** The code replays the journal: same operations, and for an ended execution the same result. */
        OK,
        /** The code performs a different operation than the journal holds at {@link #operationId()}. */
        DIVERGED,
        /** The code replays the operations but ends differently (result, failure, or not at all). */
        RESULT_DIFFERS,
        /** Not replayed: no function of that name is registered, or the records cannot be read. */
        SKIPPED
    }

    /** Whether the verdict is {@link Verdict#OK}. */
    public boolean isOk() {
        return verdict == Verdict.OK;
    }

    /** One line for a report. */
    @Override
    public String toString() {
        String head = execution + " (" + function + "): " + verdict;
        return switch (verdict) {
            case OK, SKIPPED -> head + ": " + message;
            case DIVERGED ->
                head + " at operation " + operationId + ": the journal holds " + journaled + ", the code performs "
                        + performed;
            case RESULT_DIFFERS ->
                head + ": the journal holds " + expected + ", the replay " + actual
                        + (message == null ? "" : " (" + message + ")");
        };
    }
}
