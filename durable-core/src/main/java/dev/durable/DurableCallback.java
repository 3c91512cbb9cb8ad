package dev.durable;

/**
 * A callback created with {@link DurableContext#createCallback}. Hand {@link #id()} to the outside world (in a
 * step), then call {@link #get()}: the execution suspends until {@code completeCallback(id, payload)} or
 * {@code failCallback}, or until a timeout.
 */
public interface DurableCallback<T> {
    /** The unguessable id (128 random bits) to hand out. */
    String id();

    /**
     * The payload the callback was completed with.
     *
     * @throws CallbackTimeoutException if a timeout or heartbeat timeout passed first
     * @throws CallbackFailedException if it was failed from outside
     */
    T get();
}
