package dev.durable.samples.boot;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fake inventory, payments, shipping and the manager's inbox. Every real call is kept in {@link #calls()}, so a
 * test can see that each happened once.
 */
@Component
public class Shop {
    private static final Logger LOG = LoggerFactory.getLogger(Shop.class);

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> approvalRequests = new ConcurrentHashMap<>();

    public String reserve(Order order) {
        return call("reserve " + order.items(), "RES-" + order.id());
    }

    public String charge(Order order) {
        return call("charge " + order.totalCents() + " cents", "PAY-" + order.id());
    }

    public String ship(String reservation) {
        return call("ship " + reservation, "SHIP-" + reservation);
    }

    public String refund(String payment) {
        return call("refund " + payment, "REFUND-" + payment);
    }

    /** Stands for a mail to the manager with a link to the webhook. */
    public void requestApproval(String orderId, String callbackId) {
        approvalRequests.put(orderId, callbackId);
        call("ask approval of order " + orderId + ": POST /approvals/" + callbackId, null);
    }

    /** The approval requests sent so far, order id to callback id (the manager's inbox). */
    public Map<String, String> approvalRequests() {
        return Map.copyOf(approvalRequests);
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    private String call(String what, String result) {
        LOG.info("service call: {}", what);
        calls.add(what);
        return result;
    }
}
