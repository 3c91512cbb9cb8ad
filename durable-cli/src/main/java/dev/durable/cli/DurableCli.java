package dev.durable.cli;

import dev.durable.DurableException;
import dev.durable.JournalException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code durable}: inspects and operates the journal directory of a {@code LocalRuntime}.
 *
 * <pre>
 * java -jar durable-cli.jar list --journal .durable --status waiting
 * java -jar durable-cli.jar show order-42
 * java -jar durable-cli.jar complete-callback 5f0c... --payload '{"approved":true}'
 * </pre>
 *
 * <p>{@code list}, {@code show} and {@code verify} read the journal without changing or creating anything, so they
 * work on a copy, a backup or a read-only mount. The other commands open the journal as the application would, with
 * no function registered, so nothing runs. A journal that the application has open is refused (exit code 3). Exit codes: 0 done; 1 refused (unknown
 * execution or callback, already completed, not failed, payload of the wrong type); 2 usage; 3 journal in use;
 * 4 journal damaged or unreadable; 5 an execution in flight does not replay with the new code (check-compat).
 */
@Command(
        name = "durable",
        mixinStandardHelpOptions = true,
        versionProvider = DurableCli.Version.class,
        subcommands = {
            ListCommand.class,
            ShowCommand.class,
            CompleteCallbackCommand.class,
            FailCallbackCommand.class,
            CancelCommand.class,
            RetryCommand.class,
            FailCommand.class,
            VerifyCommand.class,
            CompactCommand.class,
            ConsoleCommand.class,
            CheckCompatCommand.class
        },
        header = "Inspect and operate the journal of a Durable for Java application.",
        description = {"Works on the journal directory of a stopped application; a journal in use is refused."},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  done",
            "  1  refused: unknown execution or callback, already completed, not failed,",
            "     or a payload of the wrong type",
            "  2  usage: unknown option, missing argument, no journal at --journal",
            "  3  the journal is in use by another process (the application)",
            "  4  the journal is damaged or unreadable, or verify found damage",
            "  5  check-compat: an execution in flight does not replay with the new code"
        })
public final class DurableCli implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: one line on stderr and an exit code for every failure. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DurableCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(DurableCli::usageError);
        cli.setExecutionExceptionHandler(DurableCli::failure);
        return cli;
    }

    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println("error: name a command: "
                        + String.join(", ", spec.subcommands().keySet()) + "; run 'durable --help' for what each does");
        return ExitCodes.USAGE;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr()
                .println("error: " + Format.oneLine(e.getMessage()) + "; run '"
                        + cl.getCommandSpec().qualifiedName() + " --help' for usage");
        cl.getErr().flush();
        return ExitCodes.USAGE;
    }

    private static int failure(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code = exitCode(e);
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (code == ExitCodes.CORRUPT && !(e instanceof CommandFailure)) {
            message = message + " (run 'durable verify' for a report of every segment)";
        } else if (!expected(e)) {
            message = e.getClass().getName() + ": " + message + " (unexpected; please report it with this line)";
        }
        err.println("error: " + Format.oneLine(message));
        err.flush();
        return code;
    }

    /**
     * {@link JournalException}: the journal could not be opened or read. Everything else the engine throws
     * (unknown execution or callback, already completed, not failed, wrong payload) is a refusal.
     */
    private static int exitCode(Exception e) {
        if (e instanceof CommandFailure f) {
            return f.exitCode;
        }
        return e instanceof JournalException ? ExitCodes.CORRUPT : ExitCodes.REFUSED;
    }

    private static boolean expected(Exception e) {
        return e instanceof CommandFailure
                || e instanceof DurableException
                || e instanceof IllegalStateException
                || e instanceof IllegalArgumentException;
    }

    /** The version from the jar manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = DurableCli.class.getPackage().getImplementationVersion();
            return new String[] {"durable-cli " + (v == null ? "(development build)" : v)};
        }
    }
}
