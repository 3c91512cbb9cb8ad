package dev.durable.spi.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.ErrorInfo;
import dev.durable.ExecutionStatus;
import dev.durable.JournalException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's record payloads: every field read back as written, older JSON records still read, damage named. */
class EventCodecTest {
    private static final Instant AT = Instant.parse("2026-03-04T05:06:07.123456789Z");
    private static final ErrorInfo ERROR = new ErrorInfo(
            "java.lang.IllegalStateException",
            "out of stock: \"widget\"",
            List.of("a.B.c(B.java:1)"),
            new ErrorInfo("java.io.IOException", "cut", List.of(), null));

    private static OpEvent everyOperationField() {
        return new OpEvent(
                OpType.CALLBACK,
                "approve ✓",
                OpStatus.STARTED,
                7,
                AT,
                "{\"total\":12.5,\"note\":\"é\\n\"}",
                ERROR,
                AT.plus(Duration.ofDays(400)),
                "0f3a9c",
                Duration.ofSeconds(90, 5),
                "com.example.Decision",
                "child-1",
                true,
                3);
    }

    @Test
    void anOperationWithEveryFieldReadsBackEqual() {
        OpEvent e = everyOperationField();
        JournalRecord r = EventCodec.operation("order-1", "3", e);
        assertThat(EventCodec.readOperation(r)).isEqualTo(e);
        assertThat(r.payload()).hasSizeLessThan(EventCodec.write(e).length);
    }

