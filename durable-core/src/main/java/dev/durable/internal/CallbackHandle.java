package dev.durable.internal;

import dev.durable.DurableCallback;

/** The {@link DurableCallback} handed to handler code. */
final class CallbackHandle<T> implements DurableCallback<T> {
    private final ContextImpl ctx;
    final CallbackRef ref;

    CallbackHandle(ContextImpl ctx, CallbackRef ref) {
        this.ctx = ctx;
        this.ref = ref;
    }

    @Override
    public String id() {
        return ref.id;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        return (T) CallbackOp.await(ctx, ref);
    }
}
