package dev.durable.cli;

import dev.durable.runtime.local.LocalRuntime;
import java.nio.file.Path;

/**
 * A child process standing in for the application: opens the journal in {@code args[0]}, prints
 * {@code HOLDING <pid>} and keeps it open until its standard input closes; if the open is refused it prints
 * {@code REFUSED <message>} instead.
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
        try (rt) {
            System.out.println("HOLDING " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the journal until the test closes our input
            }
        }
    }
}
