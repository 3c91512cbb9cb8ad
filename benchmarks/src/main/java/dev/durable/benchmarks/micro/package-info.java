/**
 * JMH micro-benchmarks of the engine's hot paths: a step in MEMORY mode ({@link
 * dev.durable.benchmarks.micro.MemoryModeStep}), the JSON of a journal record ({@link
 * dev.durable.benchmarks.micro.JournalRecordCodec}) and the file journal's record frames ({@link
 * dev.durable.benchmarks.micro.FileJournalFrames}).
 *
 * <p>Run all of them with {@code java -jar benchmarks/target/benchmarks.jar micro}, after {@code mvn -q -pl
 * benchmarks -am package -DskipTests}; JMH's options follow, for example {@code micro -f 1 -wi 1 -i 1 -w 1s -r 1s}
 * for a quick look or {@code micro JournalRecordCodec} for one class. See {@link dev.durable.benchmarks.micro.Micro}.
 */
package dev.durable.benchmarks.micro;
