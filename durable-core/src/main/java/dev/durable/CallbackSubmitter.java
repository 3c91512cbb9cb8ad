package dev.durable;

/** Hands a callback id to the outside world (an e-mail, a queue message); runs as a checkpointed step. */
@FunctionalInterface
public interface CallbackSubmitter {
    void submit(String callbackId, StepContext step) throws Exception;
}
