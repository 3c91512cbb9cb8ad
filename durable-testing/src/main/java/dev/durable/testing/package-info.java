/**
 * A JUnit 5 kit for durable functions.
 *
 * <ul>
 *   <li>{@link dev.durable.testing.DurableTest @DurableTest} gives each test a
 *       {@link dev.durable.testing.DurableTestRuntime}: a runtime on a virtual clock, where waits, retry delays,
 *       callback timeouts and polling complete by skipping time ({@code run}, {@code advance}), and
 *       {@code restart()} simulates a process restart over the same journal.</li>
 *   <li>{@link dev.durable.testing.TestExecution} and {@link dev.durable.testing.TestOperation} inspect what the
 *       journal holds and complete, fail or heartbeat callbacks by operation name.</li>
 *   <li>{@code assertReplaysDeterministically} replays an execution after a crash at every point of its journal
 *       and names the crash point and operation where a replay goes another way.</li>
 *   <li>{@link dev.durable.testing.JournalReplayer} replays saved journals against changed code and reports the
 *       first operation of each execution that the new code no longer performs.</li>
 * </ul>
 */
package dev.durable.testing;
