package dev.durable.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs small test classes through JUnit itself and checks what the extension gave them. */
class DurableTestExtensionTest {
    static final List<DurableTestRuntime> SEEN = new CopyOnWriteArrayList<>();
    static final List<Path> DIRECTORIES = new CopyOnWriteArrayList<>();

    @DurableTest
    static class TwoTests {
        DurableTestRuntime fromBeforeEach;

        @BeforeEach
        void register(DurableTestRuntime rt) {
            fromBeforeEach = rt;
            rt.register("echo", String.class, String.class, (in, ctx) -> ctx.step("echo", String.class, s -> in));
        }

        @Test
        void first(DurableTestRuntime rt) {
            check(rt);
        }

        @Test
        void second(DurableTestRuntime rt) {
            check(rt);
        }

        private void check(DurableTestRuntime rt) {
            SEEN.add(rt);
            assertThat(rt).isSameAs(fromBeforeEach);
            assertThat(rt.list()).isEmpty();
            assertThat(rt.run(rt.start("echo", "e-1", "hi")).result()).isEqualTo("hi");
        }
    }

    @DurableTest(start = "2031-02-03T04:05:06Z", journal = DurableTest.JournalKind.FILE)
    static class FileJournal {
        @Test
        void restartsOverFiles(DurableTestRuntime rt) {
            DIRECTORIES.add(rt.runtime().directory());
            rt.register("echo", String.class, String.class, (in, ctx) -> in);
            rt.start("echo", "e-1", "hi");
            rt.restart();
            assertThat(rt.execution("e-1").result()).isEqualTo("hi");
            assertThat(rt.now()).isEqualTo(Instant.parse("2031-02-03T04:05:06Z"));
        }
    }

    @DurableTest(start = "yesterday")
    static class BadStart {
        @Test
        void neverRuns(DurableTestRuntime rt) {
            rt.now();
        }
    }

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .execute()
                .testEvents();
    }

    @Test
    void eachTestGetsAFreshRuntimeSharedWithItsLifecycleMethodsAndClosedAfterIt() {
        SEEN.clear();
        run(TwoTests.class).assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
        for (DurableTestRuntime rt : SEEN) {
            assertThatThrownBy(rt::runtime)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed");
        }
    }

    @Test
    void aFileJournalLivesInATemporaryDirectoryRemovedAfterTheTest() {
        DIRECTORIES.clear();
        run(FileJournal.class).assertStatistics(s -> s.succeeded(1));
        assertThat(DIRECTORIES).hasSize(1);
        assertThat(Files.exists(DIRECTORIES.get(0))).isFalse();
    }

    @Test
    void aMalformedStartTimeFailsTheTestNamingTheAttribute() {
        Throwable failure = run(BadStart.class).failed().stream()
                .findFirst()
                .flatMap(e -> e.getPayload(TestExecutionResult.class))
                .flatMap(TestExecutionResult::getThrowable)
                .orElseThrow();
        assertThat(failure)
                .hasMessageContaining("@DurableTest(start = \"yesterday\") is not an ISO-8601 instant"
                        + " such as 2025-01-01T00:00:00Z");
    }
}
