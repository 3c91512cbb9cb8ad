package shop;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import java.time.Instant;

/** A method named start: the typed starters move to the proxy's nested Starter class. */
@DurableFunction
public class Jobs {
    @Step
    int attempts(String job) {
        return job.length();
    }

    @Handler
    public long handle(String job) {
        return attempts(job) * 2L;
    }

    public void start(Instant at) {}
}
