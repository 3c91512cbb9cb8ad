package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.Durable;
import dev.durable.DurableContext;
import dev.durable.ExecutionInfo;
import dev.durable.ExecutionStatus;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pinned versions: an execution runs to its end on the version it started with; new ones take the newest. */
class VersionTest {
    @DurableFunction("orders")
    public static class OrdersV1 {
        @Handler
        public String handle(String order) {
            DurableContext ctx = Durable.context();
            String r = ctx.step("reserve", String.class, s -> "v1-reserved " + order);
            ctx.wait("cooling-off", Duration.ofHours(1));
            return r;
        }
    }

    @DurableFunction(value = "orders", version = 2)
    public static class OrdersV2 {
        @Handler
        public String handle(String order) {
            DurableContext ctx = Durable.context();
            String check = ctx.step("fraud-check", String.class, s -> "ok");
            ctx.wait("cooling-off", Duration.ofHours(1));
            return "v2 " + check + " " + order;
        }
    }

    @Test
    void anExecutionFinishesOnTheVersionItStartedWithAndNewOnesStartOnTheNewest() {
        boolean[] withV2 = {false};
        try (EngineFixture f = new EngineFixture(e -> {
            e.register(new OrdersV1());
            if (withV2[0]) {
                e.register(new OrdersV2());
            }
        })) {
            f.engine.start("orders", "old", "A");
            f.idle();
            withV2[0] = true; // version 2 is deployed beside version 1
            f.restart();
            f.engine.start("orders", "new", "B");
            f.idle();
            assertThat(f.engine.list())
                    .extracting(ExecutionInfo::name, ExecutionInfo::version)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("old", 1),
                            org.assertj.core.groups.Tuple.tuple("new", 2));
            assertThat(f.engine.unfinishedByVersion("orders"))
                    .containsEntry(1, 1)
                    .containsEntry(2, 1);
            f.advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("old").result(Duration.ofSeconds(5)))
                    .isEqualTo("v1-reserved A");
            assertThat(f.engine.<String>execution("new").result(Duration.ofSeconds(5)))
                    .isEqualTo("v2 ok B");
            assertThat(f.engine.unfinishedByVersion("orders"))
                    .containsEntry(1, 0)
                    .containsEntry(2, 0);
            assertThat(f.engine.start(OrdersV1.class, "explicit", "C").name()).isEqualTo("explicit");
            f.idle();
            assertThat(f.engine.list())
                    .filteredOn(i -> i.name().equals("explicit"))
                    .extracting(ExecutionInfo::version)
                    .containsExactly(1);
        }
    }

    @Test
    void anExecutionWhoseVersionIsNotRegisteredWaitsForItInsteadOfRunningOtherCode() {
        boolean[] onlyV2 = {false};
        try (EngineFixture f = new EngineFixture(e -> e.register(onlyV2[0] ? new OrdersV2() : new OrdersV1()))) {
            f.engine.start("orders", "old", "A");
            f.idle();
            onlyV2[0] = true; // version 1 removed too early
            f.restart().advance(Duration.ofHours(2));
            assertThat(f.engine.describe("old").info().status())
                    .isNotIn(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED);
            f.engine.register(new OrdersV1());
            assertThat(f.engine.<String>execution("old").result(Duration.ofSeconds(5)))
                    .isEqualTo("v1-reserved A");
        }
    }

    @Test
    void theSameNameAndVersionTwiceIsRefused() {
        try (EngineFixture f = new EngineFixture(e -> e.register(new OrdersV1()))) {
            assertThatThrownBy(() -> f.engine.register(new OrdersV1()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("new version number");
        }
    }
}
