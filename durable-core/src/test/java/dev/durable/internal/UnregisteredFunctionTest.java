package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.CallbackConfig;
import dev.durable.ErrorInfo;
import dev.durable.ManualClock;
import dev.durable.SerializationException;
import dev.durable.annotations.Wait;
import dev.durable.spi.journal.MemoryJournal;
import dev.durable.spi.weaving.DurableMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A runtime opened without the function of a waiting execution (an operator's tool, say) still checks payloads. */
class UnregisteredFunctionTest {
    @Test
    void aPayloadIsCheckedAgainstTheTypeJournaledWithTheCallbackWhenNoHandlerIsLoaded() {
        List<String> ids = new CopyOnWriteArrayList<>();
        MemoryJournal journal = new MemoryJournal();
        ManualClock clock = new ManualClock();
        try (DurableEngine first = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .closeJournal(false)
                .build()) {
            first.register(
                    "cb",
                    String.class,
                    Integer.class,
                    (in, ctx) -> ctx.waitForCallback(
                            "answer", Integer.class, (id, s) -> ids.add(id), CallbackConfig.defaults()));
            first.start("cb", "x", "in");
            assertThat(first.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
        try (DurableEngine tool = DurableEngine.builder()
                .journal(journal)
                .clock(clock)
                .closeJournal(false)
                .build()) {
            assertThatThrownBy(() -> tool.completeCallbackJson(ids.get(0), "\"seven\""))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("does not convert to java.lang.Integer:");
            tool.completeCallbackJson(ids.get(0), "7");
            assertThat(tool.describe("x").operations().get(0).result()).isEqualTo("7");
        }
    }

    static class FirstParameter {
        @Wait
        void pause(Duration d, String why) {}
    }

    @Test
    void aWaitDurationMayBeTheFirstParameter() throws Exception {
        DurableMethod m =
                DurableMethod.of(FirstParameter.class.getDeclaredMethod("pause", Duration.class, String.class));
        assertThat(m.waitUntil(new Object[] {Duration.ofMinutes(2), "tea"}, Instant.EPOCH))
                .isEqualTo(Instant.EPOCH.plusSeconds(120));
    }

    @Test
    void aFrameOfAnUnnamedClassIsStillRestored() {
        StackTraceElement[] st = new ErrorInfo("java.lang.IllegalStateException", "x", List.of(".m(F.java:1)"), null)
                .rebuild(getClass().getClassLoader())
                .getStackTrace();
        assertThat(st).hasSize(1);
        assertThat(st[0].getMethodName()).isEqualTo("m");
        assertThat(st[0].getClassName()).isEmpty();
    }
}
