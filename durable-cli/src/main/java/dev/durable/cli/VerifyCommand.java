package dev.durable.cli;

import dev.durable.JournalException;
import dev.durable.runtime.local.journal.JournalVerifier;
import dev.durable.runtime.local.journal.JournalVerifier.SegmentReport;
import dev.durable.runtime.local.journal.JournalVerifier.Status;
import java.nio.file.Path;
import picocli.CommandLine.Command;

@Command(
        name = "verify",
        header = "Check the checksum of every record and report each segment file.",
        description = {
            "Nothing is changed or created, so it works on a read-only copy; a journal the application"
                    + " has open is refused.",
            "A torn write at the end of the last segment (records never acknowledged) is reported but is no"
                    + " failure: the next open cuts it off and keeps a copy. Any other bad record is damage:"
                    + " exit code 4. So is a segment file that is missing, or changed since it was sealed."
        })
final class VerifyCommand extends JournalCommand {
    @Override
    public Integer call() {
        journal.requireJournal();
        String otherwise = "verify a copy of the directory";
        journal.refuseIfLocked(otherwise);
        JournalVerifier.Report report;
        try {
            report = JournalVerifier.verify(journal.path());
        } catch (JournalException e) {
            journal.refuseIfLocked(otherwise);
            throw e;
        }
        Table table = new Table("SEGMENT", "BYTES", "RECORDS", "STATUS");
        SegmentReport firstDamage = null;
        int damaged = 0;
        for (SegmentReport s : report.segments()) {
            table.row(
                    s.file().getFileName().toString(),
                    Long.toString(s.size()),
                    Integer.toString(s.records()),
                    s.status().name());
            if (s.status() != Status.INTACT) {
                table.note(2, "at offset " + s.problemOffset() + ": " + Format.oneLine(s.problem()));
            }
            if (s.status() == Status.DAMAGED) {
                damaged++;
                if (s.recordsAfterProblem() > 0) {
                    table.note(2, s.recordsAfterProblem() + " intact records follow the damage");
                }
                if (firstDamage == null) {
                    firstDamage = s;
                }
            }
        }
        table.print(out());
        for (Path copy : report.tornCopies()) {
            out().println("kept copy of a torn write cut off by an earlier open: " + copy.getFileName());
        }
        for (String problem : report.problems()) {
            out().println("not whole: " + Format.oneLine(problem));
        }
        out().println("verified " + report.segments().size() + " segment"
                + (report.segments().size() == 1 ? "" : "s")
                + ", " + report.records() + " records: "
                + (damaged == 0 ? "all checksums match" : damaged + " damaged segment" + (damaged == 1 ? "" : "s"))
                + (report.problems().isEmpty() ? "" : "; but segment files are missing or changed"));
        if (firstDamage != null) {
            throw new CommandFailure(
                    ExitCodes.CORRUPT,
                    "the journal at " + journal.path() + " is damaged: "
                            + firstDamage.file().getFileName() + " at offset " + firstDamage.problemOffset() + " ("
                            + Format.oneLine(firstDamage.problem())
                            + "); the application will refuse to open it. Restore the"
                            + " directory from a backup, or move a copy aside and truncate the file to "
                            + firstDamage.problemOffset() + " bytes to give up the records from there on");
        }
        if (!report.problems().isEmpty()) {
            throw new CommandFailure(
                    ExitCodes.CORRUPT,
                    "the journal at " + journal.path() + " is not whole: "
                            + Format.oneLine(report.problems().get(0))
                            + ". The application will refuse to open it. Restore"
                            + " the directory from a backup; only if there is none, move journal.manifest and index.snapshot"
                            + " out of it to open with the segment files that remain, giving up the records that are lost");
        }
        return ExitCodes.OK;
    }
}
