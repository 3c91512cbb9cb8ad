package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.Durable;
import dev.durable.DurableContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Changing handler code while executions are in flight, guarded by patches. */
class PatchTest {
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private volatile int deployed = 1;

    private String step(DurableContext ctx, String name) {
        return ctx.step(name, String.class, s -> {
            ran.add(s.executionName() + ":" + name);
            return name;
        });
    }

    /** Version 1 reserves, cools off, ships; version 2 adds gift-wrapping before the cooling-off, behind a patch. */
    private final Consumer<DurableEngine> registrations =
            e -> e.register("order", String.class, String.class, (in, ctx) -> {
                String r = step(ctx, "reserve");
                if (deployed >= 3) {
                    ctx.deprecatePatch("gift-wrap");
                    r += "+" + step(ctx, "gift-wrap");
                } else if (deployed == 2 && ctx.patched("gift-wrap")) {
                    r += "+" + step(ctx, "gift-wrap");
                }
                ctx.wait("cooling-off", Duration.ofHours(1));
                return r + "+" + step(ctx, "ship");
            });

    @Test
    void anExecutionStartedBeforeThePatchKeepsTheOldPathAndNewOnesTakeTheNewPathAcrossRestarts() {
        try (EngineFixture f = new EngineFixture(registrations)) {
            f.engine.start("order", "old", "in");
            f.idle();
            deployed = 2; // the new code is deployed while 'old' cools off
            f.restart();
            f.engine.start("order", "new", "in");
            f.idle().restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("old").result(Duration.ofSeconds(5)))
                    .isEqualTo("reserve+ship");
            assertThat(f.engine.<String>execution("new").result(Duration.ofSeconds(5)))
                    .isEqualTo("reserve+gift-wrap+ship");
            assertThat(ran)
                    .containsExactlyInAnyOrder("old:reserve", "old:ship", "new:reserve", "new:gift-wrap", "new:ship");
            assertThat(f.engine.history("new")).anyMatch(h -> "patch".equals(h.subType()) && "true".equals(h.result()));
            assertThat(f.engine.history("old"))
                    .anyMatch(h -> "patch".equals(h.subType()) && "false".equals(h.result()));
        }
    }

    @Test
    void anOldExecutionThatReachesThePatchForTheFirstTimeTakesTheNewPath() {
        try (EngineFixture f = new EngineFixture(e -> e.register("order", String.class, String.class, (in, ctx) -> {
            ctx.wait("first", Duration.ofHours(1));
            String r = step(ctx, "reserve");
            if (deployed == 2 && ctx.patched("audit")) {
                r += "+" + step(ctx, "audit");
            }
            return r;
        }))) {
            f.engine.start("order", "x", "in");
            f.idle();
            deployed = 2;
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("reserve+audit");
        }
    }

    @Test
    void aDeprecatedPatchReplaysNewPathExecutionsAndRefusesOldPathOnesNamingThePatch() {
        try (EngineFixture f = new EngineFixture(registrations)) {
            f.engine.start("order", "old", "in");
            f.idle();
            deployed = 2;
            f.restart();
            f.engine.start("order", "new", "in");
            f.idle();
            deployed = 3; // the old path is removed
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("new").result(Duration.ofSeconds(5)))
                    .isEqualTo("reserve+gift-wrap+ship");
            assertThat(f.engine.describe("old").error().message())
                    .contains("PATCH 'gift-wrap' decided for the old path");
        }
    }

    @Test
    void thePatchFacadeWorksFromHandlerCodeAndAPatchAskedTwiceAnswersTheSame() {
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "twice", String.class, String.class, (in, ctx) -> Durable.patched("p") + "/" + Durable.patched("p")))) {
            assertThat(f.engine.<String>start("twice", "x", "in").result(Duration.ofSeconds(5)))
                    .isEqualTo("true/true");
        }
    }

    @Test
    void eachPatchKeepsItsOwnDecisionWithinARunAndInEveryLaterRun() {
        List<String> answers = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("order", String.class, String.class, (in, ctx) -> {
            step(ctx, "reserve");
            if (deployed == 2) {
                answers.add("wrap=" + ctx.patched("wrap"));
                answers.add("wrap=" + ctx.patched("wrap"));
            }
            ctx.wait("cooling-off", Duration.ofHours(1));
            if (deployed == 2) {
                answers.add("insure=" + ctx.patched("insure"));
            }
            ctx.wait("final", Duration.ofHours(1));
            return String.join(",", answers);
        }))) {
            f.engine.start("order", "x", "in");
            f.idle();
            deployed = 2; // 'wrap' is reached again only in replay: the old path; 'insure' is reached live: the new one
            f.restart().advance(Duration.ofHours(1));
            // the run on reopening stops at the cooling-off; the one it wakes goes on to the next wait
            assertThat(answers).containsExactly("wrap=false", "wrap=false", "wrap=false", "wrap=false", "insure=true");
            answers.clear();
            f.advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo("wrap=false,wrap=false,insure=true");
        }
    }
}
