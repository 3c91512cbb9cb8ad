package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.ChildContextConfig;
import dev.durable.Durable;
import dev.durable.ExecutionDetails;
import dev.durable.ManualClock;
import dev.durable.OperationInfo;
import dev.durable.ParallelConfig;
import dev.durable.StepConfig;
import dev.durable.TypeToken;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.ExecutionEvent;
import dev.durable.spi.journal.Journal;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.journal.RecordType;
import dev.durable.spi.plugin.DurablePlugin;
import dev.durable.spi.plugin.OperationEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Small contracts of the API and SPI that users and backends rely on. */
class ApiContractsTest {

    private static JournalRecord started(String execution) {
        return EventCodec.execution(
                RecordType.EXECUTION_STARTED,
                execution,
                ExecutionEvent.started("f", "\"in\"", Instant.EPOCH, null, null));
    }

    @Test
    void aJournalThatOnlyReadsWholeHistoriesStillAnswersFirstLastAndCount() {
        Journal minimal = new EngineResourcesTest.CommittingJournal();
        JournalRecord one = started("a");
        JournalRecord two = EventCodec.execution(
                RecordType.EXECUTION_RETRIED, "a", ExecutionEvent.started("f", "\"in\"", Instant.EPOCH, null, null));
        minimal.append(one);
        minimal.append(two);
        assertThat(minimal.first("a")).isEqualTo(one);
        assertThat(minimal.last("a")).isEqualTo(two);
        assertThat(minimal.count("a")).isEqualTo(2);
        assertThat(minimal.first("none")).isNull();
        assertThat(minimal.last("none")).isNull();
        assertThat(minimal.count("none")).isZero();
    }

    @Test
    void aMemoryJournalListsEveryRecordInAppendOrder() {
        MemoryJournal journal = new MemoryJournal();
        journal.append(started("a"));
        journal.append(started("b"));
        journal.append(started("a2"));
        assertThat(journal.all()).extracting(JournalRecord::executionId).containsExactly("a", "b", "a2");
    }

    @Test
    void anExecutionStartedAtItsFirstVersionRecordsNoVersion() {
        assertThat(ExecutionEvent.started("f", 1, "\"in\"", Instant.EPOCH, null, null)
                        .version())
                .isNull();
        assertThat(ExecutionEvent.started("f", 2, "\"in\"", Instant.EPOCH, null, null)
                        .version())
                .isEqualTo(2);
    }

    @Test
    void configurationsSayWhatWasSetAndKeepTheirDefaults() {
        assertThat(ParallelConfig.defaults().hasMaxConcurrency()).isFalse();
        assertThat(ParallelConfig.builder().maxConcurrency(3).build().hasMaxConcurrency())
                .isTrue();
        assertThat(ChildContextConfig.defaults()).isNotNull();
        assertThat(ChildContextConfig.defaults().serdes()).isNull();
        StepConfig generic = StepConfig.builder()
                .resultVersion(3)
                .migrateFrom(2, new TypeToken<List<String>>() {}, old -> old)
                .migrateFrom(1, String.class, old -> List.of(old))
                .build();
        assertThat(generic.migrations().get(2).from()).isEqualTo(2);
        assertThat(generic.migrations().get(1).from()).isEqualTo(1);
        assertThatThrownBy(() -> StepConfig.builder()
                        .resultVersion(2)
                        .migrateFrom(2, String.class, old -> old)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a migration from result version 2 needs a current result version above it");
    }

    @Test
    void operationsAreDoneOnceTheySucceededOrFailedAndPluginsHearWhetherTheySucceeded() {
        List<String> ends = new CopyOnWriteArrayList<>();
        DurablePlugin plugin = new DurablePlugin() {
            @Override
            public void onOperationEnd(OperationEnd e) {
                ends.add(e.name() + "=" + e.succeeded());
            }
        };
        try (EngineFixture f = new EngineFixture(none -> {}, plugin)) {
            DurableEngine e = f.engine;
            ManualClock clock = f.clock;
            e.register("fn", String.class, String.class, (in, ctx) -> {
                ctx.step("fine", String.class, s -> "ok");
                StepBoundaryTest.brokenStepCaught(ctx);
                ctx.wait("nap", Duration.ofHours(1));
                return "done";
            });
            e.start("fn", "x", "in");
            assertThat(e.awaitIdle(Duration.ofSeconds(10))).isTrue();
            ExecutionDetails d = e.describe("x");
            assertThat(d.operations())
                    .extracting(OperationInfo::name, OperationInfo::isDone)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("fine", true),
                            org.assertj.core.groups.Tuple.tuple("broken", true),
                            org.assertj.core.groups.Tuple.tuple("nap", false));
        }
        assertThat(ends).containsExactly("fine=true", "broken=false");
    }

    @Test
    void thePatchFacadeAnswersTheOldPathForAnExecutionStartedBeforeThePatch() {
        List<Boolean> answers = new CopyOnWriteArrayList<>();
        boolean[] deployed = {false};
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            ctx.step("first", String.class, s -> "1");
            if (deployed[0]) {
                answers.add(Durable.patched("p"));
            }
            ctx.wait("nap", Duration.ofHours(1));
            return "done";
        }))) {
            f.engine.start("fn", "x", "in");
            f.idle();
            deployed[0] = true;
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("done");
            assertThat(answers).isNotEmpty().containsOnly(false);
        }
    }

    @Test
    void deprecatingAPatchThroughTheFacadeRefusesAnExecutionThatTookTheOldPath() {
        int[] deployed = {1};
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            ctx.step("first", String.class, s -> "1");
            if (deployed[0] == 2) {
                Durable.patched("p");
            } else if (deployed[0] == 3) {
                Durable.deprecatePatch("p");
            }
            ctx.wait("nap", Duration.ofHours(1));
            ctx.wait("nap-2", Duration.ofHours(1));
            return "done";
        }))) {
            f.engine.start("fn", "x", "in");
            f.idle();
            deployed[0] = 2;
            f.restart().advance(Duration.ofHours(1));
            deployed[0] = 3;
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.describe("x").info().blockedReason()).contains("PATCH 'p' decided for the old path");
        }
    }
}
