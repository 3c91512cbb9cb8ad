package dev.durable.runtime.local.journal;

import dev.durable.JournalException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/**
 * The ways a journal's segment files can be wrong that open refuses and the verifier lists, each phrased naming the
 * file, and the errors that say what an operator can do about them.
 */
final class SegmentProblems {
    private SegmentProblems() {}

    /**
     * What is wrong with the set of segment files {@code present}, judged by {@code manifest} (see
     * {@link Manifest#problems}), or without one by {@code snapshot}: a segment it lists is missing and no later one
     * exists (compaction never removes the segment being appended to, so it did not remove this one). Empty if
     * nothing is.
     */
    static List<String> segmentSetProblems(
            Path directory, Manifest manifest, IndexSnapshot snapshot, NavigableSet<Long> present) {
        if (manifest != null) {
            return manifest.problems(directory, present);
        }
        List<String> problems = new ArrayList<>();
        if (snapshot != null) {
            long lastPresent = present.isEmpty() ? 0 : present.last();
            for (IndexSnapshot.SegmentState state : snapshot.segments) {
                if (!present.contains(state.sequence()) && state.sequence() > lastPresent) {
                    problems.add(directory.resolve(Segment.fileName(state.sequence())) + " is missing: "
                            + IndexSnapshot.FILE_NAME + " lists it with " + state.records() + " records, and no later"
                            + " segment exists (compaction never removes the segment being appended to)");
                }
            }
        }
        return problems;
    }

    // Problems are phrases naming the file, without a final period, for open to refuse with and the verifier to list.

    /** Why segment {@code file} with {@code salt} is not the generation {@code manifest} lists, or {@code null}. */
    static String generationProblem(Manifest manifest, Path file, long sequence, long salt) {
        Manifest.Entry listed = manifest == null ? null : manifest.entry(sequence);
        if (listed == null || listed.salt() == salt) {
            return null;
        }
        return "the journal file " + file + " is another generation of that segment than " + Manifest.FILE_NAME
                + " lists (its salt differs): it was replaced by a copy from another time";
    }

    /**
     * Why a segment whose valid records {@code end} as scanned does not hold exactly the records {@code manifest}
     * lists for it once sealed, or {@code null}.
     */
    static String sealedProblem(Manifest manifest, Path file, long sequence, SegmentScanner.End end) {
        Manifest.Entry listed = manifest == null ? null : manifest.entry(sequence);
        if (listed == null
                || !listed.sealed()
                || (end.offset() == listed.end()
                        && end.records() == listed.records()
                        && end.lastChecksum() == listed.lastChecksum())) {
            return null;
        }
        boolean shorter = end.offset() < listed.end() || end.records() < listed.records();
        return "the journal file " + file + (shorter ? " was cut short" : " was changed") + " after it was sealed: it"
                + " holds " + end.records() + " records up to offset " + end.offset() + ", but " + Manifest.FILE_NAME
                + " lists it as " + listed.describe()
                + (shorter ? ", so acknowledged records are missing" : " ending in another record");
    }

    /** What an operator can do about a segment that is missing or changed. */
    static final String GIVE_UP = "Restore the journal directory from a backup. Only if there is none, to give up"
            + " the records that are lost and open with what remains: move " + Manifest.FILE_NAME + " and "
            + IndexSnapshot.FILE_NAME
            + " out of the directory (they are written again from the segment files found).";

    static JournalException refused(String problem) {
        return new JournalException(problem + ". Refusing to open rather than lose acknowledged history. " + GIVE_UP);
    }

    static JournalException damaged(Path path, SegmentScanner.End end, String why) {
        return new JournalException("the journal file " + path + " is damaged at offset " + end.offset() + ": "
                + RecordCodec.describe(end.reason()) + ", and " + why + ". Refusing to open rather than lose"
                + " acknowledged history. Restore the journal directory from a backup; or, to give up the records"
                + " from that offset on, copy the file aside and truncate it to " + end.offset() + " bytes"
                + " (later segment files, if any, must then be moved out too)");
    }
}
