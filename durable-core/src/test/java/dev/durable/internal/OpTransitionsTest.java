package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackFailedException;
import dev.durable.ErrorInfo;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpTransitions;
import dev.durable.spi.journal.OpType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one table of legal operation changes, as the engine checks what it journals against it. */
class OpTransitionsTest {
    private static OpEvent event(OpType type, OpStatus status) {
        return OpEvent.of(type, "op", status, Instant.EPOCH);
    }

    @Test
    void everyKindHasAFirstRecordAndNothingFollowsAnEnd() {
        for (OpType type : OpType.values()) {
            assertThat(OpTransitions.next(type, null)).as(type.name()).isNotEmpty();
            assertThat(OpTransitions.next(type, OpStatus.FAILED))
                    .as(type.name())
                    .isEmpty();
        }
        assertThat(OpTransitions.next(OpType.STEP, OpStatus.SUCCEEDED)).isEmpty();
        assertThat(OpTransitions.next(OpType.CALLBACK, OpStatus.SUCCEEDED)).containsExactly(OpStatus.FAILED);
    }

    @Test
    void aChangeOutsideTheTableIsNamedWithTheChangesThatWouldBeLegal() {
        assertThat(OpTransitions.problem(OpType.WAIT, null, event(OpType.WAIT, OpStatus.SUCCEEDED)))
                .isEqualTo("an operation of kind WAIT begins with STARTED, not SUCCEEDED");
        assertThat(OpTransitions.problem(OpType.INVOKE, OpStatus.STARTED, event(OpType.INVOKE, OpStatus.STARTED)))
                .isEqualTo(
                        "an operation of kind INVOKE that is STARTED changes only to SUCCEEDED or FAILED, not STARTED");
        assertThat(OpTransitions.problem(OpType.STEP, OpStatus.RETRY, event(OpType.STEP, OpStatus.STARTED)))
                .isNull();
    }

    @Test
    void aCallbackFailsAfterSucceedingOnlyWhenItsPayloadDidNotConvert() {
        OpEvent unreadable = event(OpType.CALLBACK, OpStatus.FAILED)
                .error(ErrorInfo.of(CallbackFailedException.PAYLOAD_NOT_CONVERTIBLE, "not a Decision"));
        assertThat(OpTransitions.isLegal(OpType.CALLBACK, OpStatus.SUCCEEDED, unreadable))
                .isTrue();
        assertThat(OpTransitions.isLegal(
                        OpType.CALLBACK,
                        OpStatus.SUCCEEDED,
                        event(OpType.CALLBACK, OpStatus.FAILED).error(ErrorInfo.of("Rejected", "no"))))
                .isFalse();
    }

    @Test
    void theEngineRefusesToJournalAnIllegalChangeLoudly() {
        assertThatThrownBy(() -> Op.checkLegal(
                        OpType.NOW,
                        OpStatus.SUCCEEDED,
                        event(OpType.NOW, OpStatus.SUCCEEDED),
                        "operation 3 'now' of execution 'x'"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the engine tried to journal SUCCEEDED for operation 3 'now' of execution 'x', which is not"
                        + " a legal change: it changes the operation to SUCCEEDED after it had ended as SUCCEEDED;"
                        + " nothing was journaled");
    }
}
