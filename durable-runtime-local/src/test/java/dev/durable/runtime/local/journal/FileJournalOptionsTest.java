package dev.durable.runtime.local.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FileJournalOptionsTest {
    @Test
    void theDefaultsAreSyncWithATwoMillisecondWindowAndSixtyFourMegabyteSegments() {
        FileJournalOptions defaults = FileJournalOptions.defaults();
        assertThat(defaults.durability()).isEqualTo(Durability.SYNC);
        assertThat(defaults.batchWindow()).isEqualTo(Duration.ofMillis(2));
        assertThat(defaults.segmentSize()).isEqualTo(64L << 20);
        assertThat(defaults.automaticCompaction()).isTrue();
        assertThat(defaults.preallocate()).isTrue();
        assertThat(defaults.storage()).isSameAs(JournalStorage.DISK);
        assertThat(defaults)
                .hasToString("FileJournalOptions[durability=SYNC, batchWindow=PT0.002S,"
                        + " segmentSize=67108864, automaticCompaction=true, preallocate=true]");
    }

    @Test
    void eachSettingChangesOnlyItselfAndLeavesTheOriginalAsItWas() {
        FileJournalOptions defaults = FileJournalOptions.defaults();
        JournalStorage storage = new JournalStorage() {};
        FileJournalOptions changed = defaults.durability(Durability.BATCHED)
                .batchWindow(Duration.ofMillis(7))
                .segmentSize(8192)
                .automaticCompaction(false)
                .storage(storage);
        assertThat(changed.durability()).isEqualTo(Durability.BATCHED);
        assertThat(changed.batchWindow()).isEqualTo(Duration.ofMillis(7));
        assertThat(changed.segmentSize()).isEqualTo(8192);
        assertThat(changed.automaticCompaction()).isFalse();
        assertThat(changed.preallocate()).isTrue();
        assertThat(changed.storage()).isSameAs(storage);
        assertThat(defaults.durability()).isEqualTo(Durability.SYNC);
        assertThat(defaults.segmentSize()).isEqualTo(64L << 20);
        assertThat(defaults.automaticCompaction()).isTrue();
        assertThat(changed.segmentSize(4096).storage()).isSameAs(storage);
        assertThat(changed.automaticCompaction(true).batchWindow()).isEqualTo(Duration.ofMillis(7));
        assertThat(changed.batchWindow(Duration.ZERO).durability()).isEqualTo(Durability.BATCHED);
    }

    @Test
    void segmentSizesFromFourKilobytesToOneGigabyteAreAccepted() {
        assertThat(FileJournalOptions.defaults().segmentSize(4096).segmentSize())
                .isEqualTo(4096);
        assertThat(FileJournalOptions.defaults().segmentSize(1L << 30).segmentSize())
                .isEqualTo(1L << 30);
        assertThatThrownBy(() -> FileJournalOptions.defaults().segmentSize(4095))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the segment size must be between 4096 and 1073741824 bytes; got 4095");
        assertThatThrownBy(() -> FileJournalOptions.defaults().segmentSize((1L << 30) + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("got 1073741825");
    }

    @Test
    void batchWindowsFromZeroToOneSecondAreAccepted() {
        assertThat(FileJournalOptions.defaults().batchWindow(Duration.ZERO).batchWindow())
                .isZero();
        assertThat(FileJournalOptions.defaults()
                        .batchWindow(Duration.ofSeconds(1))
                        .batchWindow())
                .isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> FileJournalOptions.defaults().batchWindow(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the batch window must be between 0 and 1 second; got PT-0.000000001S");
        assertThatThrownBy(() -> FileJournalOptions.defaults()
                        .batchWindow(Duration.ofSeconds(1).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileJournalOptions.defaults().durability(null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FileJournalOptions.defaults().storage(null)).isInstanceOf(NullPointerException.class);
    }
}
