package shop;

import dev.durable.annotations.Callback;
import dev.durable.annotations.DurableFunction;
import dev.durable.annotations.Handler;
import dev.durable.annotations.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Waits taking their length from a parameter, callbacks with limits; a package-private class. */
@DurableFunction("reminders")
class Reminders {
    @Handler
    void handle(Instant deadline) {
        snooze(Duration.ofHours(1));
        String note = until(deadline, "due");
        List<String> answers = poll("team");
    }

    @Wait
    protected void snooze(Duration length) {}

    @Wait(name = "deadline")
    String until(Instant deadline, String label) {
        return label + " at " + deadline;
    }

    @Callback(name = "poll", timeout = "PT12H", heartbeatTimeout = "PT30M")
    List<String> poll(String audience) {
        return null;
    }
}
