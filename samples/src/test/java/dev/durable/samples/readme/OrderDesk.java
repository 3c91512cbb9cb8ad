package dev.durable.samples.readme;

import dev.durable.Execution;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.samples.readme.Shop.Order;

class OrderDesk {
    private final LocalRuntime runtime;

    OrderDesk(LocalRuntime runtime, Shop shop) {
        this.runtime = runtime;
        runtime.register(new AnnotationExampleTest_OrderProcessor_Durable(
                shop.inventory, shop.payments, shop.shipping, shop.mailer));
    }

    Execution<String> place(Order order) {
        // typed by the @Handler: an Order in, an Execution<String> out; anything else does not compile
        return AnnotationExampleTest_OrderProcessor_Durable.start(runtime, "order-" + order.id(), order);
    }
}
