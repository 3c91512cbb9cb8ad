package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.DurableContext;
import dev.durable.TypeToken;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Values a handler derives: random ids that differ between executions and not between replays, inputs, nesting. */
class DeterministicValuesTest {

    @Test
    void eachExecutionDrawsItsOwnRandomUuidsAndEveryReplayDrawsTheSameOnes() {
        Map<String, List<UUID>> drawn = new ConcurrentHashMap<>();
        try (EngineFixture f = new EngineFixture(e -> e.register("ids", String.class, String.class, (in, ctx) -> {
            List<UUID> ids = List.of(ctx.uuid(), ctx.uuid(), ctx.uuid());
            drawn.merge(ctx.executionName(), ids, (a, b) -> {
                assertThat(b).as("replayed").isEqualTo(a);
                return a;
            });
            ctx.wait("nap", Duration.ofHours(1));
            return ids.toString();
        }))) {
            f.engine.start("ids", "a", "x");
            f.engine.start("ids", "b", "x");
            f.restart().advance(Duration.ofHours(1));
            assertThat(f.engine.<String>execution("a").result(Duration.ofSeconds(5)))
                    .isEqualTo(drawn.get("a").toString());
        }
        Set<UUID> all = new HashSet<>(drawn.get("a"));
        all.addAll(drawn.get("b"));
        assertThat(all).as("six different ids").hasSize(6);
        assertThat(all).allSatisfy(u -> {
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
        });
    }

    @Test
    void anInputOfAnotherTypeThanTheFunctionsIsRefusedBeforeAnythingStarts() {
        try (EngineFixture f = new EngineFixture(e -> e.register(
                "sum",
                new TypeToken<List<Integer>>() {},
                new TypeToken<Integer>() {},
                (in, ctx) -> in.stream().mapToInt(Integer::intValue).sum()))) {
            assertThatThrownBy(() -> f.engine.start("sum", "s-1", Map.of("a", 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("function 'sum' takes input of type java.util.List<java.lang.Integer>,"
                            + " but execution 's-1' was given a java.util.");
            assertThat(f.engine.list()).isEmpty();
            assertThat(f.engine.<Integer>start("sum", "s-2", List.of(1, 2)).result(Duration.ofSeconds(5)))
                    .isEqualTo(3);
        }
    }

    private static int nest(DurableContext ctx, int levels) {
        return levels == 0 ? 0 : 1 + ctx.runInChildContext("level", Integer.class, c -> nest(c, levels - 1));
    }

    @Test
    void childContextsNestAHundredLevelsDeepAndNoDeeper() {
        try (EngineFixture f = new EngineFixture(e -> e.register("nest", Integer.class, String.class, (levels, ctx) -> {
            try {
                return "reached " + nest(ctx, levels);
            } catch (IllegalStateException ex) {
                return ex.getMessage();
            }
        }))) {
            assertThat(f.engine
                            .<String>start("nest", "deep", ContextImpl.MAX_DEPTH)
                            .result(Duration.ofSeconds(10)))
                    .isEqualTo("reached " + ContextImpl.MAX_DEPTH);
            assertThat(f.engine
                            .<String>start("nest", "deeper", ContextImpl.MAX_DEPTH + 1)
                            .result(Duration.ofSeconds(10)))
                    .contains("nests child contexts and branches 101 deep; at most 100 levels are supported");
        }
    }
}
