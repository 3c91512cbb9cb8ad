package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.durable.AttemptInfo;
import dev.durable.CallbackFailedException;
import dev.durable.ErrorInfo;
import dev.durable.ExecutionDetails;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import dev.durable.OperationInfo;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.JournalHistory;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import dev.durable.spi.journal.RecordType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the inspection of a journal (CLI, test kit) reports for each operation, and which changes it refuses as
 * damage: the legal transitions of an operation.
 */
class JournalFoldingTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final List<JournalRecord> records = new ArrayList<>();

    JournalFoldingTest() {
        records.add(EventCodec.execution(
                RecordType.EXECUTION_STARTED, "x", ExecutionEvent.started("f", "\"in\"", T0, null, null)));
    }

    private JournalFoldingTest op(String id, OpEvent e) {
        records.add(EventCodec.operation("x", id, e));
        return this;
    }

    private static OpEvent event(OpType type, String name, OpStatus status, int second) {
        return OpEvent.of(type, name, status, T0.plusSeconds(second));
    }

    private ExecutionDetails details() {
        return JournalHistory.details("x", records);
    }

    private OperationInfo only() {
        return details().operations().get(0);
    }

    private void assertRefused(String problem) {
        assertThatThrownBy(this::details)
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(problem)
                .hasMessageContaining(". The journal was damaged or edited; inspect it with the CLI's verify and show"
                        + " commands and restore the directory from a backup");
    }

    @Test
    void aRecordOfAnotherKindForTheSameOperationIsRefused() {
        op("1", event(OpType.STEP, "a", OpStatus.STARTED, 0).attempt(1));
        op("1", event(OpType.WAIT, "a", OpStatus.SUCCEEDED, 1));
        assertRefused("the journal record SUCCEEDED of operation 1 of execution 'x' is not a legal change: it says WAIT"
                + " but the operation is a STEP");
    }

    @Test
    void aRecordNamingTheOperationDifferentlyIsRefused() {
        op("2", event(OpType.WAIT, "nap", OpStatus.STARTED, 0));
        op("2", event(OpType.WAIT, "rest", OpStatus.SUCCEEDED, 1));
        assertRefused("is not a legal change: it names the operation 'rest' but it is 'nap'");
    }

    @Test
    void nothingChangesAnOperationThatFailed() {
        op("1", event(OpType.STEP, "a", OpStatus.FAILED, 0).attempt(1).error(ErrorInfo.of("E", "boom")));
        op("1", event(OpType.STEP, "a", OpStatus.SUCCEEDED, 1).attempt(2).result("1"));
        assertRefused("it changes the operation to SUCCEEDED after it had ended as FAILED");
    }

    @Test
    void aHeartbeatIsRefusedForAnythingButACallback() {
        op("1", event(OpType.STEP, "a", OpStatus.STARTED, 0).attempt(1));
        op("1", event(OpType.STEP, "a", OpStatus.HEARTBEAT, 1));
        assertRefused("a heartbeat is only recorded for a callback");
    }

    @Test
    void aRetryIsRefusedForAnythingButAStepOrAPoll() {
        op("1", event(OpType.WAIT, "w", OpStatus.STARTED, 0));
        op("1", event(OpType.WAIT, "w", OpStatus.RETRY, 1));
        assertRefused("only steps and waitForCondition retry");
    }

    @Test
    void aCallbackHeartbeatIsLegalAndLeavesTheCallbackWaiting() {
        op(
                "1",
                event(OpType.CALLBACK, "approve", OpStatus.STARTED, 0)
                        .callback("cb-1", Duration.ofSeconds(5), "java.lang.String")
                        .until(T0.plusSeconds(60)));
        op("1", event(OpType.CALLBACK, "approve", OpStatus.HEARTBEAT, 3));
        ExecutionDetails d = details();
        assertThat(d.info().status()).isEqualTo(ExecutionStatus.WAITING);
        OperationInfo cb = d.operations().get(0);
        assertThat(cb.status()).isEqualTo("STARTED");
        assertThat(cb.updatedAt()).isEqualTo(T0);
        assertThat(cb.callbackId()).isEqualTo("cb-1");
        assertThat(cb.waitUntil()).isEqualTo(T0.plusSeconds(60));
        assertThat(cb.attempts()).isEmpty();
    }

    @Test
    void pollsRetryAndListTheirAttempts() {
        op(
                "1",
                event(OpType.WAIT_FOR_CONDITION, "p", OpStatus.RETRY, 0)
                        .attempt(1)
                        .result("1")
                        .until(T0.plusSeconds(5)));
        op(
                "1",
                event(OpType.WAIT_FOR_CONDITION, "p", OpStatus.SUCCEEDED, 5)
                        .attempt(2)
                        .result("2"));
        OperationInfo p = only();
        assertThat(p.status()).isEqualTo("SUCCEEDED");
        assertThat(p.attempt()).isEqualTo(2);
        assertThat(p.result()).isEqualTo("2");
        assertThat(p.waitUntil()).isEqualTo(T0.plusSeconds(5));
        assertThat(p.attempts())
                .extracting(AttemptInfo::attempt, AttemptInfo::status)
                .containsExactly(tuple(1, "RETRY"), tuple(2, "SUCCEEDED"));
        assertThat(p.isDone()).isTrue();
    }

    @Test
    void aCallbackWhosePayloadDidNotConvertMayFailAfterSucceedingButNothingElseMay() {
        ErrorInfo unreadable = ErrorInfo.of(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE, "not a Decision");
        op("1", event(OpType.CALLBACK, "c", OpStatus.STARTED, 0).callback("cb", null, "X"));
        op("1", event(OpType.CALLBACK, "c", OpStatus.SUCCEEDED, 1).result("{\"kep\":1}"));
        op("1", event(OpType.CALLBACK, "c", OpStatus.FAILED, 2).error(unreadable));
        OperationInfo c = only();
        assertThat(c.status()).isEqualTo("FAILED");
        assertThat(c.error().type()).isEqualTo(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE);
        assertThat(c.result()).isEqualTo("{\"kep\":1}");
        assertThat(details().info().status()).isEqualTo(ExecutionStatus.RUNNING);

        records.remove(records.size() - 1);
        op("1", event(OpType.CALLBACK, "c", OpStatus.FAILED, 2).error(ErrorInfo.of("Other", "no")));
        assertRefused("it changes the operation to FAILED after it had ended as SUCCEEDED");
        records.remove(records.size() - 1);
        op("1", event(OpType.CALLBACK, "c", OpStatus.FAILED, 2));
        assertRefused("after it had ended as SUCCEEDED");
        records.remove(records.size() - 1);
        op("1", event(OpType.CALLBACK, "c", OpStatus.SUCCEEDED, 2).error(unreadable));
        assertRefused("it changes the operation to SUCCEEDED after it had ended as SUCCEEDED");
    }

    @Test
    void aStepThatSucceededCannotBeMarkedUnreadableLikeACallback() {
        op("1", event(OpType.STEP, "a", OpStatus.SUCCEEDED, 0).attempt(1).result("1"));
        op(
                "1",
                event(OpType.STEP, "a", OpStatus.FAILED, 1)
                        .attempt(1)
                        .error(ErrorInfo.of(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE, "x")));
        assertRefused("after it had ended as SUCCEEDED");
    }

    @Test
    void aCallbackThatFailedForAnotherReasonStaysFailedWhenTheExecutionIsRetried() {
        op("1", event(OpType.CALLBACK, "c", OpStatus.STARTED, 0).callback("cb", null, "X"));
        op("1", event(OpType.CALLBACK, "c", OpStatus.FAILED, 1).error(ErrorInfo.of("Rejected", "no")));
        op("2", event(OpType.CALLBACK, "d", OpStatus.STARTED, 0).callback("cb2", null, "X"));
        op("2", event(OpType.CALLBACK, "d", OpStatus.SUCCEEDED, 1).result("{}"));
        op(
                "2",
                event(OpType.CALLBACK, "d", OpStatus.FAILED, 2)
                        .error(ErrorInfo.of(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE, "bad")));
        records.add(EventCodec.execution(
                RecordType.EXECUTION_FINISHED,
                "x",
                ExecutionEvent.finished(
                        ExecutionStatus.FAILED, T0.plusSeconds(3), null, ErrorInfo.of("Rejected", "no"))));
        assertThat(details().info().status()).isEqualTo(ExecutionStatus.FAILED);
        records.add(EventCodec.execution(
                RecordType.EXECUTION_RETRIED,
                "x",
                ExecutionEvent.finished(ExecutionStatus.RUNNING, T0.plusSeconds(4), null, null)));
        ExecutionDetails d = details();
        // the failed callback runs again (it is gone); the unreadable one waits again for a payload
        assertThat(d.operations())
                .extracting(OperationInfo::id, OperationInfo::status)
                .containsExactly(tuple("2", "STARTED"));
        assertThat(d.operations().get(0).result()).isNull();
        assertThat(d.operations().get(0).error()).isNull();
        assertThat(d.info().status()).isEqualTo(ExecutionStatus.WAITING);
        assertThat(d.error()).isNull();
        assertThat(d.info().finishedAt()).isNull();
    }

    @Test
    void aStepsAttemptsAreListedWithTheStartOfAnAtMostOnceAttemptReplacedByItsOutcome() {
        op("1", event(OpType.STEP, "pay", OpStatus.STARTED, 0).attempt(1));
        op(
                "1",
                event(OpType.STEP, "pay", OpStatus.RETRY, 1)
                        .attempt(1)
                        .error(ErrorInfo.of("E", "first"))
                        .until(T0.plusSeconds(10)));
        assertThat(only().error().message()).isEqualTo("first");
        assertThat(details().info().status()).isEqualTo(ExecutionStatus.WAITING);
        op("1", event(OpType.STEP, "pay", OpStatus.STARTED, 10).attempt(2));
        assertThat(only().error()).isNull();
        assertThat(details().info().status()).isEqualTo(ExecutionStatus.RUNNING);
        op("1", event(OpType.STEP, "pay", OpStatus.SUCCEEDED, 11).attempt(2).result("\"ok\""));
        OperationInfo pay = only();
        assertThat(pay.attempts())
                .extracting(AttemptInfo::attempt, AttemptInfo::status)
                .containsExactly(tuple(1, "RETRY"), tuple(2, "SUCCEEDED"));
        assertThat(pay.attempts().get(0).error().message()).isEqualTo("first");
        assertThat(pay.startedAt()).isEqualTo(T0);
        assertThat(pay.updatedAt()).isEqualTo(T0.plusSeconds(11));
        assertThat(pay.attempt()).isEqualTo(2);
        assertThat(pay.error()).isNull();
        assertThat(pay.waitUntil()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void aFailedAttemptKeepsItsErrorUntilTheNextAttemptStarts() {
        op("1", event(OpType.STEP, "a", OpStatus.RETRY, 0).attempt(1).error(ErrorInfo.of("E", "one")));
        op("1", event(OpType.STEP, "a", OpStatus.RETRY, 1).attempt(2));
        assertThat(only().error().message()).isEqualTo("one");
        op("1", event(OpType.STEP, "a", OpStatus.FAILED, 2).attempt(3).error(ErrorInfo.of("E", "three")));
        assertThat(only().error().message()).isEqualTo("three");
        assertThat(only().attempts()).hasSize(3);
    }

    @Test
    void operationsOtherThanStepsAndPollsHaveNoAttemptsAndKeepTheirChild() {
        op("1", event(OpType.INVOKE, "call", OpStatus.STARTED, 0).child("x/1"));
        op("1", event(OpType.INVOKE, "call", OpStatus.SUCCEEDED, 1).result("3"));
        op("2", event(OpType.CONTEXT, "sub", OpStatus.SUCCEEDED, 2).attempt(1).result("\"r\""));
        ExecutionDetails d = details();
        assertThat(d.operations()).extracting(OperationInfo::childExecution).containsExactly("x/1", null);
        assertThat(d.operations()).allSatisfy(o -> assertThat(o.attempts()).isEmpty());
        assertThat(d.operation("sub")).get().extracting(OperationInfo::id).isEqualTo("2");
        assertThat(d.operation("2")).get().extracting(OperationInfo::name).isEqualTo("sub");
        assertThat(d.operation("none")).isEmpty();
        assertThat(d.operations("call")).hasSize(1);
        assertThat(d.info().status()).isEqualTo(ExecutionStatus.RUNNING);
    }

    @Test
    void waitingIsReportedForPendingWaitsCallbacksInvokesAndRetriesOnly() {
        op("1", event(OpType.INVOKE, "call", OpStatus.STARTED, 0).child("x/1"));
        assertThat(details().info().status()).isEqualTo(ExecutionStatus.WAITING);
        records.subList(1, records.size()).clear();
        op("1", event(OpType.WAIT, "nap", OpStatus.STARTED, 0).until(T0.plusSeconds(9)));
        assertThat(details().info().status()).isEqualTo(ExecutionStatus.WAITING);
        records.subList(1, records.size()).clear();
        op("1", event(OpType.STEP, "a", OpStatus.STARTED, 0).attempt(1));
        assertThat(details().info().status()).isEqualTo(ExecutionStatus.RUNNING);
        records.subList(1, records.size()).clear();
        op("1", event(OpType.CONTEXT, "c", OpStatus.STARTED, 0));
        assertThat(details().info().status()).isEqualTo(ExecutionStatus.RUNNING);
    }

    @Test
    void recordsWithoutTheStartOfTheirExecutionAreReportedAsDamage() {
        records.remove(0);
        op("1", event(OpType.STEP, "a", OpStatus.SUCCEEDED, 0).attempt(1).result("1"));
        assertThatThrownBy(this::details)
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("the journal holds records of execution 'x' but not the record of its start");
    }
}
