package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.CallbackConfig;
import dev.durable.Execution;
import dev.durable.StepConfig;
import dev.durable.annotations.StepSemantics;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.samples.readme.Shop.Decision;
import dev.durable.samples.readme.Shop.Order;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "A first workflow" with the context API, run for real. */
class ContextApiExampleTest {
    @TempDir
    Path dir;

    private final Shop shop = new Shop();
    private final Shop.Inventory inventory = shop.inventory;
    private final Shop.Payments payments = shop.payments;
    private final Shop.Shipping shipping = shop.shipping;
    private final Shop.Mailer mailer = shop.mailer;
    private final String manager = shop.manager;

    @Test
    void theFirstWorkflowRunsToTheEnd() {
        String outcome = firstWorkflow(Duration.ofMillis(50));
        assertThat(outcome).isEqualTo("S-R-42");
        assertThat(shop.calls).containsExactly("reserve 42", "charge 12900", "ship R-42");
    }

    private String firstWorkflow(Duration coolingOff) {
        try (LocalRuntime runtime = LocalRuntime.open(dir)) {
            runtime.register("orders", Order.class, String.class, (order, ctx) -> {
                String reservation = ctx.step("reserve", String.class, s -> inventory.reserve(order));
                String payment = ctx.step(
                        "charge",
                        String.class,
                        s -> payments.charge(order),
                        StepConfig.builder()
                                .semantics(StepSemantics.AT_MOST_ONCE_PER_RETRY)
                                .build());
                ctx.wait("cooling-off", coolingOff); // no thread held; survives restarts
                Decision d = ctx.waitForCallback(
                        "approval",
                        Decision.class,
                        (callbackId, step) -> mailer.send(manager, "approve: " + callbackId),
                        CallbackConfig.timeout(Duration.ofDays(7)));
                return d.approved()
                        ? ctx.step("ship", String.class, s -> shipping.ship(reservation))
                        : ctx.step("refund", String.class, s -> payments.refund(payment));
            });
            Execution<String> ex = runtime.start("orders", "order-42", new Order("42", 12_900)); // idempotent by name
            // later, from an HTTP endpoint, a message listener or an operator:
            runtime.completeCallback(shop.awaitCallbackId(), new Decision(true));
            return ex.result(Duration.ofSeconds(10));
        }
    }
}