    @Test
    void anOperationWithOnlyItsTypeReadsBackWithEveryOtherFieldNull() {
        OpEvent e =
                new OpEvent(OpType.WAIT, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(EventCodec.readOperation(EventCodec.operation("x", "1", e))).isEqualTo(e);
    }

    @Test
    void numbersAndInstantsKeepTheirSignAndEveryNanosecond() {
        Instant before1970 = Instant.parse("1901-12-13T20:45:52.000000001Z");
        OpEvent e = new OpEvent(
                OpType.STEP,
                "",
                OpStatus.RETRY,
                Integer.MIN_VALUE,
                before1970,
                "",
                null,
                Instant.MAX,
                "",
                Duration.ofSeconds(-5, 999_999_999),
                "",
                "",
                false,
                -1);
        assertThat(EventCodec.readOperation(EventCodec.operation("x", "1", e))).isEqualTo(e);
    }

    @Test
    void executionStartsEndsAndSuspensionsReadBackEqual() {
        ExecutionEvent start = ExecutionEvent.started("orders", 3, "{\"id\":42}", AT, "parent-1", "4");
        ExecutionEvent end = ExecutionEvent.finished(ExecutionStatus.FAILED, AT, null, ERROR);
        SuspendedEvent waiting = new SuspendedEvent(AT, List.of("cb-1", "cb-2"), 17);
        SuspendedEvent forever = new SuspendedEvent(null, List.of(), 0);
        assertThat(EventCodec.readExecution(EventCodec.execution(RecordType.EXECUTION_STARTED, "e", start)))
                .isEqualTo(start);
        assertThat(EventCodec.readExecution(EventCodec.execution(RecordType.EXECUTION_FINISHED, "e", end)))
                .isEqualTo(end);
        assertThat(EventCodec.readSuspended(EventCodec.suspended("e", waiting))).isEqualTo(waiting);
        assertThat(EventCodec.readSuspended(EventCodec.suspended("e", forever))).isEqualTo(forever);
    }

    @Test
    void recordsWrittenAsJsonByEarlierVersionsAreStillRead() {
        OpEvent op = everyOperationField();
        ExecutionEvent start = ExecutionEvent.started("orders", "{\"id\":42}", AT, null, null);
        SuspendedEvent waiting = new SuspendedEvent(AT, List.of("cb-1"), 2);
        assertThat(EventCodec.readOperation(new JournalRecord(RecordType.OPERATION, "e", "1", EventCodec.write(op))))
                .isEqualTo(op);
        assertThat(EventCodec.readExecution(
                        new JournalRecord(RecordType.EXECUTION_STARTED, "e", "", EventCodec.write(start))))
                .isEqualTo(start);
        assertThat(EventCodec.readSuspended(
                        new JournalRecord(RecordType.EXECUTION_SUSPENDED, "e", "", EventCodec.write(waiting))))
                .isEqualTo(waiting);
    }

    @Test
    void onlyOperationsHoldingACallbackIdMayCreateACallback() {
        OpEvent callback = everyOperationField();
        OpEvent step = OpEvent.of(OpType.STEP, "charge", OpStatus.SUCCEEDED, AT);
        assertThat(EventCodec.mayCreateCallback(EventCodec.operation("e", "1", callback)))
                .isTrue();
        assertThat(EventCodec.mayCreateCallback(EventCodec.operation("e", "1", step)))
                .isFalse();
        assertThat(EventCodec.mayCreateCallback(
                        new JournalRecord(RecordType.OPERATION, "e", "1", EventCodec.write(callback))))
                .isTrue();
        assertThat(EventCodec.mayCreateCallback(
                        new JournalRecord(RecordType.OPERATION, "e", "1", EventCodec.write(step))))
                .isFalse();
        assertThat(EventCodec.mayCreateCallback(EventCodec.execution(
                        RecordType.EXECUTION_STARTED, "e", ExecutionEvent.started("f", "1", AT, null, null))))
                .isFalse();
    }

    @Test
    void aBinaryPayloadReadsAsTheJsonOfItsEvent() {
        JournalRecord r = EventCodec.operation(
                "e",
                "1",
                OpEvent.of(OpType.STEP, "charge", OpStatus.SUCCEEDED, AT).result("\"ok\""));
        assertThat(r.payloadText())
                .isEqualTo("{\"type\":\"STEP\",\"name\":\"charge\",\"status\":\"SUCCEEDED\","
                        + "\"at\":\"2026-03-04T05:06:07.123456789Z\",\"result\":\"\\\"ok\\\"\"}");
        assertThat(r.toString()).startsWith("OPERATION e op 1 {\"type\":\"STEP\"");
        assertThat(new JournalRecord(RecordType.OPERATION, "e", "1", "plain".getBytes(StandardCharsets.UTF_8))
                        .payloadText())
                .isEqualTo("plain");
    }

    @Test
    void aCutPayloadIsRefusedNamingItsExecutionAndOperation() {
        byte[] whole =
                EventCodec.operation("order-7", "5", everyOperationField()).payload();
        JournalRecord cut = new JournalRecord(RecordType.OPERATION, "order-7", "5", Arrays.copyOf(whole, 20));
        assertThatThrownBy(() -> EventCodec.readOperation(cut))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("journal record of execution 'order-7' operation '5' has an unreadable payload")
                .hasMessageContaining(" bytes at byte ")
                .hasMessageContaining(" of 20)");
    }

    @Test
    void aPayloadWithFieldsOfANewerVersionIsRefusedSayingSo() {
        byte[] payload = EventCodec.suspended("e", new SuspendedEvent(null, List.of(), 1))
                .payload();
        byte[] newer = Arrays.copyOf(payload, payload.length);
        newer[2] = (byte) (newer[2] | 0x08); // a fourth field
        JournalRecord r = new JournalRecord(RecordType.EXECUTION_SUSPENDED, "e", "", newer);
        assertThatThrownBy(() -> EventCodec.readSuspended(r))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("written by a newer version of Durable");
    }

    @Test
    void aPayloadOfAnotherKindIsRefused() {
        JournalRecord start = EventCodec.execution(
                RecordType.EXECUTION_STARTED, "e", ExecutionEvent.started("f", "1", AT, null, null));
        JournalRecord asOperation = new JournalRecord(RecordType.OPERATION, "e", "1", start.payload());
        assertThatThrownBy(() -> EventCodec.readOperation(asOperation))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("a payload of kind 2 where kind 1 was expected");
    }

    @Test
    void textsThatUtf8CannotHoldReadBackExactly() {
        String lone = "bad\uD800 and \uDC00 alone, \uD83D\uDE00 paired";
        ExecutionEvent start = ExecutionEvent.started("f", "\"" + lone + "\"", AT, null, null);
        OpEvent step = OpEvent.of(OpType.STEP, lone, OpStatus.SUCCEEDED, AT).result("\"" + lone + "\"");
        assertThat(EventCodec.readExecution(EventCodec.execution(RecordType.EXECUTION_STARTED, "e", start))
                        .input())
                .isEqualTo("\"" + lone + "\"");
        assertThat(EventCodec.readOperation(EventCodec.operation("e", "1", step)))
                .isEqualTo(step);
        OpEvent plain = OpEvent.of(OpType.STEP, "caf\u00e9 \uD83D\uDE00", OpStatus.SUCCEEDED, AT);
        assertThat(EventCodec.readOperation(EventCodec.operation("e", "1", plain)))
                .isEqualTo(plain);
    }

    @Test
    void textIsStoredAsUtf8AndOnlyTextUtf8CannotHoldTakesTwoBytesACharacter() {
        String ascii = "a".repeat(1000);
        assertThat(EventCodec.operation(
                                "e",
                                "1",
                                OpEvent.of(OpType.STEP, "s", OpStatus.SUCCEEDED, AT)
                                        .result(ascii))
                        .payload())
                .hasSizeLessThan(1100);
        String paired = "a\uD83D\uDE00".repeat(200); // 5 bytes of UTF-8, 6 of UTF-16 each
        assertThat(EventCodec.operation(
                                "e",
                                "1",
                                OpEvent.of(OpType.STEP, "s", OpStatus.SUCCEEDED, AT)
                                        .result(paired))
                        .payload())
                .hasSizeLessThan(1100);
        for (String lone : List.of("x\uD83D", "\uDE00x", "\uD83D", "a\uDE00\uD83D")) {
            OpEvent e = OpEvent.of(OpType.STEP, lone, OpStatus.SUCCEEDED, AT).result(lone);
            assertThat(EventCodec.readOperation(EventCodec.operation("e", "1", e)))
                    .as(lone)
                    .isEqualTo(e);
        }
    }

    @Test
    void aBinaryPayloadWithNoFieldsReadsAsAnEventWithNone() {
        JournalRecord empty = new JournalRecord(RecordType.OPERATION, "e", "1", new byte[] {0x02, 1, 0});
        assertThat(EventCodec.readOperation(empty))
                .isEqualTo(new OpEvent(
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null));
    }

    @Test
    void payloadsRenderAsTextWhateverTheyHold() {
        assertThat(EventCodec.text(RecordType.OPERATION, "{\"type\":\"STEP\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"type\":\"STEP\"}");
        assertThat(EventCodec.text(RecordType.OPERATION, new byte[] {0x02})).isEqualTo("<1 bytes of type OPERATION>");
        assertThat(EventCodec.text(RecordType.OPERATION, new byte[] {0x02, 9, 0}))
                .isEqualTo("<3 bytes of type OPERATION>");
        assertThat(EventCodec.text(RecordType.OPERATION, new byte[] {0x02, 1, (byte) 0x80}))
                .startsWith("<3 unreadable bytes: ");
    }

    @Test
    void aJsonOperationMayCreateACallbackWhenItNamesACallbackIdAnywhereEvenAtItsVeryEnd() {
        byte[] exactly = "\"callbackId\"".getBytes(StandardCharsets.UTF_8);
        assertThat(EventCodec.mayCreateCallback(new JournalRecord(RecordType.OPERATION, "e", "1", exactly)))
                .isTrue();
        byte[] shorter = "\"callbackI\"".getBytes(StandardCharsets.UTF_8);
        assertThat(EventCodec.mayCreateCallback(new JournalRecord(RecordType.OPERATION, "e", "1", shorter)))
                .isFalse();
    }

    @Test
    void anEmptyPayloadIsRefusedNamingItsRecord() {
        JournalRecord empty = new JournalRecord(RecordType.OPERATION, "order-9", "2", new byte[0]);
        assertThatThrownBy(() -> EventCodec.readOperation(empty))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("journal record of execution 'order-9' operation '2' has an unreadable payload");
        assertThat(EventCodec.text(RecordType.OPERATION, new byte[0])).isEmpty();
    }
}
