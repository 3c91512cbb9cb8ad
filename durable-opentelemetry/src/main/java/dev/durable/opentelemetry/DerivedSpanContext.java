package dev.durable.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

/**
 * A sampled, local span context whose ids the plugin derived itself: valid lower-case hex by construction, so they
 * are not checked again as {@link SpanContext#create} would for ids from outside.
 */
record DerivedSpanContext(String traceId, String spanId) implements SpanContext {
    @Override
    public String getTraceId() {
        return traceId;
    }

    @Override
    public String getSpanId() {
        return spanId;
    }

    @Override
    public TraceFlags getTraceFlags() {
        return TraceFlags.getSampled();
    }

    @Override
    public TraceState getTraceState() {
        return TraceState.getDefault();
    }

    @Override
    public boolean isRemote() {
        return false;
    }
}
