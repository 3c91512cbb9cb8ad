package dev.durable.spring.app;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Where the approval request (the callback id) goes out, as a mail or a message would. */
@Component
public class Outbox {
    private final BlockingQueue<String> callbackIds = new LinkedBlockingQueue<>();

    public void send(String callbackId) {
        callbackIds.add(callbackId);
    }

    public String take() throws InterruptedException {
        String id = callbackIds.poll(10, TimeUnit.SECONDS);
        if (id == null) {
            throw new AssertionError("no callback id was sent within 10 s");
        }
        return id;
    }
}
