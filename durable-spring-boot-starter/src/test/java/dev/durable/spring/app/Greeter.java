package dev.durable.spring.app;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** An ordinary bean the durable function's steps call; counts real calls. */
@Component
public class Greeter {
    public final AtomicInteger calls = new AtomicInteger();

    public String greet(String name) {
        calls.incrementAndGet();
        return "Hello, " + name;
    }
}
