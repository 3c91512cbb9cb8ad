package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durable.TypeToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An input of the wrong type is refused plainly when the execution starts, not found later by its handler. */
class StartInputTypeTest {
    record Order(String id) {}

    @Test
    void anInputOfAnotherTypeIsRefusedNamingTheFunctionAndBothTypesAndNothingIsJournaled() {
        try (EngineFixture f =
                new EngineFixture(e -> e.register("orders", Order.class, String.class, (order, ctx) -> order.id()))) {
            assertThatThrownBy(() -> f.engine.start("orders", "o-1", "not an order"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("function 'orders' takes input of type " + Order.class.getName() + ", but execution"
                            + " 'o-1' was given a java.lang.String; pass a value of that type (or the input as JSON to"
                            + " startJson). Nothing was started.");
            assertThat(f.journal.all()).isEmpty();
            assertThat(f.engine.list()).isEmpty();
            assertThat(f.engine.<String>start("orders", "o-1", new Order("o-1")).result(Duration.ofSeconds(5)))
                    .isEqualTo("o-1");
        }
    }

    @Test
    void boxedPrimitivesSubtypesOfGenericTypesAndNullAreAccepted() {
        try (EngineFixture f = new EngineFixture(e -> {
            e.register("twice", int.class, Integer.class, (n, ctx) -> n * 2);
            e.register(
                    "count",
                    new TypeToken<List<String>>() {},
                    new TypeToken<Integer>() {},
                    (list, ctx) -> list == null ? -1 : list.size());
        })) {
            assertThat(f.engine.<Integer>start("twice", "a", 21).result(Duration.ofSeconds(5)))
                    .isEqualTo(42);
            assertThat(f.engine
                            .<Integer>start("count", "b", new ArrayList<>(List.of("x", "y")))
                            .result(Duration.ofSeconds(5)))
                    .isEqualTo(2);
            assertThat(f.engine.<Integer>start("count", "c", null).result(Duration.ofSeconds(5)))
                    .isEqualTo(-1);
            assertThatThrownBy(() -> f.engine.start("twice", "d", 21L))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("takes input of type int,")
                    .hasMessageContaining("given a java.lang.Long");
        }
    }
}
