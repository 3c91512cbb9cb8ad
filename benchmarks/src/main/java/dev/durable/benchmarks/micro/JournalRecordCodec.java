package dev.durable.benchmarks.micro;

import dev.durable.JsonSerDes;
import dev.durable.spi.journal.EventCodec;
import dev.durable.spi.journal.JournalRecord;
import dev.durable.spi.journal.OpEvent;
import dev.durable.spi.journal.OpStatus;
import dev.durable.spi.journal.OpType;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON of one journal record: the record a step that succeeded journals, and its result inside it.
 *
 * <p>The step returns a {@link Reservation}, {@code {"sku":"ABC-12345","quantity":3,"reserved":true}}. The engine
 * writes it with the runtime's {@link JsonSerDes} ({@link #serializeStepResult}), puts that text in a
 * {@code SUCCEEDED} {@link OpEvent} and encodes the event as a {@link JournalRecord} with {@link EventCodec}
 * ({@link #encodeOperation}). Reading the journal goes the other way: {@link #decodeOperation} decodes the record's
 * payload back into an {@link OpEvent}, and {@link #deserializeStepResult} reads the result back as a
 * {@code Reservation} (which the engine also does on the first run, so that it and every replay see one value). The
 * size check the engine makes on the result ({@code dev.durable.internal.PayloadCodec}) is package-private to the
 * engine and not measured: it is a length comparison. The on-disk frame around the record is in
 * {@link FileJournalFrames}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar micro JournalRecordCodec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JournalRecordCodec {
    /** A typical step result. */
    public record Reservation(String sku, int quantity, boolean reserved) {}

    static final String EXECUTION = "order-2024-000123";
    static final String OPERATION = "7";

    private final JsonSerDes serdes = JsonSerDes.defaults();
    private Reservation result;
    private String resultJson;
    private OpEvent event;
    private JournalRecord record;

    @Setup
    public void prepare() {
        result = new Reservation("ABC-12345", 3, true);
        resultJson = serdes.serialize(result, Reservation.class);
        event = succeeded(resultJson);
        record = EventCodec.operation(EXECUTION, OPERATION, event);
        if (!EventCodec.readOperation(record).equals(event)
                || !serdes.deserialize(resultJson, Reservation.class).equals(result)) {
            throw new IllegalStateException("the record does not read back: " + record);
        }
    }

    /** The {@code SUCCEEDED} event of a step's first attempt, with {@code json} as its result. */
    static OpEvent succeeded(String json) {
        return OpEvent.of(OpType.STEP, "reserve", OpStatus.SUCCEEDED, Instant.parse("2024-05-01T12:00:00.123456Z"))
                .attempt(1)
                .result(json);
    }

    /** The step's result written as JSON. */
    @Benchmark
    public String serializeStepResult() {
        return serdes.serialize(result, Reservation.class);
    }

    /** The step's {@code SUCCEEDED} event encoded as a journal record (its payload is the event's JSON). */
    @Benchmark
    public JournalRecord encodeOperation() {
        return EventCodec.operation(EXECUTION, OPERATION, event);
    }

    /** A journal record's payload decoded back into its event. */
    @Benchmark
    public OpEvent decodeOperation() {
        return EventCodec.readOperation(record);
    }

    /** The result in the event read back as the step's type. */
    @Benchmark
    public Object deserializeStepResult() {
        return serdes.deserialize(resultJson, Reservation.class);
    }
}
