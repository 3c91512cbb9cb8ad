package dev.durable.runtime.local.journal;

import static dev.durable.runtime.local.journal.FileJournalTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.durable.JournalException;
import dev.durable.spi.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultTest {
    @TempDir
    Path dir;

    private final FaultyStorage disk = new FaultyStorage();

    private FileJournal openFaulty() {
        return FileJournal.open(dir, FileJournalOptions.defaults().storage(disk));
    }

    @Test
    void aFailedForcePoisonsTheJournalAndLaterAppendsFailFastWithTheOriginalCause() {
        IOException fsyncFailed = new IOException("Input/output error");
        try (FileJournal journal = openFaulty()) {
            journal.append(record("a", "1", "acknowledged"));
            assertThat(journal.failure()).isEmpty();
            disk.failNextForce(fsyncFailed);

            assertThatThrownBy(() -> journal.append(record("a", "2", "not acknowledged")))
                    .isInstanceOf(JournalException.class)
                    .hasCause(fsyncFailed);
            assertThat(journal.failure()).as("for health checks").containsSame(fsyncFailed);
            int writes = disk.writes();
            int forces = disk.forces();

            Throwable later = catchThrowable(() -> journal.append(record("a", "3", "refused")));
            assertThat(later)
                    .isInstanceOf(JournalException.class)
                    .hasCause(fsyncFailed)
                    .hasMessageContaining("open it again");
            assertThat(catchThrowable(() -> journal.forget(List.of("a")))).hasCause(fsyncFailed);
            assertThat(disk.writes()).as("no write after the failure").isEqualTo(writes);
            assertThat(disk.forces()).as("the failed force is never retried").isEqualTo(forces);
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a"))
                    .extracting(JournalRecord::payloadText)
                    .startsWith("acknowledged")
                    .doesNotContain("refused");
        }
    }

    @Test
    void aFailedWritePoisonsTheJournal() {
        IOException failure = new IOException("write failed");
        try (FileJournal journal = openFaulty()) {
            journal.append(record("a", "1", "acknowledged"));
            disk.failNextWrite(failure);
            assertThatThrownBy(() -> journal.append(record("a", "2", "lost"))).hasCause(failure);
            assertThatThrownBy(() -> journal.append(record("a", "3", "refused")))
                    .hasCause(failure);
            assertThat(journal.read("a")).extracting(JournalRecord::payloadText).containsExactly("acknowledged");
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a")).extracting(JournalRecord::payloadText).containsExactly("acknowledged");
            journal.append(record("a", "2", "after restart"));
        }
    }

    @Test
    void shortWritesAreCompletedNotMistakenForSuccess() {
        disk.shortWrites();
        try (FileJournal journal = openFaulty()) {
            for (int i = 0; i < 20; i++) {
                journal.append(record("a", Integer.toString(i), "payload " + i));
            }
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a")).hasSize(20);
        }
    }

    @Test
    void aDiskFullInTheMiddleOfARecordLeavesATornTailThatReopenRepairs() throws IOException {
        IOException full = new IOException("No space left on device");
        try (FileJournal journal = openFaulty()) {
            journal.append(record("a", "1", "acknowledged"));
            disk.fillUpAfter(11, full);
            assertThatThrownBy(() -> journal.append(record("a", "2", "half written")))
                    .hasCause(full);
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a")).extracting(JournalRecord::payloadText).containsExactly("acknowledged");
            journal.append(record("a", "2", "after restart"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().contains(".torn-")))
                    .singleElement()
                    .satisfies(p -> assertThat(Files.size(p)).isEqualTo(11));
        }
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThat(journal.read("a"))
                    .extracting(JournalRecord::payloadText)
                    .containsExactly("acknowledged", "after restart");
        }
    }

    @Test
    void anOpenThatFailsToCreateItsFirstSegmentReleasesTheDirectory() {
        IOException failure = new IOException("Input/output error");
        disk.failNextForce(failure);
        assertThatThrownBy(this::openFaulty)
                .isInstanceOf(JournalException.class)
                .hasCause(failure);
        try (FileJournal journal = openFaulty()) {
            journal.append(record("a", "1", "x"));
        }
    }

    @Test
    void everyWriterWaitingOnAFailedGroupGetsTheFailure() throws Exception {
        IOException failure = new IOException("Input/output error");
        int threads = 8;
        try (FileJournal journal = openFaulty()) {
            journal.append(record("warm", "1", "x"));
            disk.failNextForce(failure);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Throwable>> outcomes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String execution = "e" + t;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; ; i++) {
                        try {
                            journal.append(record(execution, Integer.toString(i), "v"));
                        } catch (JournalException e) {
                            return e.getCause();
                        }
                    }
                }));
            }
            start.countDown();
            for (Future<Throwable> outcome : outcomes) {
                assertThat(outcome.get()).isSameAs(failure);
            }
            pool.shutdown();
        }
    }
}
