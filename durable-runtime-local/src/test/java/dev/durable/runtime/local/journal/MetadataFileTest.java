package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's and the index snapshot's files: replaced whole, read back whole, checked by their last 4 bytes. */
class MetadataFileTest {
    @TempDir
    Path dir;

    @Test
    void aBodyPutTogetherInPiecesLargerThanItsBufferIsReadBackWholeWithAChecksumThatMatches() throws IOException {
        byte[] hundred = new byte[100];
        byte[] thousand = new byte[1000];
        Arrays.fill(hundred, (byte) 'h');
        Arrays.fill(thousand, (byte) 't');
        MetadataFile.Buffer out = new MetadataFile.Buffer(4);
        out.write('a');
        out.write(hundred, 0, hundred.length); // more than twice the buffer
        out.write('b');
        out.write(thousand, 10, 990);
        for (int i = 0; i < 40; i++) {
            out.write('0' + i % 10); // one byte at a time past the end of the buffer
        }
        byte[] expected = new byte[1 + 100 + 1 + 990 + 40];
        expected[0] = 'a';
        Arrays.fill(expected, 1, 101, (byte) 'h');
        expected[101] = 'b';
        Arrays.fill(expected, 102, 1092, (byte) 't');
        for (int i = 0; i < 40; i++) {
            expected[1092 + i] = (byte) ('0' + i % 10);
        }

        MetadataFile.replace(JournalStorage.DISK, dir, "meta", MetadataFile.withChecksum(out));
        byte[] back = MetadataFile.readIfExists(JournalStorage.DISK, dir, "meta");

        assertThat(Arrays.copyOf(back, back.length - 4)).isEqualTo(expected);
        assertThat(MetadataFile.checksumMatches(back)).isTrue();
        back[500] ^= 1;
        assertThat(MetadataFile.checksumMatches(back)).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("meta")); // no temporary file left
        }
    }

    @Test
    void aFileTooShortToHoldAChecksumDoesNotMatchButAnEmptyBodyWithItsChecksumDoes() throws IOException {
        assertThat(MetadataFile.checksumMatches(new byte[3])).isFalse();
        byte[] empty = MetadataFile.withChecksum(new MetadataFile.Buffer(0));
        assertThat(empty).hasSize(4);
        assertThat(MetadataFile.checksumMatches(empty)).isTrue();
        assertThat(MetadataFile.readIfExists(JournalStorage.DISK, dir, "missing"))
                .isNull();
    }

    @Test
    void aReplaceThatFailsWritingKeepsTheOldFileAndLeavesNoTemporaryFileBehind() throws IOException {
        byte[] old = MetadataFile.withChecksum(new MetadataFile.Buffer(0));
        MetadataFile.replace(JournalStorage.DISK, dir, "meta", old);
        JournalStorage full = new JournalStorage() {
            @Override
            public StorageFile open(Path file, boolean create) throws IOException {
                return new StorageFile.OfChannel((StorageFile.OfChannel) JournalStorage.super.open(file, create)) {
                    @Override
                    public int write(ByteBuffer src, long position) throws IOException {
                        throw new IOException("No space left on device");
                    }
                };
            }
        };

        assertThatThrownBy(() -> MetadataFile.replace(full, dir, "meta", new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(IOException.class)
                .hasMessage("No space left on device");

        assertThat(MetadataFile.readIfExists(JournalStorage.DISK, dir, "meta")).isEqualTo(old);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("meta"));
        }
    }
}
