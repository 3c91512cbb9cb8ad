package dev.durable.cli;

/** Ends a command with a one-line message on stderr and an exit code from {@link ExitCodes}. */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CommandFailure refused(String message) {
        return new CommandFailure(ExitCodes.REFUSED, message);
    }

    static CommandFailure usage(String message) {
        return new CommandFailure(ExitCodes.USAGE, message);
    }
}
