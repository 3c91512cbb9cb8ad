/**
 * The journal SPI, for implementers of storage and for tools that read journals; applications do not need it.
 *
 * <p>A {@link dev.durable.spi.journal.Journal} stores {@link dev.durable.spi.journal.JournalRecord}s in order per
 * execution and acknowledges an append only once the record is durable. A record's payload is the typed event
 * {@link dev.durable.spi.journal.OpEvent} or {@link dev.durable.spi.journal.ExecutionEvent}, encoded by {@link
 * dev.durable.spi.journal.EventCodec}; {@link dev.durable.spi.journal.History} folds an execution's records into
 * the state of each operation, checking every transition, and {@link dev.durable.spi.journal.JournalHistory} turns
 * records into the API's {@code ExecutionDetails} and {@code HistoryEvent}. The engine, the CLI and the test kit
 * all read records through these types; nobody parses payloads by field name.
 *
 * <pre>{@code
 * try (Journal journal = FileJournal.openReadOnly(Path.of("journal"))) {
 *     for (String id : journal.executionIds()) {
 *         System.out.println(JournalHistory.details(id, journal.read(id)).info());
 *     }
 * }
 * }</pre>
 */
package dev.durable.spi.journal;
