package dev.durable.cli;

import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;

/**
 * A child process standing in for the application: opens the journal in {@code args[0]}, prints
 * {@code HOLDING <pid>} and keeps it open until its standard input closes; if the open is refused it prints
 * {@code REFUSED <message>} instead. With {@code serve} as {@code args[1]} it runs the sample journal's functions
 * (the charge step succeeding) and serves its admin endpoint, as an application with {@code runtime.serveAdmin()}.
 */
public final class HoldJournal {
    private HoldJournal() {}

    public static void main(String[] args) throws Exception {
        LocalRuntime rt;
        try {
            rt = LocalRuntime.open(Path.of(args[0]));
        } catch (RuntimeException e) {
            System.out.println("REFUSED " + e.getMessage());
            return;
        }
        boolean serve = args.length > 1 && args[1].equals("serve");
        if (serve) {
            SampleJournal.of(Path.of(args[0])).register(rt, false);
        }
        try (rt;
                AutoCloseable admin = serve ? rt.serveAdmin() : () -> {}) {
            System.out.println("HOLDING " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the journal until the test closes our input
            }
        }
    }
}
