package dev.durable.internal;

import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * Forwards to an SLF4J logger, except while the context replays operations already in the journal, so each line
 * is emitted once per execution; puts the execution and operation ids in the MDC.
 */
final class ReplayAwareLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    static final String MDC_EXECUTION = "durable.execution";
    static final String MDC_OPERATION = "durable.operation";

    private final transient Logger delegate;
    private final transient ContextImpl ctx;
    private final String stepOperation;

    ReplayAwareLogger(Logger delegate, ContextImpl ctx) {
        this(delegate, ctx, null);
    }

    /** For step bodies, which only ever run live: never silent. */
    ReplayAwareLogger(Logger delegate, ContextImpl ctx, String stepOperation) {
        this.delegate = delegate;
        this.ctx = ctx;
        this.stepOperation = stepOperation;
        this.name = delegate.getName();
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return ReplayAwareLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
        if (stepOperation == null && ctx.isReplaying()) {
            return;
        }
        String previousExecution = MDC.get(MDC_EXECUTION);
        String previousOperation = MDC.get(MDC_OPERATION);
        MDC.put(MDC_EXECUTION, ctx.executionName());
        MDC.put(MDC_OPERATION, stepOperation != null ? stepOperation : ctx.currentOperation());
        try {
            var event = delegate.atLevel(level);
            if (marker != null) {
                event = event.addMarker(marker);
            }
            if (throwable != null) {
                event = event.setCause(throwable);
            }
            event.log(messagePattern, arguments == null ? new Object[0] : arguments);
        } finally {
            restore(MDC_EXECUTION, previousExecution);
            restore(MDC_OPERATION, previousOperation);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
