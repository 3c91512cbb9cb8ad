package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.RecordType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private static final byte[] SALT = Segment.saltBytes(0x5EED_5A17L);
    private final CRC32C crc = new CRC32C();
    private final Random random = new Random(20261127);

    private JournalRecord randomRecord() {
        RecordType type = RecordType.values()[random.nextInt(RecordType.values().length)];
        byte[] payload = new byte[random.nextInt(300)];
        random.nextBytes(payload);
        return new JournalRecord(type, randomId(40), random.nextBoolean() ? "" : randomId(12), payload);
    }

    private String randomId(int maxLength) {
        StringBuilder id = new StringBuilder();
        int length = random.nextInt(maxLength) + 1;
        for (int i = 0; i < length; i++) {
            id.appendCodePoint(random.nextInt(10) == 0 ? 0x4E00 + random.nextInt(100) : 'a' + random.nextInt(26));
        }
        return id.toString();
    }

    private byte[] sealed(JournalRecord record) {
        byte[] frame = RecordCodec.encode(record);
        RecordCodec.seal(frame, SALT, true, crc);
        return frame;
    }

    @Test
    void everyRecordReadsBackAsItWasWritten() {
        for (int i = 0; i < 2000; i++) {
            JournalRecord record = randomRecord();
            byte[] frame = sealed(record);
            assertThat(RecordCodec.check(frame, 0, frame.length, SALT, crc)).isEqualTo(frame.length);
            JournalRecord back = RecordCodec.decode(frame, 0);
            assertThat(back.type()).isEqualTo(record.type());
            assertThat(back.executionId()).isEqualTo(record.executionId());
            assertThat(back.operationId()).isEqualTo(record.operationId());
            assertThat(back.payload()).isEqualTo(record.payload());
        }
    }

    @Test
    void anySingleDamagedByteIsDetected() {
        for (int i = 0; i < 200; i++) {
            byte[] frame = sealed(randomRecord());
            for (int at = 0; at < frame.length; at++) {
                byte[] damaged = frame.clone();
                damaged[at] ^= (byte) (1 + random.nextInt(255));
                assertThat(RecordCodec.check(damaged, 0, damaged.length, SALT, crc))
                        .as("byte %d", at)
                        .isNegative();
            }
        }
    }

    @Test
    void everyShortenedFrameIsIncompleteNotValid() {
        byte[] frame = sealed(randomRecord());
        for (int length = 0; length < frame.length; length++) {
            int r = RecordCodec.check(Arrays.copyOf(frame, length), 0, length, SALT, crc);
            assertThat(RecordCodec.needsMoreBytes(r))
                    .as("length %d gave %s", length, RecordCodec.describe(r))
                    .isTrue();
        }
    }

    @Test
    void aFrameFromAnotherGenerationOfTheFileDoesNotCheckOut() {
        byte[] frame = sealed(randomRecord());
        byte[] otherSalt = Segment.saltBytes(0x5EED_5A18L);
        assertThat(RecordCodec.check(frame, 0, frame.length, otherSalt, crc)).isEqualTo(RecordCodec.BAD_CHECKSUM);
    }

    @Test
    void zeroedSpaceIsUnwrittenNotARecord() {
        byte[] zeros = new byte[64];
        assertThat(RecordCodec.check(zeros, 0, zeros.length, SALT, crc)).isEqualTo(RecordCodec.UNWRITTEN);
        assertThat(RecordCodec.check(zeros, 0, 5, SALT, crc)).isEqualTo(RecordCodec.UNWRITTEN);
    }

    @Test
    void idsTooLongForTheFormatAreRefusedBeforeAnythingIsWritten() {
        String longId = "x".repeat(RecordCodec.MAX_ID_BYTES + 1);
        assertThatThrownBy(() -> RecordCodec.encode(
                        new JournalRecord(RecordType.OPERATION, longId, "1", "{}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65535 bytes");
    }

    @Test
    void theSegmentHeaderRoundTripsAndNamesSortBySequence() {
        assertThat(Segment.sequenceOf(Segment.fileName(0x1234))).isEqualTo(0x1234);
        assertThat(Segment.fileName(9).compareTo(Segment.fileName(10))).isNegative();
        assertThat(Segment.sequenceOf("segment-12.log")).isEqualTo(-1);
        assertThat(Segment.sequenceOf(Segment.fileName(3) + ".torn-20260101T000000000Z"))
                .isEqualTo(-1);
        long position = Segment.position(7, 123_456);
        assertThat(Segment.sequenceOfPosition(position)).isEqualTo(7);
        assertThat(Segment.offsetOfPosition(position)).isEqualTo(123_456);
    }

    /** Several sealed frames one after another, as in a segment, starting {@code lead} bytes into the buffer. */
    private static byte[] laidOut(int lead, byte[]... frames) {
        int length = lead;
        for (byte[] f : frames) {
            length += f.length;
        }
        byte[] buf = new byte[length];
        Arrays.fill(buf, 0, lead, (byte) 0x7F);
        int at = lead;
        for (byte[] f : frames) {
            System.arraycopy(f, 0, buf, at, f.length);
            at += f.length;
        }
        return buf;
    }

    @Test
    void recordsReadBackWhereverTheyStartInTheBuffer() {
        JournalRecord first =
                new JournalRecord(RecordType.OPERATION, "order-1", "1", "first".getBytes(StandardCharsets.UTF_8));
        JournalRecord second = new JournalRecord(RecordType.EXECUTION_FINISHED, "order-22", "", new byte[0]);
        JournalRecord third = new JournalRecord(
                RecordType.OPERATION, "", "op", "third, longer payload".getBytes(StandardCharsets.UTF_8));
        byte[][] frames = {sealed(first), sealed(second), sealed(third)};
        byte[] buf = laidOut(13, frames);
        int at = 13;
        for (int i = 0; i < frames.length; i++) {
            JournalRecord expected = List.of(first, second, third).get(i);
            assertThat(RecordCodec.check(buf, at, buf.length, SALT, crc))
                    .as("record %d", i)
                    .isEqualTo(frames[i].length);
            assertThat(RecordCodec.executionId(buf, at)).isEqualTo(expected.executionId());
            JournalRecord back = RecordCodec.decode(buf, at);
            assertThat(back.type()).isEqualTo(expected.type());
            assertThat(back.executionId()).isEqualTo(expected.executionId());
            assertThat(back.operationId()).isEqualTo(expected.operationId());
            assertThat(back.payload()).isEqualTo(expected.payload());
            at += frames[i].length;
        }
        assertThat(RecordCodec.check(buf, 13, buf.length - 1, SALT, crc))
                .as("the first, whole in a shorter buffer")
                .isEqualTo(frames[0].length);
    }

    @Test
    void onlyTheRecordSealedAsTheEndOfACommitGroupSaysSo() {
        byte[] inside = RecordCodec.encode(new JournalRecord(RecordType.OPERATION, "e", "1", new byte[] {1}));
        RecordCodec.seal(inside, SALT, false, crc);
        byte[] last = RecordCodec.encode(new JournalRecord(RecordType.OPERATION, "e", "2", new byte[] {2}));
        RecordCodec.seal(last, SALT, true, crc);
        byte[] buf = laidOut(3, inside, last);
        assertThat(RecordCodec.check(buf, 3, buf.length, SALT, crc)).isEqualTo(inside.length);
        assertThat(RecordCodec.isGroupEnd(buf, 3)).isFalse();
        assertThat(RecordCodec.check(buf, 3 + inside.length, buf.length, SALT, crc))
                .isEqualTo(last.length);
        assertThat(RecordCodec.isGroupEnd(buf, 3 + inside.length)).isTrue();
    }

    @Test
    void sealingAgainForAnotherSegmentMovesTheRecordThere() {
        byte[] frame = sealed(randomRecord());
        byte[] otherSalt = Segment.saltBytes(-2L);
        RecordCodec.seal(frame, otherSalt, false, crc);
        assertThat(RecordCodec.check(frame, 0, frame.length, otherSalt, crc)).isEqualTo(frame.length);
        assertThat(RecordCodec.check(frame, 0, frame.length, SALT, crc)).isEqualTo(RecordCodec.BAD_CHECKSUM);
    }

    /** A frame with the given fields and a valid checksum, as a writer with another idea of the format would seal. */
    private byte[] forged(int bodyLength, byte type, int execLength, int opLength) {
        byte[] frame = new byte[RecordCodec.FRAME_HEADER + Math.max(bodyLength, RecordCodec.BODY_FIXED)];
        RecordCodec.putInt(frame, 0, bodyLength);
        frame[8] = type;
        frame[10] = (byte) execLength;
        frame[11] = (byte) (execLength >>> 8);
        frame[12] = (byte) opLength;
        frame[13] = (byte) (opLength >>> 8);
        RecordCodec.putInt(frame, 4, RecordCodec.checksum(frame, 0, bodyLength, SALT, crc));
        return frame;
    }

    @Test
    void aRecordOfUnknownTypeIsRejectedEvenWithAValidChecksum() {
        byte operation = RecordType.OPERATION.code();
        assertThat(RecordCodec.check(forged(8, operation, 1, 1), 0, 16, SALT, crc))
                .isEqualTo(16);
        assertThat(RecordCodec.check(forged(8, RecordCodec.FORGOTTEN, 1, 1), 0, 16, SALT, crc))
                .isEqualTo(16);
        for (byte type : new byte[] {0, 0x3F, 0x41, (byte) 0xFF}) {
            if (RecordType.fromCode(type) == null) {
                assertThat(RecordCodec.check(forged(8, type, 1, 1), 0, 16, SALT, crc))
                        .as("type %d", type)
                        .isEqualTo(RecordCodec.BAD_TYPE);
            }
        }
    }

    @Test
    void idLengthsBeyondTheRecordAreRejectedAndIdsFillingItExactlyAreNot() {
        byte type = RecordType.OPERATION.code();
        assertThat(RecordCodec.check(forged(10, type, 2, 2), 0, 18, SALT, crc))
                .as("ids fill the body")
                .isEqualTo(18);
        assertThat(RecordCodec.check(forged(10, type, 3, 2), 0, 18, SALT, crc)).isEqualTo(RecordCodec.BAD_IDS);
        assertThat(RecordCodec.check(forged(10, type, 2, 3), 0, 18, SALT, crc)).isEqualTo(RecordCodec.BAD_IDS);
        assertThat(RecordCodec.check(forged(10, type, 0xFFFF, 0), 0, 18, SALT, crc))
                .as("lengths are unsigned")
                .isEqualTo(RecordCodec.BAD_IDS);
        assertThat(RecordCodec.check(forged(10, type, 0, 0xFFFF), 0, 18, SALT, crc))
                .isEqualTo(RecordCodec.BAD_IDS);
    }

    @Test
    void lengthsBelowTheFixedFieldsOrAboveTheLimitAreDamageAndTheSmallestRecordIsNot() {
        byte type = RecordType.OPERATION.code();
        byte[] smallest = forged(RecordCodec.BODY_FIXED, type, 0, 0);
        assertThat(RecordCodec.check(smallest, 0, smallest.length, SALT, crc)).isEqualTo(RecordCodec.MIN_FRAME);
        JournalRecord empty = RecordCodec.decode(smallest, 0);
        assertThat(empty.executionId()).isEmpty();
        assertThat(empty.operationId()).isEmpty();
        assertThat(empty.payload()).isEmpty();

        byte[] tooShort = forged(RecordCodec.BODY_FIXED - 1, type, 0, 0);
        assertThat(RecordCodec.check(tooShort, 0, tooShort.length, SALT, crc)).isEqualTo(RecordCodec.BAD_LENGTH);
        byte[] negative = new byte[64];
        RecordCodec.putInt(negative, 0, -1);
        assertThat(RecordCodec.check(negative, 0, 64, SALT, crc)).isEqualTo(RecordCodec.BAD_LENGTH);
        byte[] huge = new byte[64];
        RecordCodec.putInt(huge, 0, RecordCodec.MAX_BODY + 1);
        assertThat(RecordCodec.check(huge, 0, 64, SALT, crc)).isEqualTo(RecordCodec.BAD_LENGTH);
        byte[] largest = new byte[64];
        RecordCodec.putInt(largest, 0, RecordCodec.MAX_BODY);
        assertThat(RecordCodec.check(largest, 0, 64, SALT, crc))
                .as("in range, the rest still to come")
                .isEqualTo(RecordCodec.TRUNCATED);
        assertThat(RecordCodec.needsMoreBytes(RecordCodec.TRUNCATED)).isTrue();
    }

    @Test
    void aDamagedLengthFieldIsCaughtByTheChecksum() {
        byte[] frame = sealed(
                new JournalRecord(RecordType.OPERATION, "e", "1", "0123456789".getBytes(StandardCharsets.UTF_8)));
        byte[] buf = laidOut(0, frame, new byte[16]);
        RecordCodec.putInt(buf, 0, RecordCodec.bodyLength(frame, 0) - 4); // still frames ids and part of the payload
        assertThat(RecordCodec.check(buf, 0, buf.length, SALT, crc)).isEqualTo(RecordCodec.BAD_CHECKSUM);
    }

    @Test
    void onlyAnEndInsideTheRecordAsksForMoreBytes() {
        assertThat(RecordCodec.needsMoreBytes(RecordCodec.TRUNCATED_HEADER)).isTrue();
        assertThat(RecordCodec.needsMoreBytes(RecordCodec.TRUNCATED)).isTrue();
        for (int reason : new int[] {
            RecordCodec.UNWRITTEN,
            RecordCodec.BAD_LENGTH,
            RecordCodec.BAD_CHECKSUM,
            RecordCodec.BAD_TYPE,
            RecordCodec.BAD_IDS
        }) {
            assertThat(RecordCodec.needsMoreBytes(reason))
                    .as(RecordCodec.describe(reason))
                    .isFalse();
        }
    }

    @Test
    void aFewNonZeroBytesAtTheEndAreATruncatedHeaderAndZerosAreUnwritten() {
        byte[] buf = new byte[16];
        assertThat(RecordCodec.check(buf, 16, 16, SALT, crc))
                .as("nothing left")
                .isEqualTo(RecordCodec.TRUNCATED_HEADER);
        assertThat(RecordCodec.check(buf, 9, 16, SALT, crc)).isEqualTo(RecordCodec.UNWRITTEN);
        buf[15] = 1;
        assertThat(RecordCodec.check(buf, 9, 16, SALT, crc)).isEqualTo(RecordCodec.TRUNCATED_HEADER);
        buf[15] = 0;
        buf[9] = 1;
        assertThat(RecordCodec.check(buf, 9, 16, SALT, crc)).isEqualTo(RecordCodec.TRUNCATED_HEADER);
        assertThat(RecordCodec.check(buf, 8, 16, SALT, crc))
                .as("a whole header, its record going on past the end")
                .isEqualTo(RecordCodec.TRUNCATED);
    }

    @Test
    void eachReasonIsDescribedForTheErrorMessage() {
        assertThat(RecordCodec.describe(RecordCodec.TRUNCATED_HEADER))
                .isEqualTo("the file ends inside a record header");
        assertThat(RecordCodec.describe(RecordCodec.UNWRITTEN))
                .isEqualTo("unwritten (zero) bytes where a record should start");
        assertThat(RecordCodec.describe(RecordCodec.BAD_LENGTH)).isEqualTo("a record length out of range");
        assertThat(RecordCodec.describe(RecordCodec.TRUNCATED)).isEqualTo("the file ends inside a record");
        assertThat(RecordCodec.describe(RecordCodec.BAD_CHECKSUM)).isEqualTo("a record whose checksum does not match");
        assertThat(RecordCodec.describe(RecordCodec.BAD_TYPE)).isEqualTo("a record of unknown type");
        assertThat(RecordCodec.describe(RecordCodec.BAD_IDS)).isEqualTo("a record whose id lengths exceed its size");
        assertThat(RecordCodec.describe(-99)).isEqualTo("an invalid record (-99)");
    }

    @Test
    void idsOfExactlyTheLimitAreKeptAndOneByteMoreInEitherIsRefused() {
        String limit = "x".repeat(RecordCodec.MAX_ID_BYTES);
        byte[] frame = sealed(new JournalRecord(RecordType.OPERATION, limit, limit, new byte[] {42}));
        JournalRecord back = RecordCodec.decode(frame, 0);
        assertThat(back.executionId()).isEqualTo(limit);
        assertThat(back.operationId()).isEqualTo(limit);
        assertThat(back.payload()).containsExactly(42);

        assertThatThrownBy(() ->
                        RecordCodec.encode(new JournalRecord(RecordType.OPERATION, "e", limit + "é", new byte[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("execution and operation ids are limited to 65535 bytes of UTF-8; got 1 and 65537");
    }

    @Test
    void aPayloadFillingTheLargestRecordIsKeptAndOneByteMoreIsRefusedNamingTheOperation() {
        int fixed = RecordCodec.BODY_FIXED + "big".length() + "7".length();
        byte[] largest = new byte[RecordCodec.MAX_BODY - fixed];
        largest[largest.length - 1] = 9;
        byte[] frame = RecordCodec.encode(new JournalRecord(RecordType.OPERATION, "big", "7", largest));
        assertThat(frame).hasSize(RecordCodec.FRAME_HEADER + RecordCodec.MAX_BODY);
        RecordCodec.seal(frame, SALT, true, crc);
        assertThat(RecordCodec.check(frame, 0, frame.length, SALT, crc)).isEqualTo(frame.length);
        assertThat(RecordCodec.decode(frame, 0).payload()).isEqualTo(largest);

        byte[] tooBig = new byte[largest.length + 1];
        assertThatThrownBy(() -> RecordCodec.encode(new JournalRecord(RecordType.OPERATION, "big", "7", tooBig)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a journal record is limited to " + RecordCodec.MAX_BODY
                        + " bytes; execution big operation 7" + " has a payload of " + tooBig.length + " bytes");
    }

    @Test
    void aRecordCutShortAfterOthersInTheBufferIsIncomplete() {
        byte[] frame = sealed(new JournalRecord(
                RecordType.OPERATION, "e", "1", "a payload of some length".getBytes(StandardCharsets.UTF_8)));
        byte[] buf = laidOut(13, frame);
        for (int missing = 1; missing < frame.length - RecordCodec.FRAME_HEADER; missing++) {
            assertThat(RecordCodec.check(buf, 13, buf.length - missing, SALT, crc))
                    .as("%d bytes missing", missing)
                    .isEqualTo(RecordCodec.TRUNCATED);
        }
    }

    @Test
    void theSaltAndTheSegmentHeaderFieldsAreLittleEndianAsDocumented() {
        assertThat(Segment.saltBytes(0x0102030405060708L)).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        byte[] header = Segment.header(0x1122L, 0x0102030405060708L);
        assertThat(new String(header, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("DJOURNAL");
        assertThat(RecordCodec.getInt(header, 8)).isEqualTo(Segment.VERSION);
        assertThat(RecordCodec.getLong(header, 12)).isEqualTo(0x1122L);
        assertThat(RecordCodec.getLong(header, 20)).isEqualTo(0x0102030405060708L);
        assertThat(Arrays.copyOfRange(header, 12, 14)).containsExactly(0x22, 0x11);
        assertThat(Arrays.copyOfRange(header, 8, 12)).containsExactly(Segment.VERSION, 0, 0, 0);
    }

    @Test
    void theChecksumCoversTheSaltTheLengthFieldAndTheBodyAsDocumented() {
        byte[] frame =
                sealed(new JournalRecord(RecordType.OPERATION, "order-1", "3", "{}".getBytes(StandardCharsets.UTF_8)));
        CRC32C documented = new CRC32C(); // computed here from the format's description, not by the codec
        documented.update(SALT);
        documented.update(frame, 0, 4);
        documented.update(frame, RecordCodec.FRAME_HEADER, frame.length - RecordCodec.FRAME_HEADER);
        assertThat(RecordCodec.getInt(frame, 4)).isEqualTo((int) documented.getValue());
    }

    /** The record of {@code written}, read by a reader that expects execution {@code expected}. */
    private JournalRecord readExpecting(String written, String operationId, String expected) {
        byte[] frame = sealed(new JournalRecord(RecordType.OPERATION, written, operationId, new byte[] {1}));
        return RecordCodec.decode(laidOut(5, frame), 5, expected);
    }

    @Test
    void aRecordReadForTheExecutionAReaderExpectsStillNamesTheExecutionItWasWrittenFor() {
        // A reader names the execution it expects so that a record of another one (a wrong index) is noticed.
        assertThat(readExpecting("order-1", "1", "order-1").executionId()).isEqualTo("order-1");
        assertThat(readExpecting("注文-1", "1", "注文-1").executionId()).isEqualTo("注文-1");
        assertThat(readExpecting("order-2", "1", "order-1").executionId()).isEqualTo("order-2");
        assertThat(readExpecting("b", "1", "a").executionId()).isEqualTo("b");
        assertThat(readExpecting("order-12", "1", "order-1").executionId()).isEqualTo("order-12");
        assertThat(readExpecting("order-1", "1", "order-12").executionId()).isEqualTo("order-1");
        assertThat(readExpecting("é", "1", "e\u0301").executionId()).isEqualTo("é");
        assertThat(readExpecting("ab", "1", "é").executionId()).isEqualTo("ab");
        // an operation id whose length field ends in the byte 'b', just before the execution id "ac"
        assertThat(readExpecting("ac", "x".repeat(0x6200), "ab").executionId()).isEqualTo("ac");
    }

    @Test
    void anExecutionIdOfInvalidUtf8ReadsAsReplacementCharactersWhateverTheReaderExpects() {
        byte[] frame = RecordCodec.encode(new JournalRecord(RecordType.OPERATION, "x", "1", new byte[0]));
        frame[RecordCodec.MIN_FRAME] = (byte) 0x80; // a lone continuation byte, as damage or another writer may leave
        RecordCodec.seal(frame, SALT, true, crc);
        assertThat(RecordCodec.check(frame, 0, frame.length, SALT, crc)).isEqualTo(frame.length);
        assertThat(RecordCodec.decode(frame, 0, "\u0080").executionId()).isEqualTo("\uFFFD");
        assertThat(RecordCodec.decode(frame, 0).executionId()).isEqualTo("\uFFFD");
    }
}
