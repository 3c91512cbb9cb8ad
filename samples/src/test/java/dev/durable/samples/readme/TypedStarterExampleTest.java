package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.Execution;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.samples.readme.Shop.Decision;
import dev.durable.samples.readme.Shop.Order;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's typed starter and registered-handler lint examples, run for real. */
class TypedStarterExampleTest {
    @TempDir
    Path dir;

    @Test
    void theProxysStarterReturnsAnExecutionTypedByTheHandler() {
        Shop shop = new Shop();
        try (LocalRuntime runtime = LocalRuntime.open(dir)) {
            Execution<String> ex = new OrderDesk(runtime, shop).place(new Order("42", 12_900));
            runtime.completeCallback(shop.awaitCallbackId(), new Decision(true));
            String receipt = ex.result(Duration.ofSeconds(10));
            assertThat(receipt).isEqualTo("S-R-42");
            assertThat(ex.function()).isEqualTo("orders");
        }
        assertThat(shop.calls).containsExactly("reserve 42", "charge 12900", "ship R-42");
    }

    @Test
    void theRegisteredLambdaTakesItsTimeFromTheContext() {
        try (LocalRuntime runtime = LocalRuntime.open(dir)) {
            Stamps.register(runtime);
            Execution<String> ex = runtime.start("stamps", "stamp-1", "parcel-7");
            assertThat(ex.result(Duration.ofSeconds(10)))
                    .startsWith("parcel-7 printed ")
                    .contains(", received ");
        }
    }
}
