package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.Durable;
import dev.durable.Execution;
import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Retry;
import dev.durable.annotations.Step;
import dev.durable.annotations.StepSemantics;
import dev.durable.annotations.Wait;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.samples.readme.Shop.Decision;
import dev.durable.samples.readme.Shop.Order;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "A first workflow" with annotations, compiled by durable-processor and run for real. */
class AnnotationExampleTest {
    @TempDir
    Path dir;

    @DurableFunction("orders")
    public static class OrderProcessor {
        private final Shop.Inventory inventory;
        private final Shop.Payments payments;
        private final Shop.Shipping shipping;
        private final Shop.Mailer mailer;

        public OrderProcessor(
                Shop.Inventory inventory, Shop.Payments payments, Shop.Shipping shipping, Shop.Mailer mailer) {
            this.inventory = inventory;
            this.payments = payments;
            this.shipping = shipping;
            this.mailer = mailer;
        }

        @Handler
        public String handle(Order order) {
            String reservation = reserve(order); // checkpointed; replayed from the journal after a crash
            String payment = charge(order);
            coolingOff(); // suspends: no thread, survives restarts
            Decision d = askManager(order); // suspends until the outside world answers
            return d.approved() ? ship(reservation) : refund(payment);
        }

        @Step(retry = @Retry(maxAttempts = 5, initialDelay = "PT1S", backoff = 2.0))
        String reserve(Order o) {
            return inventory.reserve(o);
        }

        @Step(semantics = StepSemantics.AT_MOST_ONCE_PER_RETRY)
        String charge(Order o) {
            return payments.charge(o);
        }

        @Wait("PT0.05S") // @Wait("PT24H") in real life
        void coolingOff() {}

        @Callback(timeout = "P7D") // the body hands out the id; the call returns the answer
        Decision askManager(Order o) {
            mailer.send("grace@example.com", "approve: " + Durable.callbackId());
            return null;
        }

        @Step
        String ship(String reservation) {
            return shipping.ship(reservation);
        }

        @Step
        String refund(String payment) {
            return payments.refund(payment);
        }
    }

    @Test
    void theAnnotatedWorkflowRunsThroughTheGeneratedProxy() {
        Shop shop = new Shop();
        Shop.Inventory inventory = shop.inventory;
        Shop.Payments payments = shop.payments;
        Shop.Shipping shipping = shop.shipping;
        Shop.Mailer mailer = shop.mailer;
        try (LocalRuntime runtime = LocalRuntime.open(dir)) {
            runtime.register(new AnnotationExampleTest_OrderProcessor_Durable(inventory, payments, shipping, mailer));
            Execution<String> ex = runtime.start(OrderProcessor.class, "order-42", new Order("42", 12_900));
            runtime.completeCallback(shop.awaitCallbackId(), new Decision(true));
            assertThat(ex.result(Duration.ofSeconds(10))).isEqualTo("S-R-42");
        }
        assertThat(shop.calls).containsExactly("reserve 42", "charge 12900", "ship R-42");
    }

    @Test
    void withTheAgentAlsoPresentEachCallIsJournaledOnce() {
        // this JVM runs the agent too (see the samples pom), so the proxy calls woven originals
        assertThat(System.getProperty("dev.durable.agent.active")).isEqualTo("true");
        Shop shop = new Shop();
        try (LocalRuntime runtime = LocalRuntime.open(dir)) {
            runtime.register(new AnnotationExampleTest_OrderProcessor_Durable(
                    shop.inventory, shop.payments, shop.shipping, shop.mailer));
            Execution<String> ex = runtime.start(OrderProcessor.class, "order-43", new Order("43", 100));
            runtime.completeCallback(shop.awaitCallbackId(), new Decision(false));
            assertThat(ex.result(Duration.ofSeconds(10))).isEqualTo("X-P-43");
            assertThat(runtime.describe("order-43").operations())
                    .extracting(op -> op.type() + " " + op.name())
                    .containsExactly(
                            "STEP reserve",
                            "STEP charge",
                            "WAIT coolingOff",
                            "STEP coolingOff",
                            "CALLBACK askManager",
                            "STEP askManager.submit",
                            "STEP refund");
        }
        assertThat(shop.calls).containsExactly("reserve 43", "charge 100", "refund P-43");
    }
}
