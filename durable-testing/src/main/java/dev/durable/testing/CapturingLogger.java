package dev.durable.testing;

import dev.durable.Durable;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An execution logger that records every line it is given (after the replay filter) and passes it on. */
final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    /** One line an execution logged. */
    record Line(String execution, Level level, String message) {}

    private final transient Logger delegate;
    private final transient List<Line> lines;

    CapturingLogger(Logger delegate, List<Line> lines) {
        this.delegate = delegate;
        this.lines = lines;
        this.name = delegate.getName();
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return CapturingLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        lines.add(new Line(
                Durable.executionName().orElse(null), level, MessageFormatter.basicArrayFormat(pattern, arguments)));
        if (delegate.isEnabledForLevel(level)) {
            delegate.atLevel(level).setCause(throwable).log(pattern, arguments);
        }
    }
}
