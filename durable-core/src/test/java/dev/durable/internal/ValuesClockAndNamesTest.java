package dev.durable.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durable.DurableClock;
import dev.durable.JsonSerDes;
import dev.durable.ManualClock;
import dev.durable.Names;
import dev.durable.SerializationException;
import dev.durable.TypeToken;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The building blocks a user touches directly: names, type tokens, the JSON serializer and the manual clock. */
class ValuesClockAndNamesTest {
    // ---- names ----------------------------------------------------------------------------------------------

    private static String refusal(String name) {
        try {
            Names.checkExecution(name);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted " + name);
    }

    @Test
    void aNameOfExactlyTheMaximumLengthIsAcceptedAndOneCharacterMoreIsNot() {
        assertThat(Names.checkExecution("x".repeat(256))).hasSize(256);
        assertThat(refusal("x".repeat(257))).contains("it is 257 characters long");
        assertThat(Names.checkFunction("f")).isEqualTo("f");
        assertThat(Names.checkCallbackId("cb-1")).isEqualTo("cb-1");
        assertThat(Names.checkOperation("op")).isEqualTo("op");
    }

    @Test
    void aRefusalSaysWhatIsWrongAndWhatNamesMayBe() {
        assertThat(refusal("  "))
                .isEqualTo("execution name '  ' is not accepted: it is empty or blank. Names are"
                        + " well-formed Unicode of 1 to 256 characters without control or format characters");
        assertThatThrownBy(() -> Names.checkFunction("")).hasMessageStartingWith("function name '' is not accepted");
        assertThatThrownBy(() -> Names.checkCallbackId("\t"))
                .hasMessageStartingWith("callback id '\\u0009' is not accepted");
        assertThatThrownBy(() -> Names.checkOperation("a\u0000"))
                .hasMessageStartingWith("operation name 'a\\u0000' is not accepted");
    }

    @Test
    void missingNamesAreNamedByTheirParameterExceptAnOperationsWhichMayBeNull() {
        assertThatThrownBy(() -> Names.checkExecution(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("executionName must not be null");
        assertThatThrownBy(() -> Names.checkFunction(null)).hasMessage("functionName must not be null");
        assertThatThrownBy(() -> Names.checkCallbackId(null)).hasMessage("callbackId must not be null");
        assertThat(Names.checkOperation(null)).isNull();
    }

    @Test
    void unpairedSurrogatesAreReportedAtTheirIndexWhilePairsAreAccepted() {
        assertThat(refusal("ab\uD800")).contains("it has an unpaired UTF-16 surrogate at index 2");
        assertThat(refusal("\uD800x")).contains("unpaired UTF-16 surrogate at index 0");
        assertThat(refusal("a\uDC00")).contains("unpaired UTF-16 surrogate at index 1");
        assertThat(refusal("\uD83D\uDE00\uDC00")).contains("unpaired UTF-16 surrogate at index 2");
        assertThat(Names.checkExecution("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
        assertThat(Names.checkExecution("a\uD83D\uDE00b")).isEqualTo("a\uD83D\uDE00b");
    }

    @Test
    void controlAndFormatCharactersAreReportedWithTheirCodeAndIndex() {
        assertThat(refusal("ab\u0007")).contains("it has the control or format character U+0007 at index 2");
        assertThat(refusal("\uD83D\uDE00\u200B")).contains("control or format character U+200B at index 2");
        assertThat(refusal("x\n")).contains("U+000A at index 1");
        assertThat(Names.checkExecution("caf\u00e9 \u4e2d")).isEqualTo("caf\u00e9 \u4e2d");
    }

    @Test
    void aLongRefusedNameIsShownCutAtEightyCharactersWithUnprintablesEscaped() {
        String long81 = "\u0001" + "y".repeat(80);
        assertThat(refusal(long81)).startsWith("execution name '\\u0001" + "y".repeat(79) + "...' is not accepted");
        String eighty = "\u0001" + "y".repeat(79);
        assertThat(refusal(eighty)).startsWith("execution name '\\u0001" + "y".repeat(79) + "' is not accepted");
        assertThat(refusal("a\uDC00")).startsWith("execution name 'a\\uDC00'");
        assertThat(refusal("a\u200Bb")).startsWith("execution name 'a\\u200Bb'");
    }

    // ---- type tokens ----------------------------------------------------------------------------------------

    @Test
    void aTypeTokenKeepsTheTypeArgumentsOfItsType() {
        TypeToken<Map<String, List<Integer>>> token = new TypeToken<>() {};
        assertThat(token.type()).isInstanceOf(ParameterizedType.class);
        assertThat(token).hasToString("java.util.Map<java.lang.String, java.util.List<java.lang.Integer>>");
        assertThat(TypeToken.of(String.class).type()).isEqualTo(String.class);
        assertThat(TypeToken.of(String.class)).hasToString("java.lang.String");
        assertThat(TypeToken.of(token.type())).isEqualTo(token);
    }

    @Test
    void typeTokensAreEqualExactlyWhenTheirTypesAre() {
        TypeToken<List<String>> a = new TypeToken<>() {};
        TypeToken<List<String>> b = new TypeToken<>() {};
        TypeToken<List<Integer>> c = new TypeToken<>() {};
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a.hashCode()).isEqualTo(a.type().hashCode());
        assertThat(TypeToken.of(String.class))
                .isEqualTo(TypeToken.of(String.class))
                .isNotEqualTo(TypeToken.of(Integer.class));
        assertThat(a.equals("java.util.List<java.lang.String>")).isFalse();
        assertThat(a.equals(null)).isFalse();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    @Test
    void aTypeTokenWithoutATypeArgumentIsRefusedWithTheFix() {
        assertThatThrownBy(() -> new TypeToken() {})
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("TypeToken must be created with a type argument: new TypeToken<List<Item>>() {}");
        assertThatThrownBy(() -> TypeToken.of((java.lang.reflect.Type) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("type must not be null");
    }

    @Test
    void aTypeTokenGivesAStepResultItsFullGenericType() {
        try (EngineFixture f = new EngineFixture(e -> e.register("t", String.class, Integer.class, (in, ctx) -> {
            Map<String, List<Integer>> m =
                    ctx.step("load", new TypeToken<Map<String, List<Integer>>>() {}, s -> Map.of("a", List.of(1, 2)));
            ctx.wait("w", Duration.ofSeconds(1));
            return m.get("a").get(0) + m.get("a").get(1);
        }))) {
            f.engine.start("t", "x", "in");
            f.restart().advance(Duration.ofSeconds(1));
            assertThat(f.engine.<Integer>execution("x").result(Duration.ofSeconds(5)))
                    .isEqualTo(3);
        }
    }

    // ---- JSON ----------------------------------------------------------------------------------------------

    record Shipment(String id, Optional<String> note, Instant at, Duration eta, int count) {}

    record Flag(boolean keep) {}

    @Test
    void recordsOptionalsAndTimesAreWrittenAsReadableJsonAndReadBack() {
        JsonSerDes json = JsonSerDes.defaults();
        Shipment s = new Shipment(
                "s1", Optional.of("fragile"), Instant.parse("2025-01-02T03:04:05Z"), Duration.ofMinutes(90), 2);
        String text = json.serialize(s, Shipment.class);
        assertThat(text)
                .isEqualTo(
                        "{\"id\":\"s1\",\"note\":\"fragile\",\"at\":\"2025-01-02T03:04:05Z\",\"eta\":\"PT1H30M\",\"count\":2}");
        assertThat(json.deserialize(text, Shipment.class)).isEqualTo(s);
        assertThat(json.serialize(new Object(), Object.class)).isEqualTo("{}");
        assertThat(json.deserialize("[1,2]", new TypeToken<List<Long>>() {}.type()))
                .isEqualTo(List.of(1L, 2L));
        assertThat(JsonSerDes.defaults()).isSameAs(json);
    }

    @Test
    void theLenientReaderIgnoresUnknownPropertiesAndTheStrictOneRefusesThem() {
        JsonSerDes json = JsonSerDes.defaults();
        assertThat(json.deserialize("{\"keep\":true,\"kep\":false}", Flag.class))
                .isEqualTo(new Flag(true));
        assertThat(json.deserialize("{\"keep\":null}", Flag.class)).isEqualTo(new Flag(false));
        JsonSerDes strict = json.strict();
        assertThat(strict.strict()).isSameAs(strict);
        assertThat(json.strict()).isSameAs(strict);
        assertThat(strict.deserialize("{\"keep\":true}", Flag.class)).isEqualTo(new Flag(true));
        assertThatThrownBy(() -> strict.deserialize("{\"keep\":true,\"kep\":false}", Flag.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("kep");
        assertThatThrownBy(() -> strict.deserialize("{\"keep\":null}", Flag.class))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> strict.deserialize("{}", Flag.class)).isInstanceOf(SerializationException.class);
        assertThat(strict.serialize(Instant.EPOCH, Instant.class)).isEqualTo("\"1970-01-01T00:00:00Z\"");
    }

    @Test
    void aCustomMapperIsUsedAsGiven() {
        ObjectMapper mapper = JsonSerDes.defaultMapper();
        JsonSerDes json = new JsonSerDes(mapper);
        assertThat(json.mapper()).isSameAs(mapper);
        assertThat(json.serialize(Duration.ofSeconds(1), Duration.class)).isEqualTo("\"PT1S\"");
        assertThat(json.strict().mapper()).isNotSameAs(mapper);
    }

    @Test
    void unreadableAndUnwritableValuesFailWithTheTypeAndTheFix() {
        JsonSerDes json = JsonSerDes.defaults();
        assertThatThrownBy(() -> json.deserialize("{\"keep\":\"perhaps\"}", Flag.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot read JSON as dev.durable.internal.ValuesClockAndNamesTest$Flag: ")
                .hasMessageEndingWith(". Check that the payload matches the declared type.")
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        Object selfReferencing = new Object() {
            public Object getSelf() {
                return this;
            }
        };
        assertThatThrownBy(() -> json.serialize(selfReferencing, Object.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("cannot serialize a value of type java.lang.Object to JSON: ")
                .hasMessageEndingWith(
                        ". Make it a record or bean Jackson can write, or give the operation a custom SerDes.");
    }

    // ---- manual clock -------------------------------------------------------------------------------------

    @Test
    void theManualClockStartsAtNewYear2025OrWhereItIsTold() {
        assertThat(new ManualClock().now()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(new ManualClock(Instant.EPOCH).now()).isEqualTo(Instant.EPOCH);
        assertThat(new ManualClock().nextTimer()).isNull();
        assertThat(new ManualClock().pendingTimers()).isZero();
    }

    @Test
    void timersFireInTimeOrderThenInTheOrderTheyWereScheduledEachSeeingItsOwnTime() {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        List<String> fired = new CopyOnWriteArrayList<>();
        clock.schedule(
                Instant.EPOCH.plusSeconds(5), () -> fired.add("b@" + clock.now().getEpochSecond()));
        clock.schedule(
                Instant.EPOCH.plusSeconds(2), () -> fired.add("a@" + clock.now().getEpochSecond()));
        clock.schedule(
                Instant.EPOCH.plusSeconds(5), () -> fired.add("c@" + clock.now().getEpochSecond()));
        clock.schedule(Instant.EPOCH.plusSeconds(9), () -> fired.add("late"));
        assertThat(clock.pendingTimers()).isEqualTo(4);
        assertThat(clock.nextTimer()).isEqualTo(Instant.EPOCH.plusSeconds(2));
        clock.advance(Duration.ofSeconds(6));
        assertThat(fired).containsExactly("a@2", "b@5", "c@5");
        assertThat(clock.now()).isEqualTo(Instant.EPOCH.plusSeconds(6));
        assertThat(clock.pendingTimers()).isEqualTo(1);
        assertThat(clock.nextTimer()).isEqualTo(Instant.EPOCH.plusSeconds(9));
    }

    @Test
    void aTimerDueExactlyAtTheTargetFiresAndOneAMomentLaterDoesNot() {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        List<String> fired = new CopyOnWriteArrayList<>();
        clock.schedule(Instant.EPOCH.plusSeconds(3), () -> fired.add("at"));
        clock.schedule(Instant.EPOCH.plusSeconds(3).plusNanos(1), () -> fired.add("after"));
        clock.advanceTo(Instant.EPOCH.plusSeconds(3));
        assertThat(fired).containsExactly("at");
        assertThat(clock.now()).isEqualTo(Instant.EPOCH.plusSeconds(3));
    }

    @Test
    void aTimerAlreadyDueRunsAtOnceAndATimerScheduledWhileFiringFiresInTheSameAdvance() {
        ManualClock clock = new ManualClock(Instant.EPOCH.plusSeconds(10));
        List<String> fired = new CopyOnWriteArrayList<>();
        clock.schedule(Instant.EPOCH.plusSeconds(10), () -> fired.add("now"));
        clock.schedule(Instant.EPOCH, () -> fired.add("past"));
        assertThat(fired).containsExactly("now", "past");
        assertThat(clock.pendingTimers()).isZero();
        clock.schedule(Instant.EPOCH.plusSeconds(11), () -> {
            fired.add("first@" + clock.now().getEpochSecond());
            clock.schedule(
                    clock.now().plusSeconds(2),
                    () -> fired.add("chained@" + clock.now().getEpochSecond()));
        });
        clock.advance(Duration.ofSeconds(5));
        assertThat(fired).containsExactly("now", "past", "first@11", "chained@13");
        assertThat(clock.now()).isEqualTo(Instant.EPOCH.plusSeconds(15));
    }

    @Test
    void aCancelledTimerNeverFires() {
        ManualClock clock = new ManualClock(Instant.EPOCH);
        List<String> fired = new CopyOnWriteArrayList<>();
        DurableClock.Timer t = clock.schedule(Instant.EPOCH.plusSeconds(1), () -> fired.add("cancelled"));
        clock.schedule(Instant.EPOCH.plusSeconds(2), () -> fired.add("kept"));
        t.cancel();
        assertThat(clock.pendingTimers()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(3));
        assertThat(fired).containsExactly("kept");
    }

    @Test
    void theManualClockNeverGoesBackwards() {
        ManualClock clock = new ManualClock(Instant.EPOCH.plusSeconds(100));
        clock.advanceTo(Instant.EPOCH);
        assertThat(clock.now()).isEqualTo(Instant.EPOCH.plusSeconds(100));
        clock.advance(Duration.ZERO);
        assertThat(clock.now()).isEqualTo(Instant.EPOCH.plusSeconds(100));
    }
}
