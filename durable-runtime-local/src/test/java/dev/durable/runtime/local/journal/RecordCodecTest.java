package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.core.journal.JournalRecord;
import dev.durable.core.journal.RecordType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
                assertThat(RecordCodec.check(damaged, 0, damaged.length, SALT, crc)).as("byte %d", at).isNegative();
            }
        }
    }

    @Test
    void everyShortenedFrameIsIncompleteNotValid() {
        byte[] frame = sealed(randomRecord());
        for (int length = 0; length < frame.length; length++) {
            int r = RecordCodec.check(Arrays.copyOf(frame, length), 0, length, SALT, crc);
            assertThat(RecordCodec.needsMoreBytes(r)).as("length %d gave %s", length, RecordCodec.describe(r)).isTrue();
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
        assertThatThrownBy(() -> RecordCodec.encode(new JournalRecord(RecordType.OPERATION, longId, "1",
                "{}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535 bytes");
    }

    @Test
    void theSegmentHeaderRoundTripsAndNamesSortBySequence() {
        assertThat(Segment.sequenceOf(Segment.fileName(0x1234))).isEqualTo(0x1234);
        assertThat(Segment.fileName(9).compareTo(Segment.fileName(10))).isNegative();
        assertThat(Segment.sequenceOf("segment-12.log")).isEqualTo(-1);
        assertThat(Segment.sequenceOf(Segment.fileName(3) + ".torn-20260101T000000000Z")).isEqualTo(-1);
        long position = Segment.position(7, 123_456);
        assertThat(Segment.sequenceOfPosition(position)).isEqualTo(7);
        assertThat(Segment.offsetOfPosition(position)).isEqualTo(123_456);
    }
}
