package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.durable.JsonSerDes;
import dev.durable.SerDes;
import dev.durable.SerializationException;
import dev.durable.StepConfig;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A value a step returns is what its serializer reads back, and a value that does not read back is named. */
class RoundTripTest {

    /** Writes with the default serializer and refuses to read anything back. */
    private static final SerDes WRITE_ONLY = new SerDes() {
        @Override
        public String serialize(Object value, Type type) {
            return JsonSerDes.defaults().serialize(value, type);
        }

        @Override
        public Object deserialize(String data, Type type) {
            throw new IllegalStateException("this serializer only writes");
        }
    };

    private static String failureOfAStepReturning(Object value) {
        try (EngineFixture f = new EngineFixture(e -> e.register("fn", String.class, String.class, (in, ctx) -> {
            try {
                ctx.step(
                        "make",
                        Object.class,
                        s -> value,
                        StepConfig.builder().serdes(WRITE_ONLY).build());
                return "read back";
            } catch (SerializationException ex) {
                return ex.getMessage();
            }
        }))) {
            return f.engine.<String>start("fn", "x", "in").result(Duration.ofSeconds(5));
        }
    }

    @Test
    void aResultThatDoesNotReadBackNamesItsTypeAndShowsItsJsonCutAfterAHundredAndTwentyCharacters() {
        String shown = "y".repeat(118); // 120 characters of JSON with the quotes
        assertThat(failureOfAStepReturning(shown))
                .contains("the result of step operation 1 'make' of execution 'x'")
                .contains("(a java.lang.String) does not round-trip through its serializer: it was written as \""
                        + shown + "\" but reading that back as java.lang.Object fails: this serializer only writes");
        assertThat(failureOfAStepReturning("y".repeat(119)))
                .contains("it was written as \"" + "y".repeat(116) + "... but reading");
        assertThat(failureOfAStepReturning(null)).contains("(a null) does not round-trip");
    }

    @Test
    void aSerializerWithAMapperOfItsOwnReadsEvenThePlainestValuesWithThatMapper() {
        ObjectMapper shouting = JsonSerDes.defaultMapper()
                .registerModule(new SimpleModule().addDeserializer(String.class, new StdDeserializer<>(String.class) {
                    @Override
                    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                        return p.getValueAsString().toUpperCase(java.util.Locale.ROOT);
                    }
                }));
        assertThat(new JsonSerDes(shouting).deserialize("\"quiet\"", String.class))
                .isEqualTo("QUIET");
        assertThat(JsonSerDes.defaults().deserialize("\"quiet\"", String.class)).isEqualTo("quiet");
    }
}
