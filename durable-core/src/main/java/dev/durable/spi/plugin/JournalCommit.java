package dev.durable.spi.plugin;

import java.time.Duration;

/**
 * A group of records the journal made durable together: one write and one force (or one transaction), however many
 * executions the records belong to. Group size is what group commit buys; duration is what each record in the group
 * waited for, at most.
 *
 * @param records how many records the group held
 * @param bytes their size as written
 * @param duration how long the write and force (or the transaction) took
 */
public record JournalCommit(int records, long bytes, Duration duration) {}
