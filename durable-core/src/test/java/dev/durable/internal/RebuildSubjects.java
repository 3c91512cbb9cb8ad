package dev.durable.internal;

import dev.durable.ErrorInfo;

/**
 * Types that {@link ErrorInfoTest} names in journaled errors by their names only, so that no test loads or
 * initialises them before {@link ErrorInfo#rebuild} is asked to. Each static initialiser records that it ran.
 */
public final class RebuildSubjects {
    static volatile boolean orderRejectedInitialised;
    static volatile boolean hiddenInitialised;
    static volatile boolean unbuildableInitialised;
    static volatile boolean notAFailureInitialised;

    private RebuildSubjects() {}

    /** A handler's own exception: public, with a public {@code (String)} constructor. */
    public static class OrderRejected extends RuntimeException {
        static {
            orderRejectedInitialised = true;
        }

        public OrderRejected(String message) {
            super(message);
        }
    }

    /** Not public, although its constructor is. */
    static class Hidden extends RuntimeException {
        static {
            hiddenInitialised = true;
        }

        public Hidden(String message) {
            super(message);
        }
    }

    /** Public, but with no constructor a rebuild could call. */
    public static class Unbuildable extends RuntimeException {
        static {
            unbuildableInitialised = true;
        }

        public Unbuildable(int code) {
            super("code " + code);
        }
    }

    /** Public with a public {@code (String)} constructor, but not a Throwable. */
    public static class NotAFailure {
        static {
            notAFailureInitialised = true;
        }

        public NotAFailure(String message) {}
    }

    /** Public, constructed only with a message and its cause. */
    public static class OnlyWithCause extends RuntimeException {
        public OnlyWithCause(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Public, constructed only with a message and a cause of its own kind. */
    public static class CausedByIo extends RuntimeException {
        public CausedByIo(String message, java.io.IOException cause) {
            super(message, cause);
        }
    }
}
