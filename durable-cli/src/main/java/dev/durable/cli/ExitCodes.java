package dev.durable.cli;

/** The exit codes of every command, for scripts. */
final class ExitCodes {
    /** Done. */
    static final int OK = 0;
    /** The operation was refused: unknown execution or callback, already completed, not failed, bad payload. */
    static final int REFUSED = 1;
    /** The command line was wrong: unknown option, missing argument, no journal at the given directory. */
    static final int USAGE = 2;
    /** Another process (the application) has the journal open. */
    static final int LOCKED = 3;
    /** The journal is damaged or cannot be read, or verify found damage. */
    static final int CORRUPT = 4;
    /** check-compat found executions in flight that the new code does not replay. */
    static final int INCOMPATIBLE = 5;

    private ExitCodes() {}
}
