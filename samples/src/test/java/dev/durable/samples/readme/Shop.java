package dev.durable.samples.readme;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The fake services the README's examples call, recording what really happened. */
final class Shop {
    record Order(String id, long totalCents) {}

    record Decision(boolean approved) {}

    final List<String> calls = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

    final Inventory inventory = order -> record("reserve " + order.id(), "R-" + order.id());
    final Payments payments = new Payments() {
        @Override
        public String charge(Order order) {
            return record("charge " + order.totalCents(), "P-" + order.id());
        }

        @Override
        public String refund(String payment) {
            return record("refund " + payment, "X-" + payment);
        }
    };
    final Shipping shipping = reservation -> record("ship " + reservation, "S-" + reservation);
    final Mailer mailer = (to, text) -> inbox.add(text);
    final String manager = "grace@example.com";

    interface Inventory {
        String reserve(Order order);
    }

    interface Payments {
        String charge(Order order);

        String refund(String payment);
    }

    interface Shipping {
        String ship(String reservation);
    }

    interface Mailer {
        void send(String to, String text);
    }

    /** Waits for the next approval mail and returns its callback id, as a manager clicking a link would send it. */
    String awaitCallbackId() {
        try {
            String mail = inbox.poll(10, TimeUnit.SECONDS);
            if (mail == null) {
                throw new AssertionError("no approval mail within 10 s");
            }
            return mail.substring(mail.lastIndexOf(' ') + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String record(String call, String result) {
        calls.add(call);
        return result;
    }
}
