package shop;

import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Step;
import java.time.Instant;

/** A method named start: the typed starters move to the proxy's nested Starter class. */
@DurableFunction
public class Jobs {
    @Handler
    public long handle(String job) {
        return run(job);
    }

    @Step
    long run(String job) {
        return job.length();
    }

    public void start(Instant at) {}
}
