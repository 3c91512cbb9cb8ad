package dev.durable.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.samples.readme.AnnotationExampleTest.OrderProcessor;
import dev.durable.samples.readme.Shop.Decision;
import dev.durable.samples.readme.Shop.Order;
import dev.durable.testing.DurableTest;
import dev.durable.testing.DurableTestRuntime;
import dev.durable.testing.JournalReplayer;
import dev.durable.testing.TestExecution;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's test-kit example. */
@DurableTest
class KitExampleTest {
    private final Shop shop = new Shop();

    @Test
    void approvedOrdersShip(DurableTestRuntime rt) {
        rt.register(new AnnotationExampleTest_OrderProcessor_Durable(
                shop.inventory, shop.payments, shop.shipping, shop.mailer));
        TestExecution<String> ex = rt.run(rt.start(OrderProcessor.class, "order-42", new Order("42", 12_900)));
        // run() skipped the cooling-off wait and stopped at the manager's callback
        assertThat(ex.operation("coolingOff").waitDuration()).isEqualTo(Duration.ofMillis(50));
        ex.completeCallback("askManager", new Decision(true));
        assertThat(ex.run().result()).isEqualTo("S-R-42");
        rt.assertReplaysDeterministically("order-42"); // a crash after every journal record ends the same way
    }

    @Test
    void savedJournalsReplayAgainstTheCurrentCode(DurableTestRuntime rt) {
        rt.register(new AnnotationExampleTest_OrderProcessor_Durable(
                shop.inventory, shop.payments, shop.shipping, shop.mailer));
        rt.run(rt.start(OrderProcessor.class, "order-42", new Order("42", 12_900)));
        JournalReplayer.create()
                .register(new AnnotationExampleTest_OrderProcessor_Durable(
                        shop.inventory, shop.payments, shop.shipping, shop.mailer))
                // or replay(Path.of("src/test/resources/journals/orders-1.4")): copied, never changed
                .replay(rt.journal())
                // names each execution and the first operation the new code performs differently
                .assertDeterministic();
    }
}
